/**
 * Bulk loader for benchmarks: fills a scratch database with N subjects and M records in the
 * product's table shape, by COPY. It mirrors what the services store (stripped identity fields,
 * encrypted sensitive values, severity and disclosure window from the catalogue item) but skips
 * validation, events and record_versions — the benchmarks read current state only.
 */
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import pg from 'pg';
import copyStreams from 'pg-copy-streams';
import { maskCitizenId } from '../src/domain/identifiers';
import { computeWindow, DEFAULT_PERIOD_POLICY } from '../src/domain/periods';
import { decideSeverity } from '../src/domain/catalog';
import { pinyinKeys } from '../src/domain/search-text';
import type { FieldCrypto } from '../src/server/platform/crypto';
import { citizenBlindIndex } from '../src/server/modules/subjects';
import { NATIONAL_ITEMS } from '../src/server/modules/catalog';
import { createRng } from '../src/cli/seed/prng';
import { generateSubjects } from '../src/cli/seed/subjects';
import { generateRecords, type DemoDepartment } from '../src/cli/seed/records';

const { from: copyFrom } = copyStreams;

function esc(v: unknown): string {
  if (v === null || v === undefined) return '\\N';
  // COPY text format: a bytea in hex form is \x…, with the backslash itself escaped.
  if (Buffer.isBuffer(v)) return `\\\\x${v.toString('hex')}`;
  return String(v).replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}

async function copyRows(client: pg.PoolClient, sql: string, rows: Iterable<unknown[]>): Promise<void> {
  const stream = client.query(copyFrom(sql));
  async function* lines() {
    let buf = '';
    for (const r of rows) {
      buf += r.map(esc).join('\t') + '\n';
      if (buf.length > 1 << 20) {
        yield buf;
        buf = '';
      }
    }
    if (buf) yield buf;
  }
  await pipeline(Readable.from(lines()), stream);
}

interface DroppedIndex {
  table: string;
  name: string;
  def: string;
  constraint: string | null;
}

async function dropIndexes(client: pg.PoolClient, table: string): Promise<DroppedIndex[]> {
  const { rows } = await client.query<DroppedIndex>(
    `SELECT $1::text AS table, i.relname AS name, pg_get_indexdef(i.oid) AS def,
            pg_get_constraintdef(c.oid) AS constraint
       FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
       LEFT JOIN pg_constraint c ON c.conindid = i.oid
      WHERE x.indrelid = $1::regclass AND NOT x.indisprimary`,
    [table],
  );
  for (const i of rows) {
    if (i.constraint) await client.query(`ALTER TABLE ${table} DROP CONSTRAINT ${i.name}`);
    else await client.query(`DROP INDEX ${i.name}`);
  }
  return rows;
}

async function rebuildIndexes(client: pg.PoolClient, dropped: DroppedIndex[]): Promise<void> {
  await client.query(`SET maintenance_work_mem = '1GB'`);
  for (const i of dropped) {
    if (i.constraint) await client.query(`ALTER TABLE ${i.table} ADD CONSTRAINT ${i.name} ${i.constraint}`);
    else await client.query(i.def);
  }
}

export interface LoadOptions {
  subjects: number;
  records: number;
  /** How many records the JavaScript generator makes (default 1 M); the rest are copied in SQL. */
  generate?: number;
  crypto: FieldCrypto;
  log?: (msg: string) => void;
}

