import type { Pool, Tx } from '../../platform/db';
import { startWorkers } from './audit.workers';
import {
  RECORD_COLUMNS,
  SUBJECT_COLUMNS,
  VERSION_COLUMNS,
  stateRepo,
  type EventTuple,
} from './audit.state.repository';
import { readRows, type ColumnType } from './audit.state.rows';
import {
  RowCheck,
  columnIndex,
  actorLabel,
  fmtTime,
  groupBy,
  mismatch,
  missing,
  ownerIds,
  parsedEvents,
  short,
  textIds,
  unlogged,
  type Add,
  type Payload,
  type Row,
  type StateProblem,
} from './audit.state.common';
import { checkListEntryBatch, readListEntryBatch, type ListEntryBatch } from './audit.state.lists';
import { STOP_TYPES, checkNames, checkStops } from './audit.state.history';

export { storedPayloadSha256 } from './audit.state.rows';

/**
 * The state tables checked against the log, for `xinyong verify-log` (after the event pass has
 * checked the log itself): every row of `records`, `record_versions`, `record_stops`, `subjects`,
 * `subject_versions` and `subject_names` must hold what the events that wrote it say it holds. The
 * events carry it: `record.created` / `record.corrected` / `record.stopped|withdrawn|repaired` the
 * record's metadata and the SHA-256 of its payload (the stop events also the stop's kind and reason,
 * audit.state.history.ts), `objection.opened|resolved` its "under objection" mark,
 * `security.field_key_reencrypted` the new payload hashes after a key rotation, and
 * `subject.created|updated|renamed` the subject as stored (so also its current and former names);
 * `list_entry.*` each list entry, its steps,
 * facts and related parties (audit.state.lists.ts). Which column each event decides is in
 * docs/audit.md ("State tables").
 *
 * Rows are read a batch of ids at a time (records, their versions, and their events by the
 * `events_entity` index), all in one read-only snapshot, so a platform writing meanwhile is not
 * mistaken for tampering. Findings:
 *  - `state_mismatch`: columns differ from what the log says (the event that decided them named);
 *  - `state_unlogged`: a row no event wrote;
 *  - `state_missing`: a row the log wrote is gone.
 */
export type { StateProblem, StateProblemKind, StateTable } from './audit.state.common';
export { rowLabel } from './audit.state.common';

export interface StateReport {
  records: number;
  recordVersions: number;
  recordStops: number;
  subjects: number;
  subjectVersions: number;
  subjectNames: number;
  /** List entries and their steps (their facts and parties are checked with them, not counted). */
  listEntries: number;
  listEntrySteps: number;
  /**
   * Payloads checked only against their twin row: written by a `record.created` that hashed the
   * payload in the order it was submitted (not recoverable from jsonb), or re-encrypted by a key
   * rotation that did not log row hashes. See docs/audit.md.
   */
  unverifiedPayloads: number;
  problems: StateProblem[];
  problemCount: number;
  seconds: number;
}

export interface StateOptions {
  /** Ids per batch (default 20,000). */
  batchSize?: number;
  maxProblems?: number;
  onProgress?: (table: StateJobTable, id: number, last: number) => void;
  /** Worker threads that read and check batches (0: this thread), each on a connection to databaseUrl. */
  workers?: number;
  /**
   * Smallest number of ids (records and subjects) for which the workers are started (default
   * 500,000): each loads its own copy of the modules (~0.5 s); on 2 cores they win nothing at 100 k.
   */
  workersFrom?: number;
  databaseUrl?: string;
}

const R = columnIndex(RECORD_COLUMNS);
const V = columnIndex(VERSION_COLUMNS);
const S = columnIndex(SUBJECT_COLUMNS);

