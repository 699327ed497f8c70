import { StringDecoder } from 'node:string_decoder';
import copyStreams from 'pg-copy-streams';
import { DISHONESTY_CATEGORIES } from '../../../domain/measures';
import { queryPrepared, type Pool, type Queryable } from '../../platform/db';
import type { Statement } from '../../platform/events';

/** COPY text format: \N is null; backslash escapes for backslash, tab, newline, carriage return. */
function unescapeCopy(v: string): string | null {
  if (v === '\\N') return null;
  if (!v.includes('\\')) return v;
  return v.replace(/\\(.)/g, (_m, c: string) => (c === 't' ? '\t' : c === 'n' ? '\n' : c === 'r' ? '\r' : c));
}

export interface ScenarioRow {
  code: string;
  name_zh: string;
  name_en: string;
  sort: number;
}

export interface MeasureVersionRow {
  code: string;
  version: number;
  current_version: number;
  definition: Record<string, unknown>;
  recorded_at: Date;
  recorded_by: string;
}

export interface SubjectKeyRow {
  id: number;
  type: string;
  name: string;
  uscc: string | null;
  id_masked: string | null;
  id_blind: Buffer | null;
  org_code?: string | null;
  reg_no?: string | null;
}

/**
 * Facts as positional arrays (built in SQL with json_build_array, cheap to parse):
 * entry: [id, listType, listKind, nameZh, nameEn, decisionNo, decidedAt, from, until, deptId, deptName, deptNameEn]
 * record: [id, itemCode, categoryCode, severity, docNo, decisionDate, from, until, deptId, deptName, deptNameEn]
 */
export type EntryTuple = [
  number,
  string,
  string,
  string,
  string,
  string | null,
  string,
  string,
  string | null,
  number,
  string | null,
  string | null,
];
export type RecordTuple = [
  number,
  string,
  string,
  string | null,
  string,
  string,
  string,
  string | null,
  number,
  string | null,
  string | null,
];

/**
 * An entry on another subject naming the checked one as a related party: the entry's tuple, then
 * [role, listed subject id, type, name (null for a natural person), USCC, masked ID number].
 */
export type PartyEntryTuple = [
  ...EntryTuple,
  string,
  number,
  string,
  string | null,
  string | null,
  string | null,
];

export interface IndexSubjectRow {
  id: number;
  type: string;
  uscc: string | null;
  blind: string | null;
  name: string;
  id_masked: string | null;
  created_at: Date;
}

export interface SingleFactsRow extends SubjectKeyRow {
  entries: EntryTuple[];
  records: RecordTuple[];
  party_entries: PartyEntryTuple[];
  inv_mark: string;
}

export interface CheckRow {
  id: string;
  kind: 'single' | 'batch';
  requestedAt: Date;
  at: Date;
  actor: string;
  departmentId: number | null;
  scenario: string;
  subjectId: number | null;
  subjectCount: number;
  subjectsSha256: string | null;
  outcome: string | null;
  outcomes: Record<string, number> | null;
  measureCodes: string[];
  /** Batch: the subjects checked (registered ones, once each) and, per measure, those it applied to. */
  subjectIds: readonly number[] | null;
  appliedTo: Record<string, number[]> | null;
}

export interface StoredCheckRow {
  id: string;
  kind: 'single' | 'batch';
  department_id: number | null;
  actor: string;
  subject_id: number | null;
  measure_codes: string[];
}

// ---- the facts of a check ----

/**
 * The records a check reads: every dishonesty record (isDishonestyRecord: a severity, or a
 * dishonesty category — they decide whether the subject is clean) and any record of an item some
 * measure triggers on ($4). `sev` is the severity column of the version read.
 */
const CHECK_RECORDS = (sev: string) =>
  `(${sev} IS NOT NULL OR r.category_code IN (${DISHONESTY_CATEGORIES.map((c) => `'${c}'`).join(', ')})
    OR r.item_code = ANY($4::text[]))`;

