/**
 * An optional in-memory index for checks "now" (XINYONG_CHECK_INDEX=on): every subject's code and
 * the facts that can matter to a check (list entries not yet over, records that may still be
 * disclosed and can trigger a measure), so a check needs no query of its own.
 *
 * Freshness comes from the event log: every change to a subject's facts is an event carrying the
 * subject's id, and `seq` is dense and in commit order. The index applies the events after its
 * watermark every `pollMs` and reloads the subjects they name (catalogue, list-type, measure and
 * department changes reload all facts). A check is answered from the index only while the last
 * poll is recent (≤ `maxLagMs`); otherwise, and for any past instant, the exact SQL path answers.
 * The trade-off, written down: a change committed by any process reaches index-answered checks
 * within about one poll interval (100 ms by default), and the server holds every subject's code,
 * name and type in memory (roughly 150 bytes a subject).
 *
 * Instants. Facts are loaded "as of" an instant (the platform clock when they were read) and drop
 * what was already over then (ended entries, stopped records). So the index can answer only for an
 * instant at or after the as-of of the facts it holds for that subject: a check whose instant is
 * earlier — an explicit past instant, or a "now" captured by a request that started before a poll
 * reloaded the subject — reads the database. `lookup` enforces this itself; callers need not.
 *
 * Related parties. A subject's facts include the entries on other subjects that name it as a
 * related party. Such an entry's events carry the listed subject's id only, so a poll also reloads
 * the related parties of the entries on every subject it reloads (`partiesOfSubjects`).
 */
import type { Pool } from '../../platform/db';
import { PARTY_ROLE_LABELS, type PartyRole } from '../../../domain/lists';
import type { EntryFact, PartyEntryFact, RecordFact } from '../../../domain/measures';
import { civilDate } from '../../../domain/periods';
import type { SubjectKey } from './measures.repository';
import {
  measuresRepo,
  type EntryTuple,
  type IndexSubjectRow,
  type PartyEntryTuple,
  type RecordTuple,
} from './measures.repository';

export interface IndexedSubject {
  id: number;
  type: string;
  name: string;
  uscc: string | null;
  idMasked: string | null;
  /** Hex blind index (the `byBlind` key), to drop it when a blind-key rotation changes it. */
  blind: string | null;
  createdAt: number;
}

interface EntryItem {
  fact: EntryFact;
  decidedAt: number;
  endedAt: number | null;
}

interface PartyItem {
  fact: PartyEntryFact;
  decidedAt: number;
  endedAt: number | null;
}

interface RecordItem {
  fact: RecordFact;
  stoppedAt: number | null;
  createdAt: number;
}

interface Facts {
  entries: EntryItem[];
  records: RecordItem[];
  parties: PartyItem[];
}

export interface CheckIndexOptions {
  pollMs?: number;
  maxLagMs?: number;
  /** The platform clock (the instant facts are loaded as of); default the wall clock. */
  clock?: () => Date;
  /** Catalogue items some active measure triggers on (records of other items never matter). */
  triggerItems: () => Promise<string[]>;
  /** Called when the inventory, list types or the catalogue changed. */
  onConfigChange?: () => Promise<void>;
}

const GLOBAL = new Set([
  'measure',
  'measure_scenario',
  'list_type',
  'catalog_item',
  'catalog_category',
  'department',
]);

export function checkIndexEnabled(env: Record<string, string | undefined> = process.env): boolean {
  return env.XINYONG_CHECK_INDEX === 'on';
}

export class CheckIndex {
  private readonly byUscc = new Map<string, number>();
  private readonly byBlind = new Map<string, number>();
  private readonly subjects = new Map<number, IndexedSubject>();
  private facts = new Map<number, Facts>();
  /** The instant all facts were last loaded as of (epoch ms, platform clock). */
  private asOf = Number.POSITIVE_INFINITY;
  /** Subjects reloaded since: the instant their facts were loaded as of. */
  private readonly reloadedAt = new Map<number, number>();
  private seq = 0;
  private polledAt = 0;
  private timer: NodeJS.Timeout | null = null;
  private polling: Promise<void> | null = null;
  private queued: Promise<void> | null = null;
  private loading: Promise<void> | null = null;
  private readonly pollMs: number;
  private readonly maxLagMs: number;
  private readonly clock: () => Date;
  /** Checks answered from memory, and lookups refused (unknown subject or an instant too early). */
  hits = 0;
  misses = 0;

  constructor(
    private readonly pool: Pool,
    private readonly opts: CheckIndexOptions,
  ) {
    this.pollMs = opts.pollMs ?? 100;
    this.maxLagMs = opts.maxLagMs ?? 1_000;
    this.clock = opts.clock ?? (() => new Date());
  }