/** How recordsBinary / versionsBinary columns are read, by name; the payload comes as its hash. */
const RECORD_TYPE: Record<(typeof RECORD_COLUMNS)[number], ColumnType> = {
  id: 'int8',
  subject_id: 'int8',
  department_id: 'int8',
  item_code: 'text',
  item_version: 'int4',
  doc_no: 'text',
  decision_date: 'date',
  severity: 'text',
  payload: 'payload',
  window_from: 'date',
  window_until: 'date',
  version: 'int4',
  stop_kind: 'text',
  stopped_at: 'time',
  created_at: 'time',
  updated_at: 'time',
  disputed_since: 'time',
};
const VERSION_TYPE: Record<(typeof VERSION_COLUMNS)[number], ColumnType> = {
  record_id: 'int8',
  version: 'int4',
  item_version: 'int4',
  decision_date: 'date',
  severity: 'text',
  payload: 'payload',
  window_from: 'date',
  window_until: 'date',
  change_kind: 'text',
  change_reason: 'text',
  recorded_at: 'time',
  recorded_by: 'text',
};
const RECORD_TYPES = RECORD_COLUMNS.map((c) => RECORD_TYPE[c]);
const VERSION_TYPES = VERSION_COLUMNS.map((c) => VERSION_TYPE[c]);

/** A record event that states the record's content (created, corrected, stopped, …). */
interface Snapshot {
  seq: number;
  at: number;
  type: string;
  actor: string;
  p: Payload;
  version: number;
  /** Its payloadSha256 is of the stored form (recordEvent); a legacy record.created's is not. */
  exact: boolean;
}

/** What the log says a payload hashes to, and from which event. */
interface Claim {
  seq: number;
  hash: string | null; // null: re-encrypted without a logged hash
  exact: boolean;
}

const RECORD_SNAPSHOT = (p: Payload): boolean =>
  typeof p.payloadSha256 === 'string' && typeof p.decisionDate === 'string';
const SUBJECT_TYPES = ['subject.created', 'subject.updated', 'subject.renamed'];
const VERSIONED = new Set(['record.created', 'record.corrected']);

export async function verifyState(pool: Pool, opts: StateOptions = {}): Promise<StateReport> {
  const started = performance.now();
  const batch = Math.max(1, opts.batchSize ?? 20_000);
  const maxProblems = opts.maxProblems ?? 20;
  const report: StateReport = {
    records: 0,
    recordVersions: 0,
    recordStops: 0,
    subjects: 0,
    subjectVersions: 0,
    subjectNames: 0,
    listEntries: 0,
    listEntrySteps: 0,
    unverifiedPayloads: 0,
    problems: [],
    problemCount: 0,
    seconds: 0,
  };
  const merge = (r: BatchResult): void => {
    if (r.table === 'records') {
      report.records += r.rows;
      report.recordVersions += r.versions;
      report.recordStops += r.history;
    } else if (r.table === 'list_entries') {
      report.listEntries += r.rows;
      report.listEntrySteps += r.versions;
    } else {
      report.subjects += r.rows;
      report.subjectVersions += r.versions;
      report.subjectNames += r.history;
    }
    report.unverifiedPayloads += r.unverified;
    report.problemCount += r.problemCount;
    for (const p of r.problems) if (report.problems.length < maxProblems) report.problems.push(p);
    opts.onProgress?.(r.table, r.hi, r.last);
  };
  // Clients in one snapshot: the first exports it, the others (and the workers) join it.
  const clients: Tx[] = [];
  let failed: Error | undefined;
  try {
    clients.push(await pool.connect());
    const main = clients[0] as Tx;
    const snapshot = await stateRepo.begin(main);
    const ctx = await prepare(main, maxProblems);
    const jobs: Job[] = [
      ...ranges(ctx.lastRecord, batch).map(([lo, hi]) => ({ table: 'records' as const, lo, hi })),
      ...ranges(ctx.lastSubject, batch).map(([lo, hi]) => ({ table: 'subjects' as const, lo, hi })),
      ...ranges(ctx.lastListEntry, batch).map(([lo, hi]) => ({ table: 'list_entries' as const, lo, hi })),
    ];
    const workers =
      ctx.lastRecord + ctx.lastSubject + ctx.lastListEntry >= (opts.workersFrom ?? 500_000)
        ? (opts.workers ?? 0)
        : 0;
    if (workers > 0) {
      if (!opts.databaseUrl) throw new Error('verify-log workers need the database URL');
      await inWorkers(opts.databaseUrl, snapshot, ctx, workers, jobs, merge);
    } else {
      // Two clients: one reads the next batch while this thread checks the last.
      clients.push(await pool.connect());
      await stateRepo.join(clients[1] as Tx, snapshot);
      let next: Promise<Batch> | null = null;
      const start = (k: number): Promise<Batch> => {
        const p = readBatch(clients[k % 2] as Tx, jobs[k] as Job, ctx);
        p.catch(() => undefined); // awaited in order below
        return p;
      };
      if (jobs.length) next = start(0);
      for (let k = 0; next; k++) {
        const current: Batch = await next;
        next = k + 1 < jobs.length ? start(k + 1) : null;
        merge(checkBatch(current, ctx));
      }
    }
  } catch (err) {
    failed = err as Error;
    throw err;
  } finally {
    for (const c of clients) {
      await stateRepo.end(c).catch(() => undefined);
      c.release(failed);
    }
  }
  report.seconds = (performance.now() - started) / 1000;
  return report;
}