/** An entry as a fact (EntryTuple): columns of `list_entries e` joined with ENTRY_JOINS. */
const ENTRY_TUPLE = `e.id, e.list_type_code, e.list_kind, v.definition->>'nameZh', v.definition->>'nameEn',
         e.decision_no, e.decided_at, e.effective_from, e.effective_until, e.department_id, d.name, d.name_en`;
const ENTRY_JOINS = `JOIN list_type_versions v ON v.code = e.list_type_code AND v.version = e.list_type_version
    JOIN departments d ON d.id = e.department_id`;
/** Listed entries active at instant $2, day $3. */
const ENTRY_ACTIVE = `e.stage = 'listed' AND e.decided_at <= $2 AND e.effective_from <= $3
     AND (e.effective_until IS NULL OR e.effective_until > $3) AND (e.ended_at IS NULL OR e.ended_at > $2)`;
/** Listed entries that are or may still become active after instant $2, day $3 (the index's). */
const ENTRY_LIVE = `e.stage = 'listed' AND (e.ended_at IS NULL OR e.ended_at > $2)
     AND (e.effective_until IS NULL OR e.effective_until > $3)`;
/** Entries that can reach a related party: red lists trigger no restriction. */
const ENTRY_REACHES = `e.list_kind <> 'red'`;

const ENTRY_FACTS = (subjectCond: string) => `
  SELECT e.subject_id, json_build_array(${ENTRY_TUPLE}) AS t
    FROM list_entries e
    ${ENTRY_JOINS}
   WHERE ${subjectCond} AND ${ENTRY_ACTIVE}`;

/**
 * Entries on other subjects naming the checked subject (`p.subject_id`) as a related party, in any
 * role (the measures decide which roles they reach): the entry's tuple, then the role and the
 * listed subject (PartyEntryTuple). Parties are recorded with the proposal and never change, so an
 * entry names a party from before it can be active. Red lists trigger no restriction, so their
 * entries cannot reach anyone. A natural person listed is never named.
 */
const PARTY_COLS = `p.subject_id, json_build_array(${ENTRY_TUPLE}, p.role, ls.id, ls.type,
         CASE WHEN ls.type = 'NATURAL_PERSON' THEN NULL ELSE ls.name END, ls.uscc, ls.id_masked) AS t`;
const PARTY_FROM = `list_entry_parties p
    JOIN list_entries e ON e.id = p.entry_id
    ${ENTRY_JOINS}
    JOIN subjects ls ON ls.id = e.subject_id`;

const PARTY_ENTRY_FACTS = (partyCond: string) => `
  SELECT ${PARTY_COLS}
    FROM ${PARTY_FROM}
   WHERE ${partyCond} AND ${ENTRY_REACHES} AND ${ENTRY_ACTIVE}`;

/**
 * A record as a fact (RecordTuple): columns of `records r` joined with `departments d`, its content
 * (severity, decision date, window) from `content`: the head row `r` or a version `v`.
 */
const RECORD_TUPLE = (content: 'r' | 'v') =>
  `r.id, r.item_code, r.category_code, ${content}.severity, r.doc_no, ${content}.decision_date,
         ${content}.window_from, ${content}.window_until, r.department_id, d.name, d.name_en`;

/** Records disclosed at `at` (head row: valid when `at` is now, no later correction can exist yet). */
const RECORD_FACTS_NOW = (subjectCond: string) => `
  SELECT r.subject_id, json_build_array(${RECORD_TUPLE('r')}) AS t
    FROM records r JOIN departments d ON d.id = r.department_id
   WHERE ${subjectCond} AND ${CHECK_RECORDS('r.severity')}
     AND r.window_from <= $3 AND (r.window_until IS NULL OR r.window_until > $3)
     AND (r.stopped_at IS NULL OR r.stopped_at > $2) AND r.created_at <= $2`;

