import { canonicalJson } from '../../../domain/canonical-json';
import type { Tx } from '../../platform/db';
import {
  LIST_ENTRY_COLUMNS,
  LIST_ENTRY_FACT_COLUMNS,
  LIST_ENTRY_STEP_COLUMNS,
  LIST_ENTRY_TIMES,
  stateRepo,
  type EventTuple,
} from './audit.state.repository';
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
  rowLabel,
  show,
  textIds,
  unlogged,
  type Add,
  type Payload,
  type Row,
} from './audit.state.common';

/**
 * The state check of the lists (audit.state.ts runs it a batch of entry ids at a time): every
 * `list_entries` row, its `list_entry_steps`, `list_entry_facts` and `list_entry_parties` against
 * the `list_entry.*` events that wrote them (lists.entries.ts: one step row and one event per
 * procedural step, in the same transaction).
 *
 * - A step row is the event it was written with: step = the event type after `list_entry.`, `at`,
 *   actor, and `data` = the event payload without the entry's header (entryId, listType,
 *   listTypeVersion, subjectId, departmentId), compared as canonical JSON. Steps and events are
 *   paired in order (step id, seq).
 * - The entry row is recomputed by replaying its events (docs/audit.md, "State tables"):
 *   identity columns from every event's header, the procedure's columns from the step that set
 *   them, `version` = 1 + the steps that update the row, `updated_at` = the last of those.
 *   A column whose deciding event does not carry the value is not checked; `list_kind` and
 *   `facts_key` (derived from the list type and the facts' document numbers) are not checked.
 * - Facts and related parties are what `list_entry.proposed` lists.
 */

const E = columnIndex(LIST_ENTRY_COLUMNS);
const ST = columnIndex(LIST_ENTRY_STEP_COLUMNS);
const F = columnIndex(LIST_ENTRY_FACT_COLUMNS);

/** The entry header every step event carries (lists.entries.ts stepEvent); the rest is the step's data. */
const HEADER = ['entryId', 'listType', 'listTypeVersion', 'subjectId', 'departmentId'] as const;
/** Steps that update the row (listsRepo.updateEntry: version + 1, updated_at). */
const UPDATING = new Set(['notified', 'statement', 'statement_waived', 'decided', 'withdrawn', 'ended']);

export interface ListEntryBatch {
  hi: number;
  entries: Row[];
  steps: Row[];
  facts: Row[];
  parties: Row[];
  events: EventTuple[];
}

export async function readListEntryBatch(c: Tx, lo: number, hi: number): Promise<ListEntryBatch> {
  return {
    hi,
    entries: await stateRepo.listEntryRows(c, lo, hi),
    steps: await stateRepo.listEntryStepRows(c, lo, hi),
    facts: await stateRepo.listEntryFactRows(c, lo, hi),
    parties: await stateRepo.listEntryPartyRows(c, lo, hi),
    events: await stateRepo.entityEvents(c, 'list_entry', textIds(lo, hi), null),
  };
}

export function checkListEntryBatch(
  b: ListEntryBatch,
  result: { rows: number; versions: number },
  add: Add,
): void {
  result.rows += b.entries.length;
  result.versions += b.steps.length;
  const entryOf = new Map(b.entries.map((r) => [r[E.id] as number, r]));
  const stepsOf = groupBy(b.steps, (r) => r[ST.entry_id] as number);
  const factsOf = groupBy(b.facts, (r) => r[F.entry_id] as number);
  const partiesOf = groupBy(b.parties, (r) => r[0] as number);
  const eventsOf = groupBy(b.events, (e) => Number(e[5]));
  for (const id of ownerIds(entryOf, stepsOf, factsOf, partiesOf, eventsOf))
    checkEntry(
      id,
      entryOf.get(id),
      stepsOf.get(id) ?? [],
      factsOf.get(id) ?? [],
      partiesOf.get(id) ?? [],
      eventsOf.get(id) ?? [],
      add,
    );
}

interface StepEvent {
  seq: number;
  at: number;
  step: string;
  actor: string;
  p: Payload;
}

