/**
 * The joint reward/punishment check: one subject or a batch, in a scenario, at an instant (now or
 * any past instant — the facts are read as they stood then, the inventory as it stood then).
 * Each call is recorded (checks row + event) before it is answered.
 */
import { createHash, randomUUID } from 'node:crypto';
import { normalizeIdInput, validateUscc } from '../../../domain/identifiers';
import type { Bilingual } from '../../../domain/i18n';
import {
  evaluateCheck,
  type AppliedMeasure,
  type CheckOutcome,
  type EntryFact,
  type Outcome,
  type PartyEntryFact,
  type RecordFact,
  type SubjectFacts,
  type TriggerHit,
} from '../../../domain/measures';
import { civilDate } from '../../../domain/periods';
import type { SubjectType } from '../../../domain/subject-types';
import { actorDepartment, actorLabel, type Ctx } from '../../platform/context';
import type { FieldCrypto } from '../../platform/crypto';
import type { Pool } from '../../platform/db';
import { citizenBlindIndexes, findByIdentifier } from '../subjects';
import { checkLogFor } from './measures.checklog';
import { entryFact, partyEntryFact, recordFact, type CheckIndex } from './measures.index';
import { MeasureErrors } from './measures.errors';
import { inventoryAt, inventoryCache, type InventorySnapshot } from './measures.inventory';
import { measuresRepo, type SubjectKey, type SubjectKeyRow } from './measures.repository';

export const BATCH_MAX = 10_000;

export interface CheckSubject {
  ref: string;
  name: string;
  type: string;
  uscc: string | null;
  idMasked: string | null;
}

export interface CheckResult extends CheckOutcome {
  checkId: string;
  at: string;
  scenario: { code: string; nameZh: string; nameEn: string };
  subject: CheckSubject;
}

/** What the routes give the service: the pool for the shared caches and the group-commit log. */
export interface CheckDeps {
  pool: Pool;
  crypto: FieldCrypto;
  /** The in-memory index, when enabled (XINYONG_CHECK_INDEX=on). */
  index?: CheckIndex | null;
}

function subjectView(s: SubjectKeyRow): CheckSubject {
  return { ref: `S${s.id}`, name: s.name, type: s.type, uscc: s.uscc, idMasked: s.id_masked };
}

// The USCC alphabet (no I, O, S, V, Z) and the shape of a citizen ID number. A code of the wrong
// shape cannot be found, so the hot path only decides which index to read; an invalid check digit
// simply finds nothing. Other forms (organisation codes, legacy numbers) take the general lookup.
const USCC_SHAPE = /^[0-9A-HJ-NP-RTUW-Y]{18}$/;
const CITIZEN_SHAPE = /^\d{17}[\dX]$/;
const REF = /^S(\d{1,15})$/;
const ORG_SHAPE = /^[0-9A-Z]{8}[0-9X]$/;
const GS15_SHAPE = /^\d{15}$/;

/** How to look a code up in one indexed read; null when only the general lookup can tell. */
function keyOf(code: string, crypto: FieldCrypto): SubjectKey | null {
  const ref = REF.exec(code.trim());
  if (ref) return { kind: 'id', value: Number(ref[1]) };
  const n = normalizeIdInput(code);
  if (CITIZEN_SHAPE.test(n)) {
    // All-digit USCCs exist; a code valid both ways is rare and goes the general way.
    if (validateUscc(n).valid) return null;
    return { kind: 'blind', value: citizenBlindIndexes(crypto, n) };
  }
  if (USCC_SHAPE.test(n)) return { kind: 'uscc', value: n };
  return null;
}

async function scenarioOf(
  deps: CheckDeps,
  code: string,
): Promise<{ loaded: InventorySnapshot; scenario: CheckResult['scenario'] }> {
  let loaded = await inventoryCache.get(deps.pool);
  let s = loaded.scenarios.get(code);
  if (!s) {
    loaded = await inventoryCache.refresh(deps.pool);
    s = loaded.scenarios.get(code);
  }
  if (!s) throw MeasureErrors.SCENARIO_UNKNOWN({ field: 'scenario', scenario: code });
  return { loaded, scenario: { code: s.code, nameZh: s.nameZh, nameEn: s.nameEn } };
}

