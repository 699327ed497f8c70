import type { Readable } from 'node:stream';
import copyStreams from 'pg-copy-streams';
import type { Queryable, Tx } from '../../platform/db';

/**
 * The verifier's reads of the state tables and of the events that determine them (audit.state.ts),
 * a batch of ids at a time, in one snapshot: the caller runs them on one client inside
 * `begin`/`end`. Records and their versions come as binary COPY streams (audit.copy.ts), the rest
 * as arrays (no per-row objects). Times outside COPY are int8 microseconds since 1970 (exact in a
 * JS number until the year 2255), so that a row's time and an event's `at` compare exactly.
 */
const us = (col: string): string => `(extract(epoch FROM ${col}) * 1000000)::int8`;

/**
 * The SELECT list of a column order below, so that the query reads what the order names: the
 * columns in `times` as µs, those in `texts` (jsonb) as their text.
 */
function select(
  cols: readonly string[],
  times: ReadonlySet<string> | readonly string[] = [],
  texts: readonly string[] = [],
): string {
  const time = new Set(times);
  return cols.map((c) => (time.has(c) ? us(c) : texts.includes(c) ? `${c}::text` : c)).join(', ');
}

/** Column order of recordRows. */
export const RECORD_COLUMNS = [
  'id',
  'subject_id',
  'department_id',
  'item_code',
  'item_version',
  'doc_no',
  'decision_date',
  'severity',
  'payload',
  'window_from',
  'window_until',
  'version',
  'stop_kind',
  'stopped_at',
  'created_at',
  'updated_at',
  'disputed_since',
] as const;

/** Column order of versionRows. */
export const VERSION_COLUMNS = [
  'record_id',
  'version',
  'item_version',
  'decision_date',
  'severity',
  'payload',
  'window_from',
  'window_until',
  'change_kind',
  'change_reason',
  'recorded_at',
  'recorded_by',
] as const;

/** Column order of subjectRows. */
export const SUBJECT_COLUMNS = [
  'id',
  'type',
  'uscc',
  'org_code',
  'reg_no',
  'name',
  'region',
  'legal_rep',
  'status',
  'established_on',
  'id_masked',
  'origin',
  'version',
  'created_at',
  'updated_at',
] as const;

/** Column order of recordStopRows (times as µs). */
export const STOP_COLUMNS = [
  'record_id',
  'id',
  'kind',
  'reason',
  'effective_at',
  'recorded_at',
  'recorded_by',
  'lifted_at',
  'lift_reason',
] as const;

/** Column order of subjectNameRows (times as µs; pinyin and initials are not read). */
export const NAME_COLUMNS = ['subject_id', 'id', 'name', 'kind', 'valid_from', 'valid_to'] as const;

/** Column order of subjectVersionRows. */
export const SUBJECT_VERSION_COLUMNS = ['subject_id', 'version', 'data', 'recorded_at'] as const;

/** Column order of listEntryRows (times as µs, dates as 'YYYY-MM-DD'). */
export const LIST_ENTRY_COLUMNS = [
  'id',
  'list_type_code',
  'list_type_version',
  'subject_id',
  'department_id',
  'stage',
  'summary',
  'proposed_at',
  'notified_on',
  'notified_at',
  'notice_no',
  'repair_notice_no',
  'statement_deadline',
  'statement_at',
  'waived_at',
  'decided_at',
  'decision_no',
  'decision_reasons',
  'period_months',
  'effective_from',
  'effective_until',
  'review_on',
  'published_at',
  'ended_at',
  'end_reason',
  'end_note',
  'version',
  'created_at',
  'updated_at',
] as const;

/** Columns of list_entries that are timestamps (read as µs). */
export const LIST_ENTRY_TIMES: ReadonlySet<string> = new Set([
  'proposed_at',
  'notified_at',
  'statement_at',
  'waived_at',
  'decided_at',
  'published_at',
  'ended_at',
  'created_at',
  'updated_at',
]);