function checkEntry(
  id: number,
  row: Row | undefined,
  steps: Row[],
  facts: Row[],
  parties: Row[],
  tuples: EventTuple[],
  add: Add,
): void {
  const events: StepEvent[] = [];
  for (const [e, p] of parsedEvents(tuples))
    if (e[4].startsWith('list_entry.'))
      events.push({
        seq: e[0],
        at: e[1],
        step: e[4].slice('list_entry.'.length),
        actor: actorLabel(e[2], e[3]),
        p,
      });
  if (events.length === 0) {
    if (row) unlogged(add, 'list_entries', id, undefined, 'entry');
    steps.forEach((_, i) => unlogged(add, 'list_entry_steps', id, i + 1, 'step'));
    facts.forEach((f) => unlogged(add, 'list_entry_facts', id, f[F.ord] as number, 'fact'));
    for (const _ of parties) unlogged(add, 'list_entry_parties', id, undefined, 'party');
    return;
  }

  checkSteps(id, steps, events, add);
  const proposed = events.find((e) => e.step === 'proposed');
  if (proposed) {
    checkFacts(id, facts, proposed, add);
    checkParties(id, parties, proposed, add);
  }
  if (!row) {
    missing(add, 'list_entries', id, undefined, (events[0] as StepEvent).seq);
    return;
  }
  const c = new RowCheck();
  const expected = replay(events);
  for (const column of LIST_ENTRY_COLUMNS) {
    const x = expected.get(column);
    if (x) c.eq(column, row[E[column]], x.value, x.seq, x.fmt);
  }
  mismatch(add, 'list_entries', id, undefined, c);
}

/** Each step row against the event written with it, in order. */
function checkSteps(id: number, steps: Row[], events: StepEvent[], add: Add): void {
  for (let i = 0; i < Math.max(steps.length, events.length); i++) {
    const s = steps[i];
    const e = events[i];
    if (!e) {
      unlogged(add, 'list_entry_steps', id, i + 1, 'step');
      continue;
    }
    if (!s) {
      missing(add, 'list_entry_steps', id, i + 1, e.seq);
      continue;
    }
    const c = new RowCheck();
    c.eq('step', s[ST.step], e.step, e.seq);
    c.eq('at', s[ST.at], e.at, e.seq, fmtTime);
    c.eq('actor', s[ST.actor], e.actor, e.seq);
    const data: Payload = { ...e.p };
    for (const k of HEADER) delete data[k];
    let stored: unknown = null;
    try {
      stored = JSON.parse(s[ST.data] as string);
    } catch {
      // compared as null below
    }
    if (canonicalJson(stored) !== canonicalJson(data))
      c.differ('data', e.seq, `differs from what the event says the step recorded`);
    const label = `${rowLabel('list_entry_steps', id, i + 1)} (id ${String(s[ST.id])})`;
    mismatch(add, 'list_entry_steps', id, i + 1, c, label);
  }
}

/** The facts `list_entry.proposed` lists, position by position. */
function checkFacts(id: number, facts: Row[], proposed: StepEvent, add: Add): void {
  const listed = Array.isArray(proposed.p.facts) ? (proposed.p.facts as Payload[]) : null;
  if (!listed) return; // not carried: not checked
  const byOrd = new Map(facts.map((f) => [f[F.ord] as number, f]));
  listed.forEach((x, i) => {
    const ord = i + 1;
    const f = byOrd.get(ord);
    byOrd.delete(ord);
    if (!f) return missing(add, 'list_entry_facts', id, ord, proposed.seq);
    const c = new RowCheck();
    c.eq('kind', f[F.kind], x.kind ?? null, proposed.seq);
    c.eq('record_id', f[F.record_id], x.recordId ?? null, proposed.seq);
    c.eq('doc_no', f[F.doc_no], x.docNo ?? null, proposed.seq);
    c.eq('doc_title', f[F.doc_title], x.docTitle ?? null, proposed.seq);
    c.eq('doc_date', f[F.doc_date], x.docDate ?? null, proposed.seq);
    c.eq('issued_by', f[F.issued_by], x.issuedBy ?? null, proposed.seq);
    mismatch(add, 'list_entry_facts', id, ord, c);
  });
  for (const ord of byOrd.keys()) unlogged(add, 'list_entry_facts', id, ord, 'fact');
}

