import { makeUscc } from '../../domain/identifiers';
import { civilDate } from '../../domain/periods';
import { SYSTEM, type Ctx } from '../../server/platform/context';
import type { FieldCrypto } from '../../server/platform/crypto';
import { type Pool, withTransaction } from '../../server/platform/db';
import { appendEvents } from '../../server/platform/events';
import { createDepartment, createUser, departmentByUscc } from '../../server/modules/accounts';
import { totpRequiredFor } from '../../server/modules/accounts/accounts.totp';
import { seedNationalCatalog, setProviders } from '../../server/modules/catalog';
import { submitRecords, type RowOutcome } from '../../server/modules/records';
import { findByIdentifier, registerSubject } from '../../server/modules/subjects';
import { createRng } from './prng';
import { generateRecords, PROVIDERS, type DemoDepartment } from './records';
import { seedDemoLists, type DemoListSummary } from './lists';
import { generateSubjects } from './subjects';
import { DEPARTMENTS } from './words';

export interface DemoOptions {
  /** 1 = 2,000 subjects and 20,000 records; fractions give smaller sets for tests. */
  scale: number;
  now: Date;
  seed?: number;
  progress?: (stage: string, done: number, total: number) => void;
}

export interface DemoSummary {
  departments: number;
  subjects: number;
  records: Record<RowOutcome['outcome'], number>;
  lists: DemoListSummary;
  users: string[];
}

/**
 * Demo accounts (documented in docs/operations.md); the demo is never a production deployment.
 * Roles that need a second factor get a fixed, published TOTP secret so that the demo stays usable.
 */
export const DEMO_TOTP_SECRET = 'GE3DQMJQGMXDGMJQGMYDCNBV';
export const DEMO_USERS = [
  {
    username: 'admin',
    displayName: '平台管理员',
    password: 'xinyong-admin-2026',
    roles: ['platform_admin'],
    dept: null,
  },
  {
    username: 'scjg',
    displayName: '市场监管局数据员',
    password: 'xinyong-demo-2026',
    roles: ['dept_officer'],
    dept: 'scjg',
  },
  {
    username: 'scjg-review',
    displayName: '市场监管局审核员',
    password: 'xinyong-demo-2026',
    roles: ['dept_reviewer'],
    dept: 'scjg',
  },
  {
    username: 'sthj',
    displayName: '生态环境局数据员',
    password: 'xinyong-demo-2026',
    roles: ['dept_officer'],
    dept: 'sthj',
  },
  {
    username: 'auditor',
    displayName: '审计员',
    password: 'xinyong-audit-2026',
    roles: ['auditor'],
    dept: null,
  },
] as const;

const CHUNK = 1000;

/**
 * Builds the deterministic demo district 渝中区 (500103) through the same services the API uses:
 * catalogue, departments and providers, users, subjects of every type, and records across
 * licensing, penalties and the other categories. Idempotent: a second run changes nothing.
 */