function ranges(last: number, batch: number): [number, number][] {
  const out: [number, number][] = [];
  for (let lo = 1; lo <= last; lo += batch) out.push([lo, Math.min(lo + batch - 1, last)]);
  return out;
}

/** The tables whose ids the state check walks in batches (versions, steps … go with their owner). */
export type StateJobTable = 'records' | 'subjects' | 'list_entries';

/** A batch of ids of one table, as the workers are sent them. */
export interface Job {
  table: StateJobTable;
  lo: number;
  hi: number;
}

/** What every batch needs, read once (and sent to the workers). */
export interface StateContext {
  /** Per record: the last objection opening or resolution naming it, [record id, seq, at, opened]. */
  marks: [number, number, number, boolean][];
  rotations: RotationMeta[];
  lastRecord: number;
  lastSubject: number;
  lastListEntry: number;
  maxProblems: number;
}

/** A field-key rotation batch over record payloads: [seq, target, fromId, toId, with row hashes]. */
type RotationMeta = [number, string, number, number, boolean];

/** One batch's findings, merged in order by verifyState. */
export interface BatchResult {
  table: StateJobTable;
  hi: number;
  last: number;
  rows: number;
  versions: number;
  /** Rows of the owner's history table: record_stops of records, subject_names of subjects. */
  history: number;
  unverified: number;
  problems: StateProblem[];
  problemCount: number;
}

async function prepare(db: Tx, maxProblems: number): Promise<StateContext> {
  // The objection mark: the last opening or resolution naming the record decides it.
  const marks = new Map<number, [number, number, number, boolean]>();
  for (const [seq, at, type, recordId] of await stateRepo.disputeMarks(db))
    marks.set(recordId, [recordId, seq, at, type === 'objection.opened']);
  return {
    marks: [...marks.values()],
    rotations: await stateRepo.payloadRotations(db),
    lastRecord: await stateRepo.maxRecordId(db),
    lastSubject: await stateRepo.maxSubjectId(db),
    lastListEntry: await stateRepo.maxListEntryId(db),
    maxProblems,
  };
}

type Batch =
  | ({ table: 'records' } & RecordBatch)
  | ({ table: 'subjects' } & SubjectBatch)
  | ({ table: 'list_entries' } & ListEntryBatch);

/** Reads a batch (a client runs its queries one after the other). */
export async function readBatch(client: Tx, job: Job, ctx: StateContext): Promise<Batch> {
  if (job.table === 'records')
    return { table: 'records', ...(await readRecordBatch(client, job.lo, job.hi, ctx.rotations)) };
  if (job.table === 'list_entries')
    return { table: 'list_entries', ...(await readListEntryBatch(client, job.lo, job.hi)) };
  return { table: 'subjects', ...(await readSubjectBatch(client, job.lo, job.hi)) };
}

const markMaps = new WeakMap<StateContext, Map<number, Mark>>();

/** Checks a batch read by readBatch. */
export function checkBatch(batch: Batch, ctx: StateContext): BatchResult {
  const result: BatchResult = {
    table: batch.table,
    hi: batch.hi,
    last:
      batch.table === 'records'
        ? ctx.lastRecord
        : batch.table === 'list_entries'
          ? ctx.lastListEntry
          : ctx.lastSubject,
    rows: 0,
    versions: 0,
    history: 0,
    unverified: 0,
    problems: [],
    problemCount: 0,
  };
  const add = (p: StateProblem): void => {
    result.problemCount++;
    if (result.problems.length < ctx.maxProblems) result.problems.push(p);
  };
  if (batch.table === 'records') {
    let marks = markMaps.get(ctx);
    if (!marks) {
      marks = new Map(ctx.marks.map(([id, seq, at, open]) => [id, { seq, at, open }]));
      markMaps.set(ctx, marks);
    }
    checkRecordBatch(batch, marks, result, add);
  } else if (batch.table === 'list_entries') checkListEntryBatch(batch, result, add);
  else checkSubjectBatch(batch, result, add);
  return result;
}