/** Column order of listEntryStepRows: entry_id, id, step, at (µs), actor, data (jsonb text). */
export const LIST_ENTRY_STEP_COLUMNS = ['entry_id', 'id', 'step', 'at', 'actor', 'data'] as const;

/** Column order of listEntryFactRows. */
export const LIST_ENTRY_FACT_COLUMNS = [
  'entry_id',
  'ord',
  'kind',
  'record_id',
  'doc_no',
  'doc_title',
  'doc_date',
  'issued_by',
] as const;

/** Column order of listEntryPartyRows. */
export const LIST_ENTRY_PARTY_COLUMNS = ['entry_id', 'subject_id', 'role', 'note'] as const;

/** seq, at (µs), actor_kind, actor_id, type, entity_id, payload. */
export type EventTuple = [number, number, string, string | null, string, string, string];

type Row = unknown[];

function int(n: number): number {
  if (!Number.isSafeInteger(n)) throw new RangeError('id range must be integers');
  return n;
}

/**
 * The largest numeric entity id of the events of `entityType`: the longest, then greatest text (one
 * pass over the index entries; a cast of every id costs more). Ids that are no number are skipped.
 */
async function maxEntityId(db: Queryable, entityType: string): Promise<number> {
  const top = async (where: string): Promise<string | undefined> =>
    (
      await db.query<{ id: string }>(
        `SELECT entity_id AS id FROM events WHERE entity_type = $1 ${where}
          ORDER BY length(entity_id) DESC, entity_id DESC LIMIT 1`,
        [entityType],
      )
    ).rows[0]?.id;
  let id = await top('');
  if (id !== undefined && !/^[0-9]{1,15}$/.test(id)) id = await top(`AND entity_id ~ '^[0-9]{1,15}$'`);
  return id === undefined ? 0 : Number(id);
}

function copy(client: Tx, select: string): Readable {
  return client.query(copyStreams.to(`COPY (${select}) TO STDOUT (FORMAT binary)`));
}

async function arrays(db: Tx, text: string, values: unknown[]): Promise<Row[]> {
  const { rows } = await db.query<Row>({ text, values, rowMode: 'array' });
  return rows;
}