/** Records disclosed at a past instant: the version recorded by then, no stop in force then. */
const RECORD_FACTS_PAST = (subjectCond: string) => `
  SELECT r.subject_id, json_build_array(${RECORD_TUPLE('v')}) AS t
    FROM records r
    JOIN LATERAL (SELECT * FROM record_versions v WHERE v.record_id = r.id AND v.recorded_at <= $2
                   ORDER BY v.version DESC LIMIT 1) v ON true
    JOIN departments d ON d.id = r.department_id
   WHERE ${subjectCond} AND r.created_at <= $2
     AND ${CHECK_RECORDS('v.severity')}
     AND v.window_from <= $3 AND (v.window_until IS NULL OR v.window_until > $3)
     AND NOT EXISTS (SELECT 1 FROM record_stops s WHERE s.record_id = r.id AND s.effective_at <= $2
                       AND s.recorded_at <= $2 AND (s.lifted_at IS NULL OR s.lifted_at > $2))`;

/** Row count and newest recorded_at of measure_versions, as 'n:epochMillis' (inventoryMark). */
const MARK_SQL = `SELECT count(*) || ':' || coalesce(floor(extract(epoch FROM max(recorded_at)) * 1000)::int8::text, '0')
  FROM measure_versions`;

/** How a check finds its subject; `blind`: the citizen ID's blind index under every configured key. */
export type SubjectKey =
  { kind: 'uscc'; value: string } | { kind: 'blind'; value: Buffer[] } | { kind: 'id'; value: number };

const KEY_COND: Record<SubjectKey['kind'], string> = {
  uscc: 's.uscc = $1',
  blind: 's.id_blind = ANY($1::bytea[])',
  id: 's.id = $1',
};

function singleSql(key: SubjectKey['kind'], past: boolean): string {
  const records = (past ? RECORD_FACTS_PAST : RECORD_FACTS_NOW)('r.subject_id = s.id');
  return `SELECT s.id, s.type, s.name, s.uscc, s.id_masked, s.id_blind,
       coalesce((SELECT json_agg(f.t) FROM (${ENTRY_FACTS('e.subject_id = s.id')}) f), '[]') AS entries,
       coalesce((SELECT json_agg(f.t) FROM (${records}) f), '[]') AS records,
       coalesce((SELECT json_agg(f.t) FROM (${PARTY_ENTRY_FACTS('p.subject_id = s.id')}) f), '[]') AS party_entries,
       (${MARK_SQL}) AS inv_mark
  FROM subjects s WHERE ${KEY_COND[key]} AND s.created_at <= $2`;
}

const BATCH_ENTRIES = ENTRY_FACTS('e.subject_id = ANY($1::int8[])');
const BATCH_PARTY_ENTRIES = PARTY_ENTRY_FACTS('p.subject_id = ANY($1::int8[])');
const BATCH_RECORDS_NOW = RECORD_FACTS_NOW('r.subject_id = ANY($1::int8[])');
const BATCH_RECORDS_PAST = RECORD_FACTS_PAST('r.subject_id = ANY($1::int8[])');

const SINGLE_SQL = new Map<string, string>();
for (const k of Object.keys(KEY_COND) as SubjectKey['kind'][])
  for (const past of [false, true]) SINGLE_SQL.set(`${k}:${past}`, singleSql(k, past));