/** Runs the jobs in `count` worker threads (each on a connection joined to `snapshot`), merged in order. */
async function inWorkers(
  url: string,
  snapshot: string,
  ctx: StateContext,
  count: number,
  jobs: readonly Job[],
  merge: (r: BatchResult) => void,
): Promise<void> {
  const pool = startWorkers<Job, BatchResult>(
    new URL('./audit.state.worker.mjs', import.meta.url),
    { url, snapshot, ctx },
    count,
  );
  try {
    const depth = 2 * count;
    const ahead: Promise<BatchResult>[] = [];
    const start = (k: number): void => {
      const p = pool.run(jobs[k] as Job);
      p.catch(() => undefined); // awaited in order below
      ahead[k] = p;
    };
    for (let k = 0; k < Math.min(depth, jobs.length); k++) start(k);
    for (let k = 0; k < jobs.length; k++) {
      merge(await (ahead[k] as Promise<BatchResult>));
      delete ahead[k];
      if (k + depth < jobs.length) start(k + depth);
    }
  } finally {
    await pool.close();
  }
}

type Mark = { seq: number; at: number; open: boolean };

// ---- records -------------------------------------------------------------------------------

interface RotationIndex {
  /** Logged hashes of re-encrypted rows: head by id, version by "id:version". */
  head: Map<number, Claim>;
  version: Map<string, Claim>;
  /** Rotations that logged no row hashes: [seq, fromId, toId] per target. */
  blindHead: [number, number, number][];
  blindVersion: [number, number, number][];
}

async function rotationIndex(
  db: Tx,
  rotations: readonly RotationMeta[],
  lo: number,
  hi: number,
): Promise<RotationIndex> {
  const idx: RotationIndex = { head: new Map(), version: new Map(), blindHead: [], blindVersion: [] };
  const overlapping = rotations.filter(([, , from, to]) => from < hi && to >= lo);
  for (const [seq, target, from, to, hashed] of overlapping)
    if (!hashed) (target === 'records.payload' ? idx.blindHead : idx.blindVersion).push([seq, from, to]);
  const hashed = overlapping.filter((r) => r[4]).map((r) => r[0]);
  for (const [seq, text] of await stateRepo.payloads(db, hashed)) {
    const p = JSON.parse(text) as { hashes?: unknown };
    if (!Array.isArray(p.hashes)) continue;
    for (const h of p.hashes as [number, number | null, string][]) {
      const [id, version, hash] = h;
      if (id < lo || id > hi) continue;
      const claim = { seq, hash, exact: true };
      if (version === null) idx.head.set(id, claim);
      else idx.version.set(`${id}:${version}`, claim);
    }
  }
  return idx;
}

/** The latest of the content event's claim, a logged rotation hash, and a rotation without one. */
function latestClaim(
  content: Claim,
  rotated: Claim | undefined,
  blind: readonly [number, number, number][],
  id: number,
): Claim {
  let c = content;
  if (rotated && rotated.seq > c.seq) c = rotated;
  for (const [seq, from, to] of blind)
    if (from < id && id <= to && seq > c.seq) c = { seq, hash: null, exact: false };
  return c;
}

interface RecordBatch {
  hi: number;
  heads: Row[];
  versions: Row[];
  stops: Row[];
  events: EventTuple[];
  rot: RotationIndex;
}

async function readRecordBatch(
  c: Tx,
  lo: number,
  hi: number,
  rotations: readonly RotationMeta[],
): Promise<RecordBatch> {
  return {
    hi,
    heads: await readRows(RECORD_TYPES, stateRepo.recordsBinary(c, lo, hi)),
    versions: await readRows(VERSION_TYPES, stateRepo.versionsBinary(c, lo, hi)),
    stops: await stateRepo.recordStopRows(c, lo, hi),
    events: await stateRepo.entityEvents(c, 'record', textIds(lo, hi), null),
    rot: await rotationIndex(c, rotations, lo, hi),
  };
}