/** Triggers as they go on the wire and into the event (ids only there). */
function triggerRef(h: TriggerHit): string {
  if (h.kind === 'list_entry') return `list_entry:${h.entryId}`;
  if (h.kind === 'party_entry') return `party_entry:${h.entryId}:${h.role}`;
  if (h.kind === 'record') return `record:${h.recordId}`;
  return h.kind;
}

function measureSummary(m: AppliedMeasure) {
  return { code: m.code, effect: m.effect, triggers: m.triggers.map(triggerRef) };
}

/** A single check. `at` is validated by the caller (not in the future). */
export async function runCheck(
  ctx: Ctx,
  deps: CheckDeps,
  input: { subject: string; scenario: string; at: Date; explicitAt: boolean },
): Promise<CheckResult> {
  const { scenario } = await scenarioOf(deps, input.scenario);
  let loaded = await inventoryCache.get(deps.pool);
  const at = input.at;
  const day = civilDate(at);
  const past = input.explicitAt && at.getTime() < ctx.now.getTime();

  let key = keyOf(input.subject, deps.crypto);
  if (!key) {
    const found = await findByIdentifier(ctx, deps.crypto, input.subject);
    if (!found) throw MeasureErrors.CHECK_SUBJECT_UNKNOWN({ field: 'subject', code: input.subject });
    key = { kind: 'id', value: found.id };
  }
  let subject: CheckSubject;
  let subjectId: number;
  let facts: SubjectFacts;
  // "Now" checks from memory while the index is current; anything else (a past instant, a stale
  // index, a subject it does not know yet) reads the database.
  const hit = !past && deps.index?.fresh() ? deps.index.lookup(key, at) : null;
  if (hit) {
    subjectId = hit.subject.id;
    subject = {
      ref: `S${hit.subject.id}`,
      name: hit.subject.name,
      type: hit.subject.type,
      uscc: hit.subject.uscc,
      idMasked: hit.subject.idMasked,
    };
    facts = {
      subjectType: hit.subject.type as SubjectType,
      entries: hit.entries,
      records: hit.records,
      partyEntries: hit.partyEntries,
    };
  } else {
    let row = await measuresRepo.singleFacts(ctx.db, key, at, day, loaded.triggerItems, past);
    if (!row) throw MeasureErrors.CHECK_SUBJECT_UNKNOWN({ field: 'subject', code: input.subject });
    if (row.inv_mark !== loaded.mark) {
      const before = loaded.triggerItems.join(',');
      loaded = await inventoryCache.refresh(deps.pool);
      if (loaded.triggerItems.join(',') !== before)
        row = (await measuresRepo.singleFacts(ctx.db, key, at, day, loaded.triggerItems, past)) ?? row;
    }
    subjectId = row.id;
    subject = subjectView(row);
    facts = {
      subjectType: row.type as SubjectType,
      entries: row.entries.map(entryFact),
      records: row.records.map(recordFact),
      partyEntries: row.party_entries.map(partyEntryFact),
    };
  }
  const outcome = evaluateCheck(inventoryAt(loaded, at), scenario.code, facts, day);
  const checkId = randomUUID();
  const codes = outcome.measures.map((m) => m.code);
  await checkLogFor(deps.pool).append({
    actor: ctx.actor,
    requestId: ctx.requestId,
    now: ctx.now,
    row: {
      id: checkId,
      kind: 'single',
      requestedAt: ctx.now,
      at,
      actor: actorLabel(ctx.actor),
      departmentId: actorDepartment(ctx.actor),
      scenario: scenario.code,
      subjectId,
      subjectCount: 1,
      subjectsSha256: null,
      outcome: outcome.outcome,
      outcomes: null,
      measureCodes: codes,
      subjectIds: null,
      appliedTo: null,
    },
    event: {
      type: 'check.performed',
      entityType: 'check',
      entityId: checkId,
      subjectId,
      payload: {
        checkId,
        requestId: ctx.requestId,
        requestedAt: ctx.now.toISOString(),
        at: at.toISOString(),
        scenario: scenario.code,
        subjectId,
        outcome: outcome.outcome,
        clean: outcome.clean,
        measures: outcome.measures.map(measureSummary),
        withheld: outcome.withheld.map((w) => w.code),
      },
    },
  });
  return { checkId, at: at.toISOString(), scenario, subject, ...outcome };
}