export const measuresRepo = {
  // ---- scenarios ----

  async scenarios(db: Queryable): Promise<ScenarioRow[]> {
    const { rows } = await db.query<ScenarioRow>(
      'SELECT code, name_zh, name_en, sort FROM measure_scenarios ORDER BY sort, code',
    );
    return rows;
  },

  async insertScenario(
    db: Queryable,
    s: { code: string; nameZh: string; nameEn: string; sort: number; now: Date },
  ) {
    const { rowCount } = await db.query(
      `INSERT INTO measure_scenarios (code, name_zh, name_en, sort, created_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (code) DO NOTHING`,
      [s.code, s.nameZh, s.nameEn, s.sort, s.now],
    );
    return rowCount === 1;
  },

  // ---- inventory ----

  async lockInventory(db: Queryable): Promise<void> {
    await db.query('SELECT pg_advisory_xact_lock($1, 1)', [72_736_010]);
  },

  async head(db: Queryable, code: string, forUpdate = false) {
    const { rows } = await db.query<{ code: string; current_version: number }>(
      `SELECT code, current_version FROM measures WHERE code = $1${forUpdate ? ' FOR UPDATE' : ''}`,
      [code],
    );
    return rows[0];
  },

  async insertMeasure(db: Queryable, code: string, now: Date): Promise<boolean> {
    const { rowCount } = await db.query(
      `INSERT INTO measures (code, current_version, created_at, updated_at) VALUES ($1, 1, $2, $2) ON CONFLICT DO NOTHING`,
      [code, now],
    );
    return rowCount === 1;
  },

  async insertVersion(
    db: Queryable,
    v: { code: string; version: number; definition: string; now: Date; by: string },
  ): Promise<void> {
    await db.query(
      `INSERT INTO measure_versions (code, version, definition, recorded_at, recorded_by) VALUES ($1, $2, $3::jsonb, $4, $5)`,
      [v.code, v.version, v.definition, v.now, v.by],
    );
    await db.query('UPDATE measures SET current_version = $2, updated_at = $3 WHERE code = $1', [
      v.code,
      v.version,
      v.now,
    ]);
  },

  /** Every version of every measure (the inventory is small; checks pick the version in force). */
  async allVersions(db: Queryable): Promise<MeasureVersionRow[]> {
    const { rows } = await db.query<MeasureVersionRow>(
      `SELECT v.code, v.version, m.current_version, v.definition, v.recorded_at, v.recorded_by
         FROM measure_versions v JOIN measures m ON m.code = v.code ORDER BY v.code, v.version`,
    );
    return rows;
  },

  async version(db: Queryable, code: string, version: number | null): Promise<MeasureVersionRow | undefined> {
    const { rows } = await db.query<MeasureVersionRow>(
      `SELECT v.code, v.version, m.current_version, v.definition, v.recorded_at, v.recorded_by
         FROM measures m JOIN measure_versions v ON v.code = m.code AND v.version = coalesce($2, m.current_version)
        WHERE m.code = $1`,
      [code, version],
    );
    return rows[0];
  },

  // ---- check facts ----

  /** One subject and its facts at `at`, in one round trip. */
  async singleFacts(
    db: Queryable,
    key: SubjectKey,
    at: Date,
    day: string,
    triggerItems: readonly string[],
    past: boolean,
  ): Promise<SingleFactsRow | undefined> {
    // Planned once per connection (planning costs more than running it), see platform/db.ts.
    const { rows } = await queryPrepared<SingleFactsRow>(
      db,
      SINGLE_SQL.get(`${key.kind}:${past}`) as string,
      [key.value, at, day, triggerItems],
    );
    return rows[0];
  },

  /** Subjects of a batch by USCC, blind index, id, organisation code or registration number, registered by `at`. */
  async subjectsByKeys(
    db: Queryable,
    keys: { usccs: string[]; blinds: Buffer[]; ids: number[]; orgCodes: string[]; regNos: string[] },
    at: Date,
  ): Promise<SubjectKeyRow[]> {
    const cols = 'id, type, name, uscc, id_masked, id_blind, org_code, reg_no';
    const { rows } = await db.query<SubjectKeyRow>(
      `SELECT ${cols} FROM subjects WHERE uscc = ANY($1::text[]) AND created_at <= $6
       UNION ALL SELECT ${cols} FROM subjects WHERE id_blind = ANY($2::bytea[]) AND created_at <= $6
       UNION ALL SELECT ${cols} FROM subjects WHERE id = ANY($3::int8[]) AND created_at <= $6
       UNION ALL SELECT ${cols} FROM subjects WHERE org_code = ANY($4::text[]) AND created_at <= $6
       UNION ALL SELECT ${cols} FROM subjects WHERE reg_no = ANY($5::text[]) AND created_at <= $6`,
      [keys.usccs, keys.blinds, keys.ids, keys.orgCodes, keys.regNos, at],
    );
    return rows;
  },

  /** Facts of many subjects in three set-based statements (own entries, records, entries naming them). */
  async batchFacts(
    db: Queryable,
    subjectIds: readonly number[],
    at: Date,
    day: string,
    triggerItems: readonly string[],
    past: boolean,
  ): Promise<{
    entries: { subject_id: number; t: EntryTuple }[];
    records: { subject_id: number; t: RecordTuple }[];
    partyEntries: { subject_id: number; t: PartyEntryTuple }[];
  }> {
    if (!subjectIds.length) return { entries: [], records: [], partyEntries: [] };
    const params = [subjectIds, at, day, triggerItems];
    const [e, r, p] = await Promise.all([
      // Planned at each call: the plan for thousands of ids differs from the one for a few.
      db.query<{ subject_id: number; t: EntryTuple }>(BATCH_ENTRIES, params.slice(0, 3)),
      db.query<{ subject_id: number; t: RecordTuple }>(past ? BATCH_RECORDS_PAST : BATCH_RECORDS_NOW, params),
      db.query<{ subject_id: number; t: PartyEntryTuple }>(BATCH_PARTY_ENTRIES, params.slice(0, 3)),
    ]);
    return { entries: e.rows, records: r.rows, partyEntries: p.rows };
  },

  // ---- the in-memory check index (see measures.index.ts) ----

  async lastSeq(db: Queryable): Promise<number> {
    const { rows } = await db.query<{ m: number }>('SELECT coalesce(max(seq), 0)::int8 AS m FROM events');
    return rows[0]?.m ?? 0;
  },

  /**
   * Events after `seq` that can change a subject's facts or the inventory (checks excluded), and
   * the watermark to continue from: the last row's seq when `limit` rows came back, else the log's
   * head. Both come from one statement, so from one snapshot (seq is dense and in commit order).
   */
  async eventsAfter(db: Queryable, seq: number, limit: number) {
    const { rows } = await db.query<{
      head: number;
      seq: number | null;
      subject_id: number | null;
      entity_type: string | null;
    }>(
      `WITH head AS (SELECT coalesce(max(seq), 0)::int8 AS head FROM events),
            r AS (SELECT seq, subject_id, entity_type FROM events WHERE seq > $1 AND entity_type <> 'check'
                   ORDER BY seq LIMIT $2)
       SELECT head.head, r.seq, r.subject_id, r.entity_type FROM head LEFT JOIN r ON true ORDER BY r.seq`,
      [seq, limit],
    );
    const events = rows
      .filter((r) => r.seq !== null)
      .map((r) => ({ seq: Number(r.seq), subject_id: r.subject_id, entity_type: r.entity_type as string }));
    const head = Number(rows[0]?.head ?? seq);
    const last = events.length === limit ? (events[events.length - 1] as { seq: number }).seq : head;
    return { rows: events, last: Math.max(last, seq) };
  },

  /** Every subject, streamed by COPY (a million rows without holding them all as objects). */
  async streamSubjects(pool: Pool, onRow: (r: IndexSubjectRow) => void): Promise<void> {
    const client = await pool.connect();
    try {
      const stream = client.query(
        copyStreams.to(
          `COPY (SELECT id, type, uscc, encode(id_blind, 'hex'), name, id_masked,
                        floor(extract(epoch FROM created_at) * 1000)::int8 FROM subjects) TO STDOUT`,
        ),
      );
      let rest = '';
      const decoder = new StringDecoder('utf8');
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        const text = rest + decoder.write(chunk);
        const lines = text.split('\n');
        rest = lines.pop() ?? '';
        for (const line of lines) {
          const f = line.split('\t');
          onRow({
            id: Number(f[0]),
            type: f[1] as string,
            uscc: unescapeCopy(f[2] as string),
            blind: unescapeCopy(f[3] as string),
            name: unescapeCopy(f[4] as string) ?? '',
            id_masked: unescapeCopy(f[5] as string),
            created_at: new Date(Number(f[6])),
          });
        }
      }
    } finally {
      client.release();
    }
  },

  async indexSubjects(db: Queryable, ids: readonly number[]): Promise<IndexSubjectRow[]> {
    const { rows } = await db.query<IndexSubjectRow>(
      `SELECT id, type, uscc, encode(id_blind, 'hex') AS blind, name, id_masked, created_at FROM subjects
        WHERE id = ANY($1::int8[])`,
      [ids],
    );
    return rows;
  },

  /** Entries that are or may still become active after `at` (null ids: every subject). */
  async indexEntries(db: Queryable, ids: readonly number[] | null, at: Date, day: string) {
    const { rows } = await db.query<{ subject_id: number; t: EntryTuple; ended_at: Date | null }>(
      `SELECT e.subject_id, json_build_array(${ENTRY_TUPLE}) AS t, e.ended_at
         FROM list_entries e
         ${ENTRY_JOINS}
        WHERE ($1::int8[] IS NULL OR e.subject_id = ANY($1::int8[])) AND ${ENTRY_LIVE}`,
      [ids, at, day],
    );
    return rows;
  },

  /** Entries naming the subjects as related parties that are or may still become active after `at`. */
  async indexPartyEntries(db: Queryable, ids: readonly number[] | null, at: Date, day: string) {
    const { rows } = await db.query<{ subject_id: number; t: PartyEntryTuple; ended_at: Date | null }>(
      `SELECT ${PARTY_COLS}, e.ended_at
         FROM ${PARTY_FROM}
        WHERE ($1::int8[] IS NULL OR p.subject_id = ANY($1::int8[])) AND ${ENTRY_REACHES} AND ${ENTRY_LIVE}`,
      [ids, at, day],
    );
    return rows;
  },

  /**
   * The related parties of the entries on these subjects (listed entries that can reach anyone):
   * a change to an entry or to the listed subject changes their facts too, but its event names
   * only the listed subject.
   */
  async partiesOfSubjects(db: Queryable, ids: readonly number[]): Promise<number[]> {
    const { rows } = await db.query<{ subject_id: number }>(
      `SELECT DISTINCT p.subject_id FROM list_entries e JOIN list_entry_parties p ON p.entry_id = e.id
        WHERE e.subject_id = ANY($1::int8[]) AND e.stage = 'listed' AND ${ENTRY_REACHES}`,
      [ids],
    );
    return rows.map((r) => Number(r.subject_id));
  },

  /** Records that are or may still be disclosed after `at` and can matter to a check. */
  async indexRecords(
    db: Queryable,
    ids: readonly number[] | null,
    at: Date,
    day: string,
    items: readonly string[],
  ) {
    const { rows } = await db.query<{
      subject_id: number;
      t: RecordTuple;
      stopped_at: Date | null;
      created_at: Date;
    }>(
      `SELECT r.subject_id, json_build_array(${RECORD_TUPLE('r')}) AS t, r.stopped_at, r.created_at
         FROM records r JOIN departments d ON d.id = r.department_id
        WHERE ($1::int8[] IS NULL OR r.subject_id = ANY($1::int8[]))
          AND ${CHECK_RECORDS('r.severity')}
          AND (r.window_until IS NULL OR r.window_until > $3) AND (r.stopped_at IS NULL OR r.stopped_at > $2)`,
      [ids, at, day, items],
    );
    return rows;
  },

  async inventoryMark(db: Queryable): Promise<string> {
    const { rows } = await db.query<{ m: string }>(`SELECT (${MARK_SQL}) AS m`);
    return rows[0]?.m ?? '0:0';
  },

  // ---- checks and feedback ----

  /** The insert of check rows, run with their events in one statement (measures.checklog.ts). */
  insertChecks(checks: readonly CheckRow[]): Statement {
    const col = <K extends keyof CheckRow>(k: K) => checks.map((c) => c[k]);
    return {
      text: `INSERT INTO checks (id, kind, requested_at, at, actor, department_id, scenario, subject_id, subject_count,
                           subjects_sha256, outcome, outcomes, measure_codes, subject_ids, applied_to)
       SELECT id, k, ra, a, ac, d, sc, s, n, h, o, os::jsonb, string_to_array(m, ','), string_to_array(si, ',')::int8[],
              ap::jsonb
         FROM unnest($1::uuid[], $2::text[], $3::timestamptz[], $4::timestamptz[], $5::text[], $6::int8[], $7::text[],
                     $8::int8[], $9::int4[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[], $15::text[])
           AS u(id, k, ra, a, ac, d, sc, s, n, h, o, os, m, si, ap)`,
      values: [
        col('id'),
        col('kind'),
        col('requestedAt'),
        col('at'),
        col('actor'),
        col('departmentId'),
        col('scenario'),
        col('subjectId'),
        col('subjectCount'),
        col('subjectsSha256'),
        col('outcome'),
        checks.map((c) => (c.outcomes ? JSON.stringify(c.outcomes) : null)),
        checks.map((c) => c.measureCodes.join(',')),
        checks.map((c) => (c.subjectIds ? c.subjectIds.join(',') : null)),
        checks.map((c) => (c.appliedTo ? JSON.stringify(c.appliedTo) : null)),
      ],
    };
  },

  async check(db: Queryable, id: string): Promise<StoredCheckRow | undefined> {
    const { rows } = await db.query<StoredCheckRow>(
      'SELECT id, kind, department_id, actor, subject_id, measure_codes FROM checks WHERE id = $1',
      [id],
    );
    return rows[0];
  },

  /**
   * Whether a batch check covered the subject, and whether the measure applied to it there (null:
   * a check logged before migration 0027, which kept no per-subject results).
   */
  async batchCoverage(
    db: Queryable,
    checkId: string,
    subjectId: number,
    measure: string,
  ): Promise<{ in_batch: boolean | null; applied: boolean | null }> {
    const { rows } = await db.query<{ in_batch: boolean | null; applied: boolean | null }>(
      `SELECT $2::int8 = ANY(subject_ids) AS in_batch,
              CASE WHEN applied_to IS NOT NULL THEN coalesce(applied_to -> $3::text @> to_jsonb($2::int8), false) END
                AS applied
         FROM checks WHERE id = $1`,
      [checkId, subjectId, measure],
    );
    return rows[0] ?? { in_batch: false, applied: false };
  },

  async insertFeedback(
    db: Queryable,
    f: {
      checkId: string;
      measure: string;
      subjectId: number;
      applied: boolean;
      reason: string;
      departmentId: number | null;
      now: Date;
      by: string;
    },
  ): Promise<number | undefined> {
    const { rows } = await db.query<{ id: number }>(
      `INSERT INTO measure_feedback (check_id, measure_code, subject_id, applied, reason, department_id, recorded_at,
                                     recorded_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING RETURNING id`,
      [f.checkId, f.measure, f.subjectId, f.applied, f.reason, f.departmentId, f.now, f.by],
    );
    return rows[0]?.id;
  },

  /**
   * A measure's feedback, and the checks it applied in: through the partial GIN index of the checks
   * that applied any measure (migration 0032; the condition repeats its predicate).
   */
  async feedbackStats(db: Queryable, code: string) {
    const { rows } = await db.query<{ applied: number; not_applied: number; checks: number }>(
      `SELECT count(*) FILTER (WHERE applied)::int8 AS applied, count(*) FILTER (WHERE NOT applied)::int8 AS not_applied,
              (SELECT count(*) FROM checks
                WHERE measure_codes @> ARRAY[$1::text] AND measure_codes <> '{}')::int8 AS checks
         FROM measure_feedback WHERE measure_code = $1`,
      [code],
    );
    const reasons = await db.query<{ reason: string; n: number }>(
      `SELECT reason, count(*)::int8 AS n FROM measure_feedback WHERE measure_code = $1 AND NOT applied
        GROUP BY reason ORDER BY n DESC, reason LIMIT 20`,
      [code],
    );
    return {
      ...(rows[0] as { applied: number; not_applied: number; checks: number }),
      reasons: reasons.rows,
    };
  },
};