function checkRecordBatch(b: RecordBatch, marks: Map<number, Mark>, result: BatchResult, add: Add): void {
  result.rows += b.heads.length;
  result.versions += b.versions.length;
  result.history += b.stops.length;
  const headOf = new Map(b.heads.map((r) => [r[R.id] as number, r]));
  const versionsOf = groupBy(b.versions, (r) => r[V.record_id] as number);
  const stopsOf = groupBy(b.stops, (r) => r[0] as number);
  const eventsOf = groupBy(b.events, (e) => Number(e[5]));
  for (const id of ownerIds(headOf, versionsOf, stopsOf, eventsOf))
    checkRecord(
      id,
      headOf.get(id),
      versionsOf.get(id) ?? [],
      stopsOf.get(id) ?? [],
      eventsOf.get(id) ?? [],
      marks.get(id),
      b.rot,
      result,
      add,
    );
}

function snapshots(events: EventTuple[]): Snapshot[] {
  const out: Snapshot[] = [];
  for (const [e, p] of parsedEvents(events)) {
    if (!RECORD_SNAPSHOT(p)) continue;
    const exact = 'version' in p;
    out.push({
      seq: e[0],
      at: e[1],
      type: e[4],
      actor: actorLabel(e[2], e[3]),
      p,
      version: exact ? (p.version as number) : 1,
      exact,
    });
  }
  return out;
}

function checkRecord(
  id: number,
  head: Row | undefined,
  versions: Row[],
  stops: Row[],
  events: EventTuple[],
  mark: Mark | undefined,
  rot: RotationIndex,
  report: { unverified: number },
  add: Add,
): void {
  const snaps = snapshots(events);
  checkRecordRows(id, head, versions, snaps, mark, rot, report, add);
  // Stop rows: one per stop event (audit.state.history.ts).
  checkStops(
    id,
    stops,
    snaps.filter((x) => STOP_TYPES.has(x.type)),
    head && head[R.stop_kind] !== null ? (head[R.stopped_at] as number | null) : undefined,
    add,
  );
}

