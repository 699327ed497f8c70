/**
 * Demo list entries for the 渝中区 district, made through the real listing services (propose →
 * notify → statement waived in writing → decide → published, and an exit), so every step writes
 * its row and its event exactly as in production. A handful of entries, not thousands: the
 * procedure costs a few statements a step and the demo must start quickly.
 *
 * Instants: entries are decided at the demo's instant (`now`). When the demo is seeded as of a
 * past instant (the browser test seeds 40 days back) the exit and the pending proposal happen
 * later, up to the wall clock, so that `?at=` has a before and an after to show; seeded as of
 * the present, everything happens at `now`.
 */
import type { Actor, Ctx } from '../../server/platform/context';
import type { FieldCrypto } from '../../server/platform/crypto';
import { type Pool, withTransaction } from '../../server/platform/db';
import { createApiKey } from '../../server/modules/accounts';
import {
  decideEntry,
  endEntry,
  notifyEntry,
  proposeEntry,
  seedListTypes,
  setListTypeDepartments,
  submitStatement,
  type ProposeInput,
} from '../../server/modules/lists';
import { seedMeasures } from '../../server/modules/measures';
import { SYSTEM } from '../../server/platform/context';
import type { DemoDepartment } from './records';

/** Which demo departments are the listing authority of which seeded list types. */
export const LIST_AUTHORITIES: Record<string, string[]> = {
  COURT_DISHONEST_DEBTORS: ['fy'],
  SAMR_SERIOUS_VIOLATION: ['scjg'],
  SAMR_BUSINESS_ABNORMAL: ['scjg'],
  TAX_MAJOR_VIOLATION: ['sw'],
  TAX_CREDIT_A: ['sw'],
  WAGE_ARREARS: ['rs'],
  WORK_SAFETY_SERIOUS: ['yj'],
  SOCIAL_ORG_SERIOUS: ['mz'],
  GOV_PROCUREMENT_SERIOUS: ['cz'],
};

export interface DemoListSummary {
  listed: number;
  pending: number;
  ended: number;
}

interface Candidate {
  subject_id: number;
  record_id: number | null;
  doc_no: string | null;
}

/** Subjects with a record of `item` from `dept` (SERIOUS first), each once, oldest id first. */
async function withRecords(pool: Pool, dept: number, item: string, limit: number, orgsOnly: boolean) {
  const { rows } = await pool.query<Candidate>(
    `SELECT DISTINCT ON (r.subject_id) r.subject_id, r.id AS record_id, r.doc_no
       FROM records r JOIN subjects s ON s.id = r.subject_id
      WHERE r.department_id = $1 AND r.item_code = $2 AND r.stopped_at IS NULL
        AND (NOT $4 OR s.type <> 'NATURAL_PERSON')
      ORDER BY r.subject_id, (r.severity = 'SERIOUS') DESC, r.id
      LIMIT $3`,
    [dept, item, limit, orgsOnly],
  );
  return rows;
}

/** Enterprises with no dishonesty record at all, of any severity (red-list candidates). */
async function cleanEnterprises(pool: Pool, limit: number, skip: ReadonlySet<number>) {
  const { rows } = await pool.query<{ id: number }>(
    `SELECT s.id FROM subjects s
      WHERE s.type = 'ENTERPRISE'
        AND NOT EXISTS (SELECT 1 FROM records r WHERE r.subject_id = s.id AND r.severity IS NOT NULL)
      ORDER BY s.id LIMIT $1`,
    [limit + skip.size],
  );
  return rows
    .map((r) => Number(r.id))
    .filter((id) => !skip.has(id))
    .slice(0, limit);
}