export async function seedDemo(pool: Pool, crypto: FieldCrypto, opts: DemoOptions): Promise<DemoSummary> {
  const rng = createRng(opts.seed ?? 500103);
  const ctxOf = (db: Ctx['db']): Ctx => ({ db, actor: SYSTEM, requestId: 'seed-demo', now: opts.now });
  const progress = opts.progress ?? (() => undefined);

  // Catalogue, departments, providers, users.
  const depts = new Map<string, DemoDepartment>();
  await withTransaction(pool, async (tx) => {
    const ctx = ctxOf(tx);
    await seedNationalCatalog(ctx);
    for (const [key, name, nameEn, body] of DEPARTMENTS) {
      const uscc = makeUscc('11', '500103', body);
      const existing = await departmentByUscc(ctx, uscc);
      const d = existing ?? (await createDepartment(ctx, { uscc, name, nameEn, region: '500103' }));
      depts.set(key, { id: d.id, name: d.name, uscc: d.uscc, key });
    }
    for (const [item, keys] of Object.entries(PROVIDERS)) {
      const ids = keys.map((k) => depts.get(k)?.id).filter((v): v is number => v !== undefined);
      await setProviders(ctx, item, ids);
    }
    const { rows } = await tx.query<{ username: string }>('SELECT username FROM users');
    const have = new Set(rows.map((r) => r.username));
    for (const u of DEMO_USERS) {
      if (have.has(u.username)) continue;
      await createUser(
        ctx,
        {
          totpSecret: totpRequiredFor(u.roles) ? DEMO_TOTP_SECRET : null,
          username: u.username,
          displayName: u.displayName,
          password: u.password,
          roles: [...u.roles],
          departmentId: u.dept ? (depts.get(u.dept)?.id ?? null) : null,
        },
        crypto,
      );
    }
  });

  const subjectCount = Math.max(10, Math.round(2000 * opts.scale));
  const recordCount = Math.max(50, Math.round(20000 * opts.scale));
  const subjects = generateSubjects(rng, subjectCount);
  for (let i = 0; i < subjects.length; i += CHUNK) {
    await withTransaction(pool, async (tx) => {
      const ctx = ctxOf(tx);
      for (const s of subjects.slice(i, i + CHUNK)) {
        if (await findByIdentifier(ctx, crypto, (s.uscc ?? s.citizenId) as string)) continue;
        await registerSubject(ctx, crypto, {
          type: s.type,
          uscc: s.uscc ?? null,
          citizenId: s.citizenId ?? null,
          name: s.name,
          formerNames: s.formerNames,
          legalRep: s.legalRep ?? null,
          region: s.region,
          establishedOn: s.establishedOn || null,
          origin: 'demo',
        });
      }
    });
    progress('subjects', Math.min(i + CHUNK, subjects.length), subjects.length);
  }

  const lastDay = civilDate(new Date(Math.min(opts.now.getTime(), Date.parse('2026-11-20T00:00:00Z'))));
  const records = generateRecords(rng, recordCount, subjects, depts, lastDay);
  const counts: DemoSummary['records'] = { created: 0, updated: 0, unchanged: 0, rejected: 0 };
  // Group by department: a submission is made by one providing department.
  const byDept = new Map<number, typeof records>();
  for (const r of records) byDept.set(r.departmentId, [...(byDept.get(r.departmentId) ?? []), r]);
  let done = 0;
  for (const [deptId, rows] of byDept) {
    for (let i = 0; i < rows.length; i += CHUNK) {
      const chunk = rows.slice(i, i + CHUNK);
      const outcomes = await withTransaction(pool, (tx) =>
        submitRecords(
          ctxOf(tx),
          crypto,
          deptId,
          chunk.map((r) => ({ itemCode: r.itemCode, payload: r.payload, severity: r.severity ?? null })),
        ),
      );
      outcomes.forEach((o, j) => {
        counts[o.outcome]++;
        if (o.outcome === 'rejected' && counts.rejected <= 5)
          console.error('demo record rejected:', chunk[j]?.itemCode, JSON.stringify(o.errors));
      });
      done += chunk.length;
      progress('records', done, records.length);
    }
  }

  // List entries through the listing procedure (list types, measures, authorities bound first).
  const lists = await seedDemoLists(pool, crypto, depts, opts.now);
  progress('lists', 1, 1);

  await withTransaction(pool, async (tx) => {
    await tx.query(
      `INSERT INTO settings (key, value, updated_at) VALUES ('demo.seeded', $1, $2)
       ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = EXCLUDED.updated_at`,
      [JSON.stringify({ scale: opts.scale, subjects: subjectCount, records: recordCount }), opts.now],
    );
    await appendEvents(ctxOf(tx), [
      {
        type: 'demo.seeded',
        entityType: 'settings',
        entityId: 'demo.seeded',
        payload: { scale: opts.scale, counts },
      },
    ]);
  });
  return {
    departments: depts.size,
    subjects: subjectCount,
    records: counts,
    lists,
    users: DEMO_USERS.map((u) => u.username),
  };
}

export async function demoSeeded(pool: Pool): Promise<boolean> {
  const { rowCount } = await pool.query("SELECT 1 FROM settings WHERE key = 'demo.seeded'");
  return (rowCount ?? 0) > 0;
}