/** The head and the versions of a record against its content events. */
function checkRecordRows(
  id: number,
  head: Row | undefined,
  versions: Row[],
  snaps: Snapshot[],
  mark: Mark | undefined,
  rot: RotationIndex,
  report: { unverified: number },
  add: Add,
): void {
  const lastSnap = snaps[snaps.length - 1];
  if (!lastSnap) {
    if (head) unlogged(add, 'records', id, undefined, 'record');
    for (const v of versions) unlogged(add, 'record_versions', id, v[V.version] as number, 'version');
    return;
  }

  // Versions: one per record.created / record.corrected.
  const made = new Map<number, Snapshot>();
  for (const s of snaps) if (VERSIONED.has(s.type)) made.set(s.version, s);
  // Version payloads the log's hash cannot decide (see judgePayload), for the twin check below.
  const undecided = new Map<number, { hash: string; claim: Claim }>();
  for (const v of versions) {
    const version = v[V.version] as number;
    const s = made.get(version);
    made.delete(version);
    if (!s) {
      unlogged(add, 'record_versions', id, version, 'version');
      continue;
    }
    const c = new RowCheck();
    contentColumns(c, v, V, s);
    c.eq('change_kind', v[V.change_kind], s.type === 'record.created' ? 'created' : 'corrected', s.seq);
    c.eq(
      'change_reason',
      v[V.change_reason],
      s.type === 'record.created' ? null : ((s.p.reason as string | null | undefined) ?? null),
      s.seq,
    );
    c.eq('recorded_at', v[V.recorded_at], s.at, s.seq, fmtTime);
    c.eq('recorded_by', v[V.recorded_by], s.actor, s.seq);
    const claim = latestClaim(
      { seq: s.seq, hash: s.p.payloadSha256 as string, exact: s.exact },
      rot.version.get(`${id}:${version}`),
      rot.blindVersion,
      id,
    );
    const hash = v[V.payload] as string;
    if (judgePayload(c, hash, claim)) undecided.set(version, { hash, claim });
    mismatch(add, 'record_versions', id, version, c);
  }
  for (const [version, s] of made) missing(add, 'record_versions', id, version, s.seq);

  if (!head) {
    report.unverified += undecided.size;
    missing(add, 'records', id, undefined, lastSnap.seq, snaps[0]?.seq);
    return;
  }
  const s = lastSnap;
  const c = new RowCheck();
  c.eq('subject_id', head[R.subject_id], s.p.subjectId, s.seq);
  c.eq('department_id', head[R.department_id], s.p.departmentId, s.seq);
  c.eq('item_code', head[R.item_code], s.p.itemCode, s.seq);
  c.eq('doc_no', head[R.doc_no], s.p.docNo, s.seq);
  contentColumns(c, head, R, s);
  c.eq('version', head[R.version], s.version, s.seq);
  c.eq('stop_kind', head[R.stop_kind], (s.p.stopKind as string | null | undefined) ?? null, s.seq);
  const stop = snaps.find((x) => x.p.stopKind !== null && x.p.stopKind !== undefined);
  const stoppedAt = head[R.stopped_at] as number | null;
  if (s.p.stopKind === null || s.p.stopKind === undefined)
    c.eq('stopped_at', stoppedAt, null, s.seq, fmtTime);
  else if (stop && (stoppedAt === null || stoppedAt > stop.at))
    c.differ('stopped_at', stop.seq, `is ${fmtTime(stoppedAt)}, the log says stopped by ${fmtTime(stop.at)}`);
  const created = snaps.find((x) => x.type === 'record.created');
  if (created) c.eq('created_at', head[R.created_at], created.at, created.seq, fmtTime);
  c.eq('updated_at', head[R.updated_at], s.at, s.seq, fmtTime);
  c.eq('disputed_since', head[R.disputed_since], mark?.open ? mark.at : null, mark?.seq ?? s.seq, fmtTime);

  const claim = latestClaim(
    { seq: s.seq, hash: s.p.payloadSha256 as string, exact: s.exact },
    rot.head.get(id),
    rot.blindHead,
    id,
  );
  const hash = head[R.payload] as string;
  let unverified = undecided.size;
  if (judgePayload(c, hash, claim)) {
    unverified++;
    // A legacy record.created hash: the head and its version were inserted from the same text, so
    // while neither has changed since, they must be equal.
    const twin = undecided.get(s.version);
    if (twin && claim.hash !== null && twin.claim.seq === claim.seq && twin.hash !== hash) {
      unverified -= 2;
      c.differ(
        'payload',
        claim.seq,
        `differs from record_versions v${s.version} (SHA-256 ${short(hash)} vs ${short(twin.hash)}); ` +
          `${s.type} hashed the payload in its submitted key order, so the log cannot tell which of the two changed`,
      );
    }
  }
  report.unverified += unverified;
  mismatch(add, 'records', id, undefined, c);
}

/**
 * Checks a payload's hash against the log's claim. Returns true when the claim cannot decide: a
 * legacy record.created hash that is not of the stored form, or a rotation without row hashes.
 */
function judgePayload(c: RowCheck, hash: string, claim: Claim): boolean {
  if (claim.hash === hash) return false;
  if (!claim.exact) return true;
  c.differ('payload', claim.seq, `hashes to ${short(hash)}, the log says ${short(claim.hash)}`);
  return false;
}

/** The content columns a record's head and its versions share. */
function contentColumns(c: RowCheck, row: Row, ix: Record<string, number>, s: Snapshot): void {
  c.eq('item_version', row[ix.item_version as number], s.p.itemVersion, s.seq);
  c.eq('decision_date', row[ix.decision_date as number], s.p.decisionDate, s.seq);
  c.eq('severity', row[ix.severity as number], (s.p.severity as string | null | undefined) ?? null, s.seq);
  c.eq('window_from', row[ix.window_from as number], s.p.windowFrom, s.seq);
  c.eq(
    'window_until',
    row[ix.window_until as number],
    (s.p.windowUntil as string | null | undefined) ?? null,
    s.seq,
  );
}

// ---- subjects ------------------------------------------------------------------------------

interface SubjectBatch {
  hi: number;
  rows: Row[];
  versions: Row[];
  names: Row[];
  events: EventTuple[];
}