export async function loadBenchData(pool: pg.Pool, departments: DemoDepartment[], opts: LoadOptions) {
  const log = opts.log ?? (() => undefined);
  const rng = createRng(42);
  const at = new Date('2026-11-20T00:00:00Z');
  const client = await pool.connect();
  try {
    const t0 = Date.now();
    const subjects = generateSubjects(rng, opts.subjects);
    log(`generated ${subjects.length} subjects in ${Date.now() - t0} ms`);
    // Bulk-load practice: secondary indexes are dropped for the load and rebuilt once after it
    // (GIN indexes on names cost far more row by row than built at once).
    const namesIdx = await dropIndexes(client, 'subject_names');
    const { rows: maxRows } = await client.query<{ max: number }>(
      'SELECT coalesce(max(id), 0)::int8 AS max FROM subjects',
    );
    const base = Number(maxRows[0]?.max ?? 0);
    await client.query('BEGIN');
    await copyRows(
      client,
      `COPY subjects (id, type, uscc, org_code, name, region, legal_rep, status, established_on, id_cipher, id_blind,
                      id_masked, origin, version, created_at, updated_at) FROM STDIN`,
      (function* () {
        for (let i = 0; i < subjects.length; i++) {
          const s = subjects[i]!;
          const np = s.type === 'NATURAL_PERSON';
          yield [
            base + i + 1,
            s.type,
            s.uscc ?? null,
            s.uscc ? s.uscc.slice(8, 17) : null,
            s.name,
            s.region,
            s.legalRep ?? null,
            'active',
            s.establishedOn || null,
            np ? opts.crypto.encrypt(s.citizenId as string) : null,
            np ? citizenBlindIndex(opts.crypto, s.citizenId as string) : null,
            np ? maskCitizenId(s.citizenId as string) : null,
            'bench',
            1,
            at.toISOString(),
            at.toISOString(),
          ];
        }
      })(),
    );
    await client.query(`SELECT setval(pg_get_serial_sequence('subjects', 'id'), $1)`, [
      base + subjects.length,
    ]);
    await copyRows(
      client,
      'COPY subject_versions (subject_id, version, data, recorded_at) FROM STDIN',
      (function* () {
        for (let i = 0; i < subjects.length; i++) {
          const s = subjects[i]!;
          yield [
            base + i + 1,
            1,
            JSON.stringify({
              name: s.name,
              region: s.region,
              legalRep: s.legalRep ?? null,
              status: 'active',
              type: s.type,
            }),
            at.toISOString(),
          ];
        }
      })(),
    );
    await copyRows(
      client,
      'COPY subject_names (subject_id, name, kind, pinyin, initials, valid_from) FROM STDIN',
      (function* () {
        for (let i = 0; i < subjects.length; i++) {
          const s = subjects[i]!;
          if (s.type === 'NATURAL_PERSON') continue;
          const k = pinyinKeys(s.name);
          yield [base + i + 1, s.name, 'current', k.pinyin, k.initials, at.toISOString()];
        }
      })(),
    );
    await client.query('COMMIT');
    log(`subjects loaded in ${Date.now() - t0} ms`);
    await rebuildIndexes(client, namesIdx);
    log(`subject name indexes rebuilt; ${Date.now() - t0} ms in all`);

    const idOf = new Map<string, number>();
    subjects.forEach((s, i) => idOf.set((s.uscc ?? s.citizenId) as string, base + i + 1));
    const items = new Map(NATIONAL_ITEMS.map((it) => [it.code, it]));
    const depts = new Map(departments.map((d) => [d.key, d]));
    const idx = await dropIndexes(client, 'records');
    const seq = new Map<string, number>();
    const chunk = 200_000;
    let loaded = 0;
    const t1 = Date.now();
    // The JavaScript generator makes at most `generated` records; the rest are copies of those made
    // in SQL (see below), each moved to another subject of the same type with its own document number.
    const generated = Math.min(opts.records, opts.generate ?? 1_000_000);
    while (loaded < generated) {
      const n = Math.min(chunk, generated - loaded);
      const recs = generateRecords(rng, n, subjects, depts, '2026-11-20', seq);
      await client.query('BEGIN');
      await copyRows(
        client,
        `COPY records (subject_id, item_code, item_version, category_code, department_id, doc_no, decision_date, severity,
                       payload, window_from, window_until, version, created_at, updated_at) FROM STDIN`,
        (function* () {
          for (const r of recs) {
            const item = items.get(r.itemCode)!;
            const kf = item.keyFields;
            const p = r.payload;
            const code = String(
              (kf.subjectUscc && p[kf.subjectUscc]) || (kf.subjectIdNo && p[kf.subjectIdNo]) || '',
            );
            const sev = decideSeverity(item.severityRule, p, r.severity ?? null);
            const severity = sev.ok ? sev.severity : null;
            const decisionDate = String(p[kf.decisionDate]);
            const vfield =
              kf.validityEnd ?? (item.periodRule.kind === 'validity' ? item.periodRule.field : undefined);
            const w = computeWindow(item.periodRule, {
              decisionDate,
              validityEnd: vfield ? (p[vfield] as string) : undefined,
              severity: severity ?? undefined,
              policy: DEFAULT_PERIOD_POLICY,
            });
            const stored: Record<string, unknown> = {};
            const props = (item.payloadSchema.properties ?? {}) as Record<
              string,
              { 'x-sensitive'?: boolean }
            >;
            for (const [k, v] of Object.entries(p)) {
              if (v === undefined || k === kf.subjectIdNo) continue;
              stored[k] = props[k]?.['x-sensitive']
                ? { enc: opts.crypto.encrypt(String(v)).toString('base64') }
                : v;
            }
            yield [
              idOf.get(code),
              r.itemCode,
              1,
              item.categoryCode,
              r.departmentId,
              String(p[kf.docNo]),
              decisionDate,
              severity,
              JSON.stringify(stored),
              w.from,
              w.until,
              1,
              at.toISOString(),
              at.toISOString(),
            ];
          }
        })(),
      );
      await client.query('COMMIT');
      loaded += n;
      log(`records ${loaded}/${opts.records} (${Math.round(loaded / ((Date.now() - t1) / 1000))}/s)`);
    }
    if (loaded < opts.records) {
      // Scale out in SQL: copy k of generated record r goes to the subject whose rank within r's
      // subject type is shifted by k × a large prime, so records stay spread evenly over subjects.
      await client.query(`CREATE TEMP TABLE bench_rank AS
        SELECT id, type, (row_number() OVER (PARTITION BY type ORDER BY id) - 1)::int8 AS rn,
               count(*) OVER (PARTITION BY type)::int8 AS cnt FROM subjects`);
      await client.query('CREATE INDEX ON bench_rank (type, rn)');
      await client.query('CREATE INDEX ON bench_rank (id)');
      await client.query('ANALYZE bench_rank');
      const { rows: mx } = await client.query<{ max: string }>('SELECT max(id)::text AS max FROM records');
      const lastGenerated = mx[0]?.max ?? '0';
      for (let k = 1; loaded < opts.records; k++) {
        const n = Math.min(loaded, opts.records - loaded, generated);
        const t = Date.now();
        await client.query(
          `INSERT INTO records (subject_id, item_code, item_version, category_code, department_id, doc_no,
                                decision_date, severity, payload, window_from, window_until, version,
                                created_at, updated_at)
           SELECT m2.id, r.item_code, r.item_version, r.category_code, r.department_id, r.doc_no || '-' || $1::int,
                  r.decision_date, r.severity, r.payload, r.window_from, r.window_until, 1, r.created_at, r.updated_at
             FROM (SELECT * FROM records WHERE id <= $3::int8 ORDER BY id LIMIT $2) r
             JOIN bench_rank m1 ON m1.id = r.subject_id
             JOIN bench_rank m2 ON m2.type = m1.type AND m2.rn = (m1.rn + $1::int8 * 104729) % m1.cnt`,
          [k, n, lastGenerated],
        );
        loaded += n;
        log(`records ${loaded}/${opts.records} (copy ${k}: ${n} in ${Date.now() - t} ms)`);
      }
      await client.query('DROP TABLE bench_rank');
    }
    const t2 = Date.now();
    await rebuildIndexes(client, idx);
    log(`indexes rebuilt in ${Date.now() - t2} ms`);
    await client.query('ANALYZE');
    return { subjects };
  } finally {
    client.release();
  }
}