  /** Loads everything once and starts polling; resolves when the index can answer. */
  start(): Promise<void> {
    if (!this.loading) this.loading = this.load();
    return this.loading;
  }

  stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    return (this.queued ?? this.polling ?? Promise.resolve()).then(() => undefined);
  }

  /** Whether checks may be answered from memory at wall-clock `nowMs`. */
  fresh(nowMs = Date.now()): boolean {
    return this.polledAt > 0 && nowMs - this.polledAt <= this.maxLagMs;
  }

  get size(): number {
    return this.subjects.size;
  }

  private async load(): Promise<void> {
    const started = Date.now();
    // The watermark first: anything committed while loading is applied again by the first poll.
    this.seq = await measuresRepo.lastSeq(this.pool);
    await measuresRepo.streamSubjects(this.pool, (r) => this.putSubject(r));
    const now = this.clock();
    this.facts = await this.loadFacts(null, now);
    this.asOf = now.getTime();
    this.polledAt = started;
    this.timer = setInterval(() => void this.poll(), this.pollMs);
    this.timer.unref();
  }

  /**
   * Applies the events committed before this call (also what each tick does). When a poll is
   * already running it may have read the log before the caller's change committed, so one more
   * poll is queued after it and that is what the caller waits for.
   */
  poll(): Promise<void> {
    if (!this.polling) {
      this.polling = this.apply()
        .catch(() => undefined)
        .finally(() => {
          this.polling = null;
        });
      return this.polling;
    }
    if (!this.queued)
      this.queued = this.polling.then(() => {
        this.queued = null;
        return this.poll();
      });
    return this.queued;
  }

  private async apply(): Promise<void> {
    const started = Date.now();
    for (;;) {
      // Rows and the log's head come from one statement (one snapshot): an event committed between
      // two reads could otherwise be skipped by the watermark.
      const { rows, last } = await measuresRepo.eventsAfter(this.pool, this.seq, 10_000);
      const ids = new Set<number>();
      let global = false;
      for (const e of rows) {
        if (e.subject_id !== null) ids.add(e.subject_id);
        if (GLOBAL.has(e.entity_type)) global = true;
      }
      // The related parties of entries on these subjects: their facts name the entry and the subject.
      if (ids.size && !global)
        for (const p of await measuresRepo.partiesOfSubjects(this.pool, [...ids])) ids.add(p);
      const list = [...ids];
      const subjects = list.length ? await measuresRepo.indexSubjects(this.pool, list) : [];
      if (global) await this.opts.onConfigChange?.();
      const now = this.clock();
      const t = now.getTime();
      const fresh = global || list.length ? await this.loadFacts(global ? null : list, now) : null;
      // Everything read: swap it in at once (lookups are synchronous, so never see half of it).
      for (const r of subjects) this.putSubject(r);
      if (fresh && global) {
        this.facts = fresh;
        this.reloadedAt.clear();
        this.asOf = this.asOf === Number.POSITIVE_INFINITY ? t : Math.max(this.asOf, t);
      } else if (fresh) {
        for (const id of list) {
          const f = fresh.get(id);
          if (f) this.facts.set(id, f);
          else this.facts.delete(id);
          this.reloadedAt.set(id, Math.max(this.reloadedAt.get(id) ?? 0, t));
        }
      }
      this.seq = last;
      if (rows.length < 10_000) break;
    }
    this.polledAt = started;
  }

  /** The instant from which the index may answer for this subject (its facts' as-of). */
  answersFrom(subjectId: number): number {
    return Math.max(this.asOf, this.reloadedAt.get(subjectId) ?? 0);
  }

  private putSubject(r: IndexSubjectRow): void {
    const s: IndexedSubject = {
      id: r.id,
      type: r.type,
      name: r.name,
      uscc: r.uscc,
      idMasked: r.id_masked,
      blind: r.blind,
      createdAt: r.created_at.getTime(),
    };
    const before = this.subjects.get(r.id)?.blind;
    if (before && before !== r.blind && this.byBlind.get(before) === r.id) this.byBlind.delete(before);
    this.subjects.set(r.id, s);
    if (r.uscc) this.byUscc.set(r.uscc, r.id);
    if (r.blind) this.byBlind.set(r.blind, r.id);
  }

  private async loadFacts(ids: number[] | null, now: Date): Promise<Map<number, Facts>> {
    const day = civilDate(now);
    const items = await this.opts.triggerItems();
    const [entries, records, parties] = await Promise.all([
      measuresRepo.indexEntries(this.pool, ids, now, day),
      measuresRepo.indexRecords(this.pool, ids, now, day, items),
      measuresRepo.indexPartyEntries(this.pool, ids, now, day),
    ]);
    const out = new Map<number, Facts>();
    const of = (id: number) => {
      let f = out.get(id);
      if (!f) out.set(id, (f = { entries: [], records: [], parties: [] }));
      return f;
    };
    for (const p of parties)
      of(p.subject_id).parties.push({
        fact: partyEntryFact(p.t),
        decidedAt: new Date(p.t[6]).getTime(),
        endedAt: p.ended_at ? p.ended_at.getTime() : null,
      });
    for (const e of entries)
      of(e.subject_id).entries.push({
        fact: entryFact(e.t),
        decidedAt: new Date(e.t[6]).getTime(),
        endedAt: e.ended_at ? e.ended_at.getTime() : null,
      });
    for (const r of records)
      of(r.subject_id).records.push({
        fact: recordFact(r.t),
        stoppedAt: r.stopped_at ? r.stopped_at.getTime() : null,
        createdAt: r.created_at.getTime(),
      });
    return out;
  }

  /**
   * The subject and its facts in force at `at`, or null when the index cannot tell: the subject is
   * unknown to it, or `at` is before the instant its facts were loaded as of (facts over by then
   * were dropped, so only the database knows that past).
   */
  lookup(
    key: SubjectKey,
    at: Date,
  ): {
    subject: IndexedSubject;
    entries: EntryFact[];
    records: RecordFact[];
    partyEntries: PartyEntryFact[];
  } | null {
    let id: number | undefined;
    if (key.kind === 'id') id = key.value;
    else if (key.kind === 'uscc') id = this.byUscc.get(key.value);
    // Every configured blind key's value: during a rotation the row may hold any of them.
    else
      for (const b of key.value) {
        id = this.byBlind.get(b.toString('hex'));
        if (id !== undefined) break;
      }
    const subject = id === undefined ? undefined : this.subjects.get(id);
    const t = at.getTime();
    if (!subject || subject.createdAt > t || t < this.answersFrom(subject.id)) {
      this.misses++;
      return null;
    }
    this.hits++;
    const f = this.facts.get(subject.id);
    if (!f) return { subject, entries: [], records: [], partyEntries: [] };
    const day = civilDate(at);
    const active = (e: EntryItem | PartyItem) =>
      e.decidedAt <= t &&
      (e.endedAt === null || e.endedAt > t) &&
      e.fact.effectiveFrom <= day &&
      (e.fact.effectiveUntil === null || e.fact.effectiveUntil > day);
    const entries: EntryFact[] = [];
    for (const e of f.entries) if (active(e)) entries.push(e.fact);
    const partyEntries: PartyEntryFact[] = [];
    for (const p of f.parties) if (active(p)) partyEntries.push(p.fact);
    const records: RecordFact[] = [];
    for (const r of f.records)
      if (
        r.createdAt <= t &&
        (r.stoppedAt === null || r.stoppedAt > t) &&
        r.fact.disclosedFrom <= day &&
        (r.fact.disclosedUntil === null || r.fact.disclosedUntil > day)
      )
        records.push(r.fact);
    return { subject, entries, records, partyEntries };
  }
}