async function readSubjectBatch(c: Tx, lo: number, hi: number): Promise<SubjectBatch> {
  return {
    hi,
    rows: await stateRepo.subjectRows(c, lo, hi),
    versions: await stateRepo.subjectVersionRows(c, lo, hi),
    names: await stateRepo.subjectNameRows(c, lo, hi),
    events: await stateRepo.entityEvents(c, 'subject', textIds(lo, hi), SUBJECT_TYPES),
  };
}

function checkSubjectBatch(b: SubjectBatch, result: BatchResult, add: Add): void {
  result.rows += b.rows.length;
  result.versions += b.versions.length;
  result.history += b.names.length;
  const rowOf = new Map(b.rows.map((r) => [r[S.id] as number, r]));
  const versionsOf = groupBy(b.versions, (r) => r[0] as number);
  const namesOf = groupBy(b.names, (r) => r[0] as number);
  const eventsOf = groupBy(b.events, (e) => Number(e[5]));
  for (const id of ownerIds(rowOf, versionsOf, namesOf, eventsOf))
    checkSubject(
      id,
      rowOf.get(id),
      versionsOf.get(id) ?? [],
      namesOf.get(id) ?? [],
      eventsOf.get(id) ?? [],
      add,
    );
}

interface SubjectSnapshot {
  seq: number;
  at: number;
  type: string;
  p: Payload;
}

/** subjects.service.ts versionData: what a subject version row holds. */
const VERSION_DATA = ['name', 'region', 'legalRep', 'status', 'type'] as const;

function checkSubject(
  id: number,
  row: Row | undefined,
  versions: Row[],
  names: Row[],
  events: EventTuple[],
  add: Add,
): void {
  const snaps: SubjectSnapshot[] = [];
  for (const [e, p] of parsedEvents(events))
    if (typeof p.version === 'number') snaps.push({ seq: e[0], at: e[1], type: e[4], p });
  checkSubjectRows(id, row, versions, snaps, add);
  // Current and former names (audit.state.history.ts).
  checkNames(id, names, snaps, add);
}

/** The subject row and its versions against its events. */
function checkSubjectRows(
  id: number,
  row: Row | undefined,
  versions: Row[],
  snaps: SubjectSnapshot[],
  add: Add,
): void {
  const s = snaps[snaps.length - 1];
  if (!s) {
    if (row) unlogged(add, 'subjects', id, undefined, 'subject');
    for (const v of versions) unlogged(add, 'subject_versions', id, v[1] as number, 'version');
    return;
  }

  const made = new Map(snaps.map((x) => [x.p.version as number, x]));
  for (const v of versions) {
    const version = v[1] as number;
    const x = made.get(version);
    made.delete(version);
    if (!x) {
      unlogged(add, 'subject_versions', id, version, 'version');
      continue;
    }
    const c = new RowCheck();
    let data: Payload = {};
    try {
      data = JSON.parse(v[2] as string) as Payload;
    } catch {
      // compared as empty below
    }
    for (const k of VERSION_DATA) c.eq(`data.${k}`, data[k] ?? null, x.p[k] ?? null, x.seq);
    c.eq('recorded_at', v[3], x.at, x.seq, fmtTime);
    mismatch(add, 'subject_versions', id, version, c);
  }
  for (const [version, x] of made) missing(add, 'subject_versions', id, version, x.seq);

  if (!row) {
    missing(add, 'subjects', id, undefined, s.seq, snaps[0]?.seq);
    return;
  }
  const c = new RowCheck();
  const col = (column: string, key: string): void =>
    c.eq(column, row[S[column as keyof typeof S]], s.p[key] ?? null, s.seq);
  col('type', 'type');
  col('uscc', 'uscc');
  col('org_code', 'orgCode');
  col('reg_no', 'regNo');
  col('name', 'name');
  col('region', 'region');
  col('legal_rep', 'legalRep');
  col('status', 'status');
  col('established_on', 'establishedOn');
  col('id_masked', 'idMasked');
  col('origin', 'origin');
  col('version', 'version');
  const created = snaps.find((x) => x.type === 'subject.created');
  if (created) c.eq('created_at', row[S.created_at], created.at, created.seq, fmtTime);
  c.eq('updated_at', row[S.updated_at], s.at, s.seq, fmtTime);
  mismatch(add, 'subjects', id, undefined, c);
}