// ---- batch ----

export interface BatchItem {
  subject: string;
  ref?: string;
  outcome?: Outcome;
  clean?: boolean;
  measures?: {
    code: string;
    effect: string;
    appliesUntil: string | null;
    triggers: ReturnType<typeof compactTrigger>[];
  }[];
  /** Incentives withheld from a subject that is not clean, with the facts that withheld them. */
  withheld?: { code: string; blockers: ReturnType<typeof compactTrigger>[] }[];
  error?: { code: string; message: Bilingual };
}

export interface MeasureInfo {
  code: string;
  nameZh: string;
  nameEn: string;
  kind: string;
  class: number;
  effect: string;
  legalBasis: AppliedMeasure['legalBasis'];
  implementingBodies: string[];
  liftNote: Bilingual;
}

export interface BatchResult {
  checkId: string;
  at: string;
  scenario: CheckResult['scenario'];
  count: number;
  subjectsSha256: string;
  outcomes: { allow: number; restrict: number; review: number; unknown: number };
  measures: MeasureInfo[];
  results: BatchItem[];
}

function compactTrigger(h: TriggerHit | EntryFact | RecordFact): {
  kind: string;
  id: number | null;
  type: string | null;
  from: string | null;
  until: string | null;
  decidedBy: string | null;
  role?: string;
  listedSubject?: PartyEntryFact['listedSubject'];
} {
  if (h.kind === 'party_entry' || h.kind === 'list_entry') {
    const entry = {
      kind: h.kind,
      id: h.entryId,
      type: h.listType,
      from: h.effectiveFrom,
      until: h.effectiveUntil,
      decidedBy: h.departmentName ?? null,
    };
    // A related party's trigger also says which role it plays for which listed subject.
    return h.kind === 'party_entry' ? { ...entry, role: h.role, listedSubject: h.listedSubject } : entry;
  }
  if (h.kind === 'record')
    return {
      kind: h.kind,
      id: h.recordId,
      type: h.itemCode,
      from: h.disclosedFrom,
      until: h.disclosedUntil,
      decidedBy: h.departmentName ?? null,
    };
  return { kind: h.kind, id: null, type: null, from: null, until: null, decidedBy: null };
}

/** Batch fact rows grouped by subject, each tuple turned into its fact. */
function factsBySubject<T, F>(
  rows: readonly { subject_id: number; t: T }[],
  fact: (t: T) => F,
): Map<number, F[]> {
  const by = new Map<number, F[]>();
  for (const r of rows) {
    const list = by.get(r.subject_id);
    if (list) list.push(fact(r.t));
    else by.set(r.subject_id, [fact(r.t)]);
  }
  return by;
}

/**
 * Up to 10,000 subjects in one call: three index lookups for the subjects and three set-based
 * statements for their facts, whatever the batch size. One event records the call, with the count
 * and a hash of the subject list as sent.
 */