export const stateRepo = {
  /**
   * A read-only snapshot for the whole check (rows and events as of one instant); returns its name
   * for other clients to join.
   */
  async begin(client: Tx): Promise<string> {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY');
    // Held open while the others (the workers) read: not "idle in transaction" in that sense.
    await client.query('SET LOCAL idle_in_transaction_session_timeout = 0');
    const { rows } = await client.query<{ s: string }>('SELECT pg_export_snapshot() AS s');
    return (rows[0] as { s: string }).s;
  },

  /** Another client in the snapshot `begin` made (which stays open meanwhile). */
  async join(client: Tx, snapshot: string): Promise<void> {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY');
    await client.query(`SET TRANSACTION SNAPSHOT '${snapshot.replace(/'/g, "''")}'`);
    await client.query('SET LOCAL idle_in_transaction_session_timeout = 0');
  },

  async end(client: Tx): Promise<void> {
    await client.query('ROLLBACK');
  },

  /** The largest record id a row or a record event names (an event id that is no number is left out). */
  async maxRecordId(db: Queryable): Promise<number> {
    const { rows } = await db.query<{ n: number | null }>(
      `SELECT greatest((SELECT max(id) FROM records), (SELECT max(record_id) FROM record_versions),
                       (SELECT max(record_id) FROM record_stops)) AS n`,
    );
    return Math.max(Number(rows[0]?.n ?? 0), await maxEntityId(db, 'record'));
  },

  async maxSubjectId(db: Queryable): Promise<number> {
    const { rows } = await db.query<{ n: number | null }>(
      `SELECT greatest((SELECT max(id) FROM subjects), (SELECT max(subject_id) FROM subject_versions),
                       (SELECT max(subject_id) FROM subject_names)) AS n`,
    );
    return Math.max(Number(rows[0]?.n ?? 0), await maxEntityId(db, 'subject'));
  },

  /**
   * Heads with id in [lo, hi], by id, columns as RECORD_COLUMNS, as a binary COPY stream: ids int8,
   * item_version and version int4, dates int4 days and times int8 µs since 2000-01-01, the payload
   * as its jsonb text. Needs the client to itself until the stream ends.
   */
  recordsBinary(client: Tx, lo: number, hi: number): Readable {
    return copy(
      client,
      `SELECT ${select(RECORD_COLUMNS, [], ['payload'])}
         FROM records WHERE id BETWEEN ${int(lo)} AND ${int(hi)} ORDER BY id`,
    );
  },

  /** Versions of records lo..hi, by record and version, columns as VERSION_COLUMNS (as recordsBinary). */
  versionsBinary(client: Tx, lo: number, hi: number): Readable {
    return copy(
      client,
      `SELECT ${select(VERSION_COLUMNS, [], ['payload'])}
         FROM record_versions WHERE record_id BETWEEN ${int(lo)} AND ${int(hi)} ORDER BY record_id, version`,
    );
  },

  /** Stop rows of records lo..hi, by record and id, columns as STOP_COLUMNS. */
  recordStopRows(db: Tx, lo: number, hi: number): Promise<Row[]> {
    return arrays(
      db,
      `SELECT ${select(STOP_COLUMNS, ['effective_at', 'recorded_at', 'lifted_at'])}
         FROM record_stops WHERE record_id BETWEEN $1 AND $2 ORDER BY record_id, id`,
      [lo, hi],
    );
  },

  /** The largest list entry id a row, a step or a list entry event names. */
  async maxListEntryId(db: Queryable): Promise<number> {
    const { rows } = await db.query<{ n: number | null }>(
      `SELECT greatest((SELECT max(id) FROM list_entries), (SELECT max(entry_id) FROM list_entry_steps),
                       (SELECT max(entry_id) FROM list_entry_facts), (SELECT max(entry_id) FROM list_entry_parties)) AS n`,
    );
    return Math.max(Number(rows[0]?.n ?? 0), await maxEntityId(db, 'list_entry'));
  },

  /** List entries lo..hi, by id, columns as LIST_ENTRY_COLUMNS. */
  listEntryRows(db: Tx, lo: number, hi: number): Promise<Row[]> {
    const cols = select(LIST_ENTRY_COLUMNS, LIST_ENTRY_TIMES);
    return arrays(db, `SELECT ${cols} FROM list_entries WHERE id BETWEEN $1 AND $2 ORDER BY id`, [lo, hi]);
  },

  /** Steps of list entries lo..hi, by entry and id, columns as LIST_ENTRY_STEP_COLUMNS. */
  listEntryStepRows(db: Tx, lo: number, hi: number): Promise<Row[]> {
    return arrays(
      db,
      `SELECT ${select(LIST_ENTRY_STEP_COLUMNS, ['at'], ['data'])}
         FROM list_entry_steps WHERE entry_id BETWEEN $1 AND $2 ORDER BY entry_id, id`,
      [lo, hi],
    );
  },

  /** Facts of list entries lo..hi, by entry and position, columns as LIST_ENTRY_FACT_COLUMNS. */
  listEntryFactRows(db: Tx, lo: number, hi: number): Promise<Row[]> {
    return arrays(
      db,
      `SELECT ${select(LIST_ENTRY_FACT_COLUMNS)}
         FROM list_entry_facts WHERE entry_id BETWEEN $1 AND $2 ORDER BY entry_id, ord`,
      [lo, hi],
    );
  },

  /** Related parties of list entries lo..hi, columns as LIST_ENTRY_PARTY_COLUMNS. */
  listEntryPartyRows(db: Tx, lo: number, hi: number): Promise<Row[]> {
    return arrays(
      db,
      `SELECT ${select(LIST_ENTRY_PARTY_COLUMNS)}
         FROM list_entry_parties WHERE entry_id BETWEEN $1 AND $2 ORDER BY entry_id, subject_id, role`,
      [lo, hi],
    );
  },

  subjectRows(db: Tx, lo: number, hi: number): Promise<Row[]> {
    return arrays(
      db,
      `SELECT ${select(SUBJECT_COLUMNS, ['created_at', 'updated_at'])}
         FROM subjects WHERE id BETWEEN $1 AND $2 ORDER BY id`,
      [lo, hi],
    );
  },

  subjectVersionRows(db: Tx, lo: number, hi: number): Promise<Row[]> {
    return arrays(
      db,
      `SELECT ${select(SUBJECT_VERSION_COLUMNS, ['recorded_at'], ['data'])}
         FROM subject_versions WHERE subject_id BETWEEN $1 AND $2 ORDER BY subject_id, version`,
      [lo, hi],
    );
  },

  /** Name rows of subjects lo..hi, by subject and id, columns as NAME_COLUMNS. */
  subjectNameRows(db: Tx, lo: number, hi: number): Promise<Row[]> {
    return arrays(
      db,
      `SELECT ${select(NAME_COLUMNS, ['valid_from', 'valid_to'])}
         FROM subject_names WHERE subject_id BETWEEN $1 AND $2 ORDER BY subject_id, id`,
      [lo, hi],
    );
  },

  /**
   * Events of the entities `ids` (entity ids as text, best sorted: the index is searched in their
   * order), of the given types (all when null), in no particular order, as EventTuple.
   */
  async entityEvents(
    db: Tx,
    entityType: string,
    ids: readonly string[],
    types: readonly string[] | null,
  ): Promise<EventTuple[]> {
    if (ids.length === 0) return [];
    return (await arrays(
      db,
      `SELECT seq, ${us('at')}, actor_kind, actor_id, type, entity_id, payload FROM events
        WHERE entity_type = $1 AND entity_id = ANY($2::text[]) AND ($3::text[] IS NULL OR type = ANY($3::text[]))`,
      [entityType, ids, types],
    )) as EventTuple[];
  },

  /** Objection openings and resolutions that name a record: [seq, at µs, type, record id], by seq. */
  async disputeMarks(db: Tx): Promise<[number, number, string, number][]> {
    return (await arrays(
      db,
      `SELECT seq, ${us('at')}, type, (payload::jsonb ->> 'recordId')::int8 FROM events
        WHERE type IN ('objection.opened', 'objection.resolved')
          AND jsonb_typeof(payload::jsonb -> 'recordId') = 'number'
        ORDER BY seq`,
      [],
    )) as [number, number, string, number][];
  },

  /**
   * Field-key rotation batches over record payloads: [seq, target, fromId, toId, has row hashes],
   * by seq (audit.keys.ts; rows fromId < id ≤ toId).
   */
  async payloadRotations(db: Tx): Promise<[number, string, number, number, boolean][]> {
    return (await arrays(
      db,
      `SELECT seq, p ->> 'target', (p ->> 'fromId')::int8, (p ->> 'toId')::int8, p ? 'hashes'
         FROM (SELECT seq, payload::jsonb AS p FROM events WHERE type = 'security.field_key_reencrypted') e
        WHERE p ->> 'target' IN ('records.payload', 'record_versions.payload')
        ORDER BY seq`,
      [],
    )) as [number, string, number, number, boolean][];
  },

  /** Payloads of the events `seqs`: [seq, payload]. */
  async payloads(db: Tx, seqs: readonly number[]): Promise<[number, string][]> {
    if (seqs.length === 0) return [];
    return (await arrays(db, 'SELECT seq, payload FROM events WHERE seq = ANY($1::int8[]) ORDER BY seq', [
      seqs,
    ])) as [number, string][];
  },
};
