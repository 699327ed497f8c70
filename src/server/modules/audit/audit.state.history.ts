import {
  RowCheck,
  columnIndex,
  fmtTime,
  mismatch,
  rowLabel,
  show,
  type Add,
  type Payload,
  type Row,
  type StateTable,
} from './audit.state.common';
import { NAME_COLUMNS, STOP_COLUMNS } from './audit.state.repository';

/**
 * The history tables of the state check (audit.state.ts calls these per record and per subject):
 * `record_stops` against the record's stop events, `subject_names` against the subject's
 * `subject.created` / `subject.renamed`. What each column is decided by is in docs/audit.md §7.1.
 *
 * A row is paired with the event that wrote it by the time the event wrote into it (`recorded_at`,
 * `valid_from` = the event's `at`), then what is left on either side in order (rows by id, events by
 * seq), so that a row whose time was edited is still named as that row; a row left over no event
 * explains (`state_unlogged`), an event left over lost its row (`state_missing`). Rows are named by
 * their position among the owner's rows in id order: `record_stops 42 #1 (id 7)`.
 */

const ST = columnIndex(STOP_COLUMNS);
const N = columnIndex(NAME_COLUMNS);

/** A record event that stopped disclosure (record.stopped / withdrawn / repaired). */
export interface StopEvent {
  seq: number;
  at: number;
  type: string;
  actor: string;
  p: Payload;
}

/** A subject event: subject.created / updated / renamed (the subject as stored). */
export interface NameEvent {
  seq: number;
  at: number;
  type: string;
  p: Payload;
}

export const STOP_TYPES: ReadonlySet<string> = new Set([
  'record.stopped',
  'record.withdrawn',
  'record.repaired',
]);

/**
 * Pairs `expected` (in event order) with `rows` (in id order): first each with the first free row
 * whose time is the event's (preferring one `alike`), then the rest of both in order.
 */
function pair<E>(
  expected: readonly E[],
  rows: readonly Row[],
  time: (e: E) => number,
  rowTime: (r: Row) => unknown,
  alike: (e: E, r: Row) => boolean,
  skip: (r: Row) => boolean = () => false,
): { pairs: [E, Row][]; missing: E[]; unlogged: Row[] } {
  const free = new Set(rows.map((_, i) => i));
  const matched = new Map<number, number>();
  expected.forEach((e, k) => {
    let pick = -1;
    for (const i of free)
      if (rowTime(rows[i] as Row) === time(e)) {
        if (alike(e, rows[i] as Row)) {
          pick = i;
          break;
        }
        if (pick < 0) pick = i;
      }
    if (pick >= 0) {
      free.delete(pick);
      matched.set(k, pick);
    }
  });
  for (const i of [...free]) if (skip(rows[i] as Row)) free.delete(i);
  const left = [...free].sort((a, b) => a - b);
  const pairs: [E, Row][] = [];
  const missing: E[] = [];
  expected.forEach((e, k) => {
    let i = matched.get(k);
    if (i === undefined) i = left.shift();
    if (i === undefined) missing.push(e);
    else pairs.push([e, rows[i] as Row]);
  });
  return { pairs, missing, unlogged: left.map((i) => rows[i] as Row) };
}

function label(table: StateTable, id: number, rows: readonly Row[], row: Row, rowId: unknown): string {
  return `${rowLabel(table, id, rows.indexOf(row) + 1)} (id ${String(rowId)})`;
}

function unlogged(
  add: Add,
  table: StateTable,
  id: number,
  rows: readonly Row[],
  row: Row,
  rowId: unknown,
): void {
  add({
    kind: 'state_unlogged',
    table,
    id,
    version: rows.indexOf(row) + 1,
    columns: [],
    seq: 0,
    message: `${label(table, id, rows, row, rowId)}: no event wrote this row`,
  });
}

function missing(add: Add, table: StateTable, id: number, position: number, seq: number, what: string): void {
  add({
    kind: 'state_missing',
    table,
    id,
    version: position,
    columns: [],
    seq,
    message: `${rowLabel(table, id, position)}: ${what} written by seq ${seq}, the row is gone`,
  });
}

// ---- record_stops --------------------------------------------------------------------------

/**
 * The record's stop rows (columns as STOP_COLUMNS, by id) against its stop events (by seq): one row
 * per event, `kind` its `stopKind`, `reason` its `reason`, `recorded_at` its `at`, `recorded_by` its
 * actor; `effective_at` (not in the event) not after its `at`, and for the stop in force the same
 * as `records.stopped_at` (`headStoppedAt`, undefined when the head is gone or not stopped); no
 * event lifts a stop, so `lifted_at` and `lift_reason` are NULL.
 */