/** The related parties `list_entry.proposed` lists (a repeated subject and role is stored once). */
function checkParties(id: number, parties: Row[], proposed: StepEvent, add: Add): void {
  const listed = Array.isArray(proposed.p.parties) ? (proposed.p.parties as Payload[]) : null;
  if (!listed) return;
  const key = (subject: unknown, role: unknown) => `${String(subject)}:${String(role)}`;
  const rows = new Map(parties.map((r) => [key(r[1], r[2]), r]));
  const seen = new Set<string>();
  listed.forEach((x, i) => {
    const k = key(x.subjectId, x.role);
    if (seen.has(k)) return;
    seen.add(k);
    const r = rows.get(k);
    rows.delete(k);
    if (!r) return missing(add, 'list_entry_parties', id, i + 1, proposed.seq);
    const c = new RowCheck();
    c.eq('note', r[3], x.note ?? null, proposed.seq);
    mismatch(add, 'list_entry_parties', id, i + 1, c);
  });
  for (const r of rows.values())
    add({
      kind: 'state_unlogged',
      table: 'list_entry_parties',
      id,
      columns: [],
      seq: 0,
      message: `list_entry_parties ${id}: no event wrote party subject ${String(r[1])} as ${String(r[2])}`,
    });
}

interface Expected {
  value: unknown;
  seq: number;
  fmt?: (v: unknown) => string;
}

/** The procedure's columns, null when an entry is proposed. */
const PROCEDURE = [
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
] as const;

/**
 * The entry row as its events say it is: column → value and the event that decided it. A column
 * the deciding event does not carry is left out (not checked).
 */
function replay(events: readonly StepEvent[]): Map<string, Expected> {
  const out = new Map<string, Expected>();
  const set = (column: string, value: unknown, seq: number): void => {
    out.set(column, { value, seq, ...(LIST_ENTRY_TIMES.has(column) ? { fmt: fmtTime } : { fmt: show }) });
  };
  /** `column` from payload key `key` of event `e`; not checked when the event does not carry it. */
  const carried = (column: string, e: StepEvent, key: string, map = (v: unknown) => v ?? null): void => {
    if (key in e.p) set(column, map(e.p[key]), e.seq);
    else out.delete(column);
  };
  for (const e of events) {
    // Every event names the entry's list type, subject and department as they were.
    carried('list_type_code', e, 'listType');
    carried('list_type_version', e, 'listTypeVersion');
    carried('subject_id', e, 'subjectId');
    carried('department_id', e, 'departmentId');
    if (UPDATING.has(e.step)) {
      const v = out.get('version');
      if (v && typeof v.value === 'number') set('version', v.value + 1, e.seq);
      else out.delete('version');
      set('updated_at', e.at, e.seq);
    }
    switch (e.step) {
      case 'proposed':
        set('stage', 'proposed', e.seq);
        carried('summary', e, 'summary');
        set('proposed_at', e.at, e.seq);
        set('created_at', e.at, e.seq);
        set('updated_at', e.at, e.seq);
        set('version', 1, e.seq);
        for (const column of PROCEDURE) set(column, null, e.seq);
        break;
      case 'notified':
        set('stage', 'notified', e.seq);
        carried('notified_on', e, 'notifiedOn');
        set('notified_at', e.at, e.seq);
        carried('notice_no', e, 'noticeNo');
        carried('repair_notice_no', e, 'repairNoticeNo');
        carried('statement_deadline', e, 'statementDeadline');
        break;
      case 'statement':
        set('statement_at', e.at, e.seq);
        break;
      case 'statement_waived':
        set('waived_at', e.at, e.seq);
        break;
      case 'decided':
        set('decided_at', e.at, e.seq);
        carried('decision_no', e, 'decisionNo');
        carried('decision_reasons', e, 'reasons');
        if (e.p.outcome === 'not_list') set('stage', 'not_listed', e.seq);
        else if (e.p.outcome === 'list') {
          set('stage', 'listed', e.seq);
          carried('period_months', e, 'periodMonths');
          carried('effective_from', e, 'effectiveFrom');
          carried('effective_until', e, 'effectiveUntil');
          carried('review_on', e, 'reviewOn');
          // Published in the same transaction (a `published` step follows) or never.
          set('published_at', null, e.seq);
        } else
          for (const column of ['stage', 'period_months', 'effective_from', 'effective_until', 'review_on'])
            out.delete(column);
        break;
      case 'published':
        carried('published_at', e, 'publishedAt', (v) =>
          typeof v === 'string' ? Date.parse(v) * 1000 : null,
        );
        break;
      case 'withdrawn':
        set('stage', 'withdrawn', e.seq);
        carried('end_note', e, 'reason');
        break;
      case 'ended':
        set('ended_at', e.at, e.seq);
        carried('end_reason', e, 'reason');
        // lists.entries.ts endEntry stores the note trimmed, empty as null; the event has it as given.
        carried('end_note', e, 'note', (v) => (typeof v === 'string' ? v.trim() || null : null));
        break;
      // period_ended and review_due are steps only: the row does not change.
    }
  }
  return out;
}
