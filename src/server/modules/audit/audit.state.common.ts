import type { EventTuple } from './audit.state.repository';

/**
 * What the state check's parts share (audit.state.ts for records and subjects,
 * audit.state.lists.ts for list entries): the finding's shape, the per-row column check, and the
 * small formatting helpers its messages use.
 */
export type StateTable =
  | 'records'
  | 'record_versions'
  | 'record_stops'
  | 'subjects'
  | 'subject_versions'
  | 'subject_names'
  | 'list_entries'
  | 'list_entry_steps'
  | 'list_entry_facts'
  | 'list_entry_parties';
export type StateProblemKind = 'state_mismatch' | 'state_unlogged' | 'state_missing';

export interface StateProblem {
  kind: StateProblemKind;
  table: StateTable;
  /**
   * The row: a record's, subject's or list entry's id, or the owner's id of a version row (and of
   * a list entry's step, fact or party row).
   */
  id: number;
  /**
   * The version of a version row; the position (1, 2, …) of a list entry's step, fact or party, of
   * a record's stop or of a subject's name (in id order).
   */
  version?: number;
  /** The columns that disagree with the log (state_mismatch). */
  columns: string[];
  /** The event that last decided the (first disagreeing) column; 0 when no event wrote the row. */
  seq: number;
  message: string;
}

export type Row = unknown[];
export type Payload = Record<string, unknown>;
export type Add = (p: StateProblem) => void;

/** Tables whose `version` is a position among the owner's rows, not a version number. */
const POSITIONAL: ReadonlySet<StateTable> = new Set([
  'record_stops',
  'subject_names',
  'list_entry_steps',
  'list_entry_facts',
  'list_entry_parties',
]);

/** Each column's position in a row read with `cols`, by name. */
export function columnIndex<C extends string>(cols: readonly C[]): Record<C, number> {
  return Object.fromEntries(cols.map((c, i) => [c, i])) as Record<C, number>;
}

/** How a finding names its row: `records 42`, `record_versions 42 v2`, `list_entry_steps 7 #3`. */
export function rowLabel(table: StateTable, id: number, version?: number): string {
  if (version === undefined) return `${table} ${id}`;
  return `${table} ${id} ${POSITIONAL.has(table) ? '#' : 'v'}${version}`;
}

/** platform/context.ts actorLabel, from the event's actor columns. */
export function actorLabel(kind: string, id: string | null): string {
  return kind === 'public' ? 'public' : `${kind}:${id ?? ''}`;
}

export const fmtTime = (us: unknown): string =>
  typeof us === 'number'
    ? new Date(Math.floor(us / 1000)).toISOString().replace('Z', '') + pad3(us % 1000) + 'Z'
    : 'null';
const pad3 = (n: number): string => String(n).padStart(3, '0');
export const show = (v: unknown): string => (typeof v === 'string' ? JSON.stringify(v) : String(v));
export const short = (h: unknown): string => (typeof h === 'string' ? `${h.slice(0, 12)}…` : 'none');

/** Entity ids lo..hi as text, in text order (the order the index holds them in). */
export function textIds(lo: number, hi: number): string[] {
  const out: string[] = [];
  for (let i = lo; i <= hi; i++) out.push(String(i));
  return out.sort();
}

export function groupBy<T>(rows: readonly T[], key: (r: T) => number): Map<number, T[]> {
  const m = new Map<number, T[]>();
  for (const r of rows) {
    const k = key(r);
    const list = m.get(k);
    if (list) list.push(r);
    else m.set(k, [r]);
  }
  return m;
}

/** The owner ids a batch's row and event groups name, ascending. */
export function ownerIds(...groups: ReadonlyMap<number, unknown>[]): number[] {
  const ids = new Set<number>();
  for (const g of groups) for (const id of g.keys()) ids.add(id);
  return [...ids].sort((x, y) => x - y);
}

/**
 * The events (as stateRepo.entityEvents gives them) by seq, each with its
 * payload parsed; an event whose payload is no JSON object is left out (the event pass reports a
 * payload that does not match its hash). Sorts `events` in place.
 */
export function parsedEvents(events: EventTuple[]): [EventTuple, Payload][] {
  const out: [EventTuple, Payload][] = [];
  for (const e of events.sort((a, b) => a[0] - b[0])) {
    try {
      const p = JSON.parse(e[6]) as Payload;
      if (p && typeof p === 'object') out.push([e, p]);
    } catch {
      // left out, see above
    }
  }
  return out;
}

/** A row no event wrote: `records 42: no event wrote this record`. */
export function unlogged(
  add: Add,
  table: StateTable,
  id: number,
  version: number | undefined,
  what: string,
): void {
  add({
    kind: 'state_unlogged',
    table,
    id,
    ...(version === undefined ? {} : { version }),
    columns: [],
    seq: 0,
    message: `${rowLabel(table, id, version)}: no event wrote this ${what}`,
  });
}

/**
 * A row the log wrote that is gone: `seq` the event that last decided it, `writtenBy` the one the
 * message names (the one that made it; `seq` unless given).
 */
export function missing(
  add: Add,
  table: StateTable,
  id: number,
  version: number | undefined,
  seq: number,
  writtenBy = seq,
): void {
  add({
    kind: 'state_missing',
    table,
    id,
    ...(version === undefined ? {} : { version }),
    columns: [],
    seq,
    message: `${rowLabel(table, id, version)}: written by seq ${writtenBy}, the row is gone`,
  });
}

/** The problems of one row: collected per column, reported as one finding. */
export class RowCheck {
  readonly columns: string[] = [];
  readonly notes: string[] = [];
  seq = 0;

  differ(column: string, seq: number, note: string): void {
    if (this.columns.length === 0) this.seq = seq;
    this.columns.push(column);
    this.notes.push(`${column} ${note} (seq ${seq})`);
  }

  eq(column: string, actual: unknown, expected: unknown, seq: number, fmt = show): void {
    if (actual !== expected) this.differ(column, seq, `is ${fmt(actual)}, the log says ${fmt(expected)}`);
  }
}

export function mismatch(
  add: Add,
  table: StateTable,
  id: number,
  version: number | undefined,
  c: RowCheck,
  label = rowLabel(table, id, version),
): void {
  if (c.columns.length === 0) return;
  add({
    kind: 'state_mismatch',
    table,
    id,
    ...(version === undefined ? {} : { version }),
    columns: c.columns,
    seq: c.seq,
    message: `${label}: ${c.notes.join('; ')}`,
  });
}