export function checkStops(
  id: number,
  rows: readonly Row[],
  events: readonly StopEvent[],
  headStoppedAt: number | null | undefined,
  add: Add,
): void {
  if (rows.length === 0 && events.length === 0) return;
  const {
    pairs,
    missing: gone,
    unlogged: extra,
  } = pair(
    events,
    rows,
    (e) => e.at,
    (r) => r[ST.recorded_at],
    (e, r) => r[ST.kind] === e.p.stopKind,
  );
  const last = events[events.length - 1];
  for (const [e, r] of pairs) {
    const c = new RowCheck();
    if (typeof e.p.stopKind === 'string') c.eq('kind', r[ST.kind], e.p.stopKind, e.seq);
    if (typeof e.p.reason === 'string') c.eq('reason', r[ST.reason], e.p.reason, e.seq);
    const effective = r[ST.effective_at] as number;
    if (effective > e.at)
      c.differ(
        'effective_at',
        e.seq,
        `is ${fmtTime(effective)}, after the stop was logged at ${fmtTime(e.at)}`,
      );
    else if (
      e === last &&
      headStoppedAt !== undefined &&
      headStoppedAt !== null &&
      effective !== headStoppedAt
    )
      c.differ(
        'effective_at',
        e.seq,
        `is ${fmtTime(effective)}, records.stopped_at of the stop in force is ${fmtTime(headStoppedAt)}`,
      );
    c.eq('recorded_at', r[ST.recorded_at], e.at, e.seq, fmtTime);
    c.eq('recorded_by', r[ST.recorded_by], e.actor, e.seq);
    c.eq('lifted_at', r[ST.lifted_at], null, e.seq, fmtTime);
    c.eq('lift_reason', r[ST.lift_reason], null, e.seq);
    mismatch(add, 'record_stops', id, rows.indexOf(r) + 1, c, label('record_stops', id, rows, r, r[ST.id]));
  }
  for (const e of gone)
    missing(add, 'record_stops', id, events.indexOf(e) + 1, e.seq, `the stop (${show(e.p.stopKind)})`);
  for (const r of extra) unlogged(add, 'record_stops', id, rows, r, r[ST.id]);
}

// ---- subject_names -------------------------------------------------------------------------

/** A name row the log decides: made current by `from`, retired (made former) by `to`, if any. */
interface NameSpan {
  from: NameEvent;
  to: NameEvent | null;
}

/**
 * The subject's name rows (columns as NAME_COLUMNS, by id) against its events (by seq). An
 * organisation's `subject.created` writes its name as `current` from its `at`, and each
 * `subject.renamed` turns the current row `former` until its `at` and writes its name as `current`
 * from then. Former names given at registration are the rows from its `at` beyond the first:
 * `subject.created` lists them (`formerNames`) and decides their names in order; one written before
 * it did decides their `kind` (`former`) and open `valid_to` only. A natural person has no name rows. `pinyin` and `initials`
 * (derived from the name by pinyin-pro) are not checked.
 */
export function checkNames(id: number, rows: readonly Row[], events: readonly NameEvent[], add: Add): void {
  const created = events.find((e) => e.type === 'subject.created');
  const spans: NameSpan[] = [];
  if (created && created.p.type !== 'NATURAL_PERSON') {
    spans.push({ from: created, to: null });
    for (const e of events)
      if (e.type === 'subject.renamed' && e.seq > created.seq) {
        (spans[spans.length - 1] as NameSpan).to = e;
        spans.push({ from: e, to: null });
      }
  }
  if (rows.length === 0 && spans.length === 0) return;
  const {
    pairs,
    missing: gone,
    unlogged: extra,
  } = pair(
    spans,
    rows,
    (s) => s.from.at,
    (r) => r[N.valid_from],
    (s, r) => r[N.name] === s.from.p.name,
    // Former names given at registration (the rows from subject.created's time left over).
    (r) => created !== undefined && spans.length > 0 && r[N.valid_from] === created.at,
  );
  for (const [s, r] of pairs) {
    const c = new RowCheck();
    c.eq('name', r[N.name], s.from.p.name ?? null, s.from.seq);
    c.eq('kind', r[N.kind], s.to ? 'former' : 'current', s.to?.seq ?? s.from.seq);
    c.eq('valid_from', r[N.valid_from], s.from.at, s.from.seq, fmtTime);
    c.eq('valid_to', r[N.valid_to], s.to ? s.to.at : null, s.to?.seq ?? s.from.seq, fmtTime);
    mismatch(add, 'subject_names', id, rows.indexOf(r) + 1, c, label('subject_names', id, rows, r, r[N.id]));
  }
  // The registration's former names. A subject.created that lists them (`formerNames`, written
  // since the state pass checks names) decides each row's name, in order; an older one only
  // implies their kind and open end.
  const paired = new Set(pairs.map(([, r]) => r));
  const regs = created
    ? rows.filter((r) => !paired.has(r) && !extra.includes(r) && r[N.valid_from] === created.at)
    : [];
  const listed =
    created && Array.isArray(created.p.formerNames) ? (created.p.formerNames as unknown[]) : null;
  if (created)
    regs.forEach((r, i) => {
      if (listed && i >= listed.length) return void unlogged(add, 'subject_names', id, rows, r, r[N.id]);
      const c = new RowCheck();
      if (listed) c.eq('name', r[N.name], listed[i] ?? null, created.seq);
      c.eq('kind', r[N.kind], 'former', created.seq);
      c.eq('valid_to', r[N.valid_to], null, created.seq, fmtTime);
      mismatch(
        add,
        'subject_names',
        id,
        rows.indexOf(r) + 1,
        c,
        label('subject_names', id, rows, r, r[N.id]),
      );
    });
  if (created && listed)
    for (let i = regs.length; i < listed.length; i++)
      missing(add, 'subject_names', id, 2 + i, created.seq, `the former name ${show(listed[i])}`);
  const registered = regs.length;
  for (const s of gone) {
    const k = spans.indexOf(s);
    missing(
      add,
      'subject_names',
      id,
      k === 0 ? 1 : 1 + registered + k,
      s.from.seq,
      `the name ${show(s.from.p.name)}`,
    );
  }
  for (const r of extra) unlogged(add, 'subject_names', id, rows, r, r[N.id]);
}