export function entryFact(t: EntryTuple): EntryFact {
  return {
    kind: 'list_entry',
    entryId: t[0],
    listType: t[1],
    listKind: t[2] as EntryFact['listKind'],
    listName: { zh: t[3], en: t[4] },
    decisionNo: t[5],
    decidedOn: civilDate(new Date(t[6])),
    effectiveFrom: t[7],
    effectiveUntil: t[8],
    departmentId: t[9],
    departmentName: t[10],
    departmentNameEn: t[11],
  };
}

export function partyEntryFact(t: PartyEntryTuple): PartyEntryFact {
  const role = t[12] as PartyRole;
  return {
    ...entryFact(t.slice(0, 12) as EntryTuple),
    kind: 'party_entry',
    role,
    roleName: PARTY_ROLE_LABELS[role] ?? { zh: role, en: role },
    listedSubject: {
      ref: `S${t[13]}`,
      type: t[14] as PartyEntryFact['listedSubject']['type'],
      name: t[15],
      uscc: t[16],
      idMasked: t[17],
    },
  };
}

export function recordFact(t: RecordTuple): RecordFact {
  return {
    kind: 'record',
    recordId: t[0],
    itemCode: t[1],
    categoryCode: t[2],
    severity: t[3] as RecordFact['severity'],
    docNo: t[4],
    decisionDate: t[5],
    disclosedFrom: t[6],
    disclosedUntil: t[7],
    departmentId: t[8],
    departmentName: t[9],
    departmentNameEn: t[10],
  };
}

const indexes = new WeakMap<Pool, CheckIndex>();

/** The pool's index, created (not started) on first use. */
export function checkIndexFor(pool: Pool, opts: () => CheckIndexOptions): CheckIndex {
  let idx = indexes.get(pool);
  if (!idx) {
    idx = new CheckIndex(pool, opts());
    indexes.set(pool, idx);
  }
  return idx;
}