export async function runBatch(
  ctx: Ctx,
  deps: CheckDeps,
  input: { subjects: string[]; scenario: string; at: Date; explicitAt: boolean },
): Promise<BatchResult> {
  if (input.subjects.length > BATCH_MAX)
    throw MeasureErrors.BATCH_TOO_LARGE({ field: 'subjects', max: BATCH_MAX });
  const { scenario } = await scenarioOf(deps, input.scenario);
  const at = input.at;
  const day = civilDate(at);
  const past = input.explicitAt && at.getTime() < ctx.now.getTime();

  // Resolve codes — USCCs, blind indexes of citizen IDs, S<id> refs, organisation codes and legacy
  // registration numbers — in one statement of five index lookups.
  const usccs: string[] = [];
  const blinds: Buffer[] = [];
  const ids: number[] = [];
  const orgCodes: string[] = [];
  const regNos: string[] = [];
  const primary = new Map<string, string>();
  const secondary = new Map<string, string>();
  // A citizen ID is keyed by its current-key blind index; its other keys' values map to that.
  const blindKey = new Map<string, string>();
  for (const code of input.subjects) {
    if (primary.has(code)) continue;
    const ref = REF.exec(code.trim());
    if (ref) {
      ids.push(Number(ref[1]));
      primary.set(code, `id:${Number(ref[1])}`);
      continue;
    }
    const n = normalizeIdInput(code);
    const uscc = USCC_SHAPE.test(n);
    if (uscc) {
      usccs.push(n);
      primary.set(code, `uscc:${n}`);
    }
    // An all-digit code may be either: both indexes are read, a registered subject answers.
    if (CITIZEN_SHAPE.test(n)) {
      const all = citizenBlindIndexes(deps.crypto, n);
      const key = `blind:${(all[0] as Buffer).toString('hex')}`;
      for (const b of all) {
        blinds.push(b);
        blindKey.set(b.toString('hex'), key);
      }
      (uscc ? secondary : primary).set(code, key);
      continue;
    }
    if (uscc) continue;
    const org = n.replace('-', '');
    if (org.length === 9 && ORG_SHAPE.test(org)) {
      orgCodes.push(org);
      primary.set(code, `org:${org}`);
    } else if (GS15_SHAPE.test(n)) {
      regNos.push(n);
      primary.set(code, `reg:${n}`);
    } else primary.set(code, '');
  }
  const [subjectRows, mark] = await Promise.all([
    measuresRepo.subjectsByKeys(ctx.db, { usccs, blinds, ids, orgCodes, regNos }, at),
    measuresRepo.inventoryMark(ctx.db),
  ]);
  const byKey = new Map<string, SubjectKeyRow>();
  for (const s of subjectRows) {
    byKey.set(`id:${s.id}`, s);
    if (s.uscc) byKey.set(`uscc:${s.uscc}`, s);
    if (s.id_blind) {
      const hex = s.id_blind.toString('hex');
      byKey.set(blindKey.get(hex) ?? `blind:${hex}`, s);
    }
    if (s.org_code && !byKey.has(`org:${s.org_code}`)) byKey.set(`org:${s.org_code}`, s);
    if (s.reg_no && !byKey.has(`reg:${s.reg_no}`)) byKey.set(`reg:${s.reg_no}`, s);
  }
  const subjectOf = new Map<string, SubjectKeyRow | undefined>();
  for (const [code, k] of primary) {
    const second = secondary.get(code);
    subjectOf.set(code, byKey.get(k) ?? (second ? byKey.get(second) : undefined));
  }

  const loaded = await inventoryCache.fresh(deps.pool, mark);
  const subjectIds = new Set<number>();
  for (const s of subjectOf.values()) if (s) subjectIds.add(s.id);
  const facts = await measuresRepo.batchFacts(ctx.db, [...subjectIds], at, day, loaded.triggerItems, past);
  const entriesBy = factsBySubject(facts.entries, entryFact);
  const recordsBy = factsBySubject(facts.records, recordFact);
  const partiesBy = factsBySubject(facts.partyEntries, partyEntryFact);

  // Most subjects have no facts: their answer depends only on their type, computed once per type.
  const inventory = inventoryAt(loaded, at).filter((m) => m.scenarios.includes(scenario.code));
  const infos = new Map<string, MeasureInfo>();
  const outcomes = { allow: 0, restrict: 0, review: 0, unknown: 0 };
  const unknown = MeasureErrors.CHECK_SUBJECT_UNKNOWN({ code: '' });
  type Judged = Required<Pick<BatchItem, 'outcome' | 'clean' | 'measures'>> & Pick<BatchItem, 'withheld'>;
  const withoutFacts = new Map<string, Judged>();
  const judge = (s: SubjectKeyRow): Judged => {
    const entries = entriesBy.get(s.id);
    const records = recordsBy.get(s.id);
    const partyEntries = partiesBy.get(s.id);
    const factless = !entries && !records && !partyEntries;
    if (factless) {
      const memo = withoutFacts.get(s.type);
      if (memo) return memo;
    }
    const r = evaluateCheck(
      inventory,
      scenario.code,
      {
        subjectType: s.type as SubjectType,
        entries: entries ?? [],
        records: records ?? [],
        partyEntries: partyEntries ?? [],
      },
      day,
    );
    for (const m of r.measures)
      if (!infos.has(m.code))
        infos.set(m.code, {
          code: m.code,
          nameZh: m.nameZh,
          nameEn: m.nameEn,
          kind: m.kind,
          class: m.class,
          effect: m.effect,
          legalBasis: m.legalBasis,
          implementingBodies: m.implementingBodies,
          liftNote: m.liftNote,
        });
    const out = {
      outcome: r.outcome,
      clean: r.clean,
      measures: r.measures.map((m) => ({
        code: m.code,
        effect: m.effect,
        appliesUntil: m.appliesUntil,
        triggers: m.triggers.map(compactTrigger),
      })),
      ...(r.withheld.length
        ? { withheld: r.withheld.map((w) => ({ code: w.code, blockers: w.blockers.map(compactTrigger) })) }
        : {}),
    };
    if (factless) withoutFacts.set(s.type, out);
    return out;
  };
  // Per measure, the subjects it applied to: what feedback on this check is checked against.
  const appliedTo = new Map<string, Set<number>>();
  const results: BatchItem[] = input.subjects.map((code) => {
    const s = subjectOf.get(code);
    if (!s) {
      outcomes.unknown++;
      return {
        subject: code,
        error: { code: unknown.code, message: { zh: `未找到主体 ${code}`, en: `No subject ${code}` } },
      };
    }
    const r = judge(s);
    outcomes[r.outcome]++;
    for (const m of r.measures) {
      const ids = appliedTo.get(m.code);
      if (ids) ids.add(s.id);
      else appliedTo.set(m.code, new Set([s.id]));
    }
    return { subject: code, ref: `S${s.id}`, ...r };
  });

  const checkId = randomUUID();
  const subjectsSha256 = createHash('sha256').update(input.subjects.join('\n')).digest('hex');
  const codes = [...infos.keys()].sort();
  const checked = [...subjectIds].sort((a, b) => a - b);
  await checkLogFor(deps.pool).append({
    actor: ctx.actor,
    requestId: ctx.requestId,
    now: ctx.now,
    row: {
      id: checkId,
      kind: 'batch',
      requestedAt: ctx.now,
      at,
      actor: actorLabel(ctx.actor),
      departmentId: actorDepartment(ctx.actor),
      scenario: scenario.code,
      subjectId: null,
      subjectCount: input.subjects.length,
      subjectsSha256,
      outcome: null,
      outcomes,
      measureCodes: codes,
      subjectIds: checked,
      appliedTo: Object.fromEntries(codes.map((c) => [c, [...(appliedTo.get(c) ?? [])]])),
    },
    event: {
      type: 'check.batch_performed',
      entityType: 'check',
      entityId: checkId,
      payload: {
        checkId,
        requestId: ctx.requestId,
        requestedAt: ctx.now.toISOString(),
        at: at.toISOString(),
        scenario: scenario.code,
        count: input.subjects.length,
        subjectsSha256,
        // The registered subjects checked, as ids (never the codes sent: ID numbers among them):
        // a check reads each one's facts, so each sees it among the reads of its data (me/reads).
        subjectIds: checked,
        outcomes,
        measures: codes,
      },
    },
  });
  return {
    checkId,
    at: at.toISOString(),
    scenario,
    count: input.subjects.length,
    subjectsSha256,
    outcomes,
    measures: [...infos.values()].sort((a, b) => a.code.localeCompare(b.code)),
    results,
  };
}