export async function seedDemoLists(
  pool: Pool,
  crypto: FieldCrypto,
  depts: ReadonlyMap<string, DemoDepartment>,
  now: Date,
): Promise<DemoListSummary> {
  const summary: DemoListSummary = { listed: 0, pending: 0, ended: 0 };
  // Strictly increasing instants from `now` (a millisecond apart), so steps keep their order.
  let tick = now.getTime();
  const next = () => new Date(++tick);
  const wall = Date.now();
  const later = (days: number) =>
    new Date(Math.max(tick + 1, Math.min(wall - 60_000, now.getTime() + days * 86_400_000)));

  // The list types and the measures inventory (what `serve` does at every start), and the bindings.
  const actors = new Map<number, Actor>();
  await withTransaction(pool, async (tx) => {
    const ctx: Ctx = { db: tx, actor: SYSTEM, requestId: 'seed-demo-lists', now };
    await seedListTypes(ctx);
    await seedMeasures(ctx);
    for (const [code, keys] of Object.entries(LIST_AUTHORITIES)) {
      const ids = keys.map((k) => depts.get(k)?.id).filter((v): v is number => v !== undefined);
      await setListTypeDepartments(ctx, code, ids);
    }
  });
  const existing = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM list_entries');
  if ((existing.rows[0]?.n ?? 0) > 0) return summary;

  // Each department acts through a system of its own (an API key that expired at once: the demo
  // keeps no usable secret), as a department's case system would.
  async function actorOf(key: string): Promise<Actor | null> {
    const d = depts.get(key);
    if (!d) return null;
    const held = actors.get(d.id);
    if (held) return held;
    const info = await withTransaction(pool, async (tx) =>
      createApiKey(
        { db: tx, actor: SYSTEM, requestId: 'seed-demo-lists', now },
        {
          departmentId: d.id,
          name: '演示数据：名单办理系统 / demo seed: listing case system',
          scopes: ['lists:write'],
          expiresAt: now.toISOString(),
        },
      ),
    );
    const actor: Actor = { kind: 'apikey', keyId: info.info.id, departmentId: d.id, scopes: ['lists:write'] };
    actors.set(d.id, actor);
    return actor;
  }

  const run = <T>(actor: Actor, at: Date, fn: (ctx: Ctx) => Promise<T>) =>
    withTransaction(pool, (tx) => fn({ db: tx, actor, requestId: 'seed-demo-lists', now: at }));

  /** Propose and serve both notices; returns the entry id. */
  async function open(actor: Actor, input: ProposeInput, at: Date, n: number): Promise<number> {
    tick = Math.max(tick, at.getTime());
    const e = await run(actor, at, (ctx) => proposeEntry(ctx, crypto, input));
    await run(actor, next(), (ctx) =>
      notifyEntry(ctx, e.id, {
        noticeNo: `渝中失信告知〔${at.getUTCFullYear()}〕${n}号`,
        repairNoticeNo: `渝中信用修复告知〔${at.getUTCFullYear()}〕${n}号`,
        channel: '直接送达',
      }),
    );
    return e.id;
  }

  /**
   * The whole procedure up to publication: the subject waives its statement in writing and the
   * department records the waiver citing that signed document.
   */
  async function list(deptKey: string, input: ProposeInput, n: number): Promise<number | null> {
    const actor = await actorOf(deptKey);
    if (!actor) return null;
    const id = await open(actor, input, next(), n);
    await run(actor, next(), (ctx) =>
      submitStatement(ctx, id, {
        waived: true,
        waiverDocNo: `渝中放弃陈述申辩书〔${now.getUTCFullYear()}〕${n}号`,
      }),
    );
    const d = await run(actor, next(), (ctx) =>
      decideEntry(ctx, id, {
        outcome: 'list',
        decisionNo: `渝中认定〔${now.getUTCFullYear()}〕${n}号`,
        reasons: '事实清楚，证据确凿，符合列入条件；当事人书面放弃陈述申辩。',
      }),
    );
    if (d.stage === 'listed') summary.listed++;
    return id;
  }

  const used = new Set<number>();
  let n = 1;
  const fact = (c: Candidate) =>
    c.record_id ? { recordId: Number(c.record_id) } : { docNo: c.doc_no ?? '' };
  const ref = (id: number) => `S${id}`;

  // 1. Market supervision: serious violations behind large penalties.
  const scjg = depts.get('scjg');
  if (scjg)
    for (const c of await withRecords(pool, scjg.id, 'XZCF', 3, true)) {
      used.add(Number(c.subject_id));
      await list(
        'scjg',
        {
          listType: 'SAMR_SERIOUS_VIOLATION',
          subject: ref(Number(c.subject_id)),
          summary: '因违法行为受到较重行政处罚，情节严重，社会影响恶劣',
          facts: [fact(c)],
        },
        n++,
      );
    }

  // 2. The court's dishonest judgment debtors (people and organisations), from its published list.
  const fy = depts.get('fy');
  const court = fy ? await withRecords(pool, fy.id, 'SXBZXR', 4, false) : [];
  const courtIds: number[] = [];
  for (const c of court.slice(0, 3)) {
    used.add(Number(c.subject_id));
    const id = await list(
      'fy',
      {
        listType: 'COURT_DISHONEST_DEBTORS',
        subject: ref(Number(c.subject_id)),
        summary: '有履行能力而拒不履行生效法律文书确定的义务',
        facts: [fact(c)],
      },
      n++,
    );
    if (id) courtIds.push(id);
  }

  // 3. Tax: a major tax violation behind a tax penalty.
  const sw = depts.get('sw');
  const tax = sw
    ? (await withRecords(pool, sw.id, 'XZCF', 5, true)).filter((c) => !used.has(Number(c.subject_id)))
    : [];
  for (const c of tax.slice(0, 1)) {
    used.add(Number(c.subject_id));
    await list(
      'sw',
      {
        listType: 'TAX_MAJOR_VIOLATION',
        subject: ref(Number(c.subject_id)),
        summary: '逃避缴纳税款，数额较大且占应纳税额百分之十以上',
        facts: [fact(c)],
      },
      n++,
    );
  }

  // 4. Red list: taxpayers graded A, enterprises with no serious record.
  for (const id of await cleanEnterprises(pool, 3, used)) {
    used.add(id);
    await list(
      'sw',
      {
        listType: 'TAX_CREDIT_A',
        subject: ref(id),
        summary: `${now.getUTCFullYear() - 1} 年度纳税信用评价为 A 级`,
        facts: [{ docNo: `渝中税纳信〔${now.getUTCFullYear()}〕${n}号`, title: '纳税信用等级评定结果' }],
      },
      n++,
    );
  }

  // 5. An exit: a debtor performed its obligations (the court deletes it from the list).
  const performed = courtIds[0];
  const fyActor = await actorOf('fy');
  if (performed && fyActor) {
    const endAt = later(20);
    tick = endAt.getTime();
    const e = await run(fyActor, endAt, (ctx) =>
      endEntry(ctx, performed, { reason: 'performed', note: '被执行人已全部履行生效法律文书确定的义务' }),
    );
    if (e.endedAt) summary.ended++;
  }

  // 6. A proposal still in its statement period: wage arrears, notified at the latest instant.
  const rs = depts.get('rs');
  const rsActor = await actorOf('rs');
  const wage = rs
    ? (await withRecords(pool, rs.id, 'XZCF', 5, true)).filter((c) => !used.has(Number(c.subject_id)))
    : [];
  const pendingOn = wage[0] ?? tax[1] ?? null;
  if (rsActor && pendingOn) {
    await open(
      rsActor,
      {
        listType: 'WAGE_ARREARS',
        subject: ref(Number(pendingOn.subject_id)),
        summary: '克扣、无故拖欠农民工工资，数额较大，经责令限期支付仍不支付',
        facts: [
          { docNo: `渝中人社监令〔${now.getUTCFullYear()}〕${n}号`, title: '劳动保障监察限期改正指令书' },
        ],
      },
      later(39),
      n++,
    );
    summary.pending++;
  }
  return summary;
}
