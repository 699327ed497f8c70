/**
 * The change feed: the events of the one log that change what is public or shared, in log order,
 * projected to a stable wire shape, filtered to what the reader may see, every event and every page
 * signed. A page is a pure function of the log (plus which records have stopped being shared), so a
 * cursor resumes exactly where the last page ended.
 */
import { civilDate } from '../../../domain/periods';
import { recordState } from '../../../domain/remedies';
import { hasRole, type Actor } from '../../platform/context';
import type { Queryable } from '../../platform/db';
import { subjectIdsOfRefs, type NonPublicRead } from '../audit';
import { sharingStoppedAmong } from '../remedies';
import type { CursorCodec } from './feed.cursor';
import { FeedErrors } from './feed.errors';
import { feedRepo, type LogRow } from './feed.repository';
import type { FeedEvent, FeedPage, FeedRecord, FeedType } from './feed.sdk';
import type { FeedSigner } from './feed.sign';

export type Scope = 'public' | 'shared';

/** Log event types the feed reads. */
export const SOURCE_TYPES = [
  'subject.created',
  'subject.renamed',
  'record.created',
  'record.corrected',
  'record.withdrawn',
  'record.repaired',
  'record.stopped',
  'record.expired',
  'objection.opened',
  'objection.resolved',
  'list_entry.decided',
  'list_entry.published',
  'list_entry.ended',
] as const;

/** How far past the cursor one page looks, so a long stretch of unrelated events cannot make a read slow. */
export const SCAN_WINDOW = 100_000;

export interface FeedDeps {
  signer: FeedSigner;
  cursors: CursorCodec;
}

/** What the caller may read: shared data for platform staff and keys holding `feed:shared`. */
export function scopeOf(actor: Actor): Scope {
  if (actor.kind === 'apikey') return actor.scopes.includes('feed:shared') ? 'shared' : 'public';
  if (hasRole(actor, 'platform_admin') || hasRole(actor, 'auditor')) return 'shared';
  return 'public';
}

type Payload = Record<string, unknown>;
const str = (p: Payload, k: string): string | null => (typeof p[k] === 'string' ? (p[k] as string) : null);
const num = (p: Payload, k: string): number | null => (typeof p[k] === 'number' ? (p[k] as number) : null);

interface Lookups {
  subjects: Map<number, string>;
  published: Set<string>;
  decisions: Map<string, Payload>;
  withheld: Set<number>;
}

const subjectTypes = new Map<number, string>();

/** Subject types never change: remembered per process, read from the projection or else the log. */
async function subjectsOf(db: Queryable, ids: number[]): Promise<Map<number, string>> {
  const out = new Map<number, string>();
  const missing: number[] = [];
  for (const id of new Set(ids)) {
    const type = subjectTypes.get(id);
    if (type) out.set(id, type);
    else missing.push(id);
  }
  if (!missing.length) return out;
  let found = await feedRepo.subjects(db, missing);
  const have = new Set(found.map((r) => r.subject_id));
  const fromLog = missing.filter((id) => !have.has(id));
  if (fromLog.length) found = [...found, ...(await feedRepo.subjectsFromLog(db, fromLog))];
  if (subjectTypes.size > 500_000) subjectTypes.clear();
  for (const r of found) {
    out.set(r.subject_id, r.type);
    subjectTypes.set(r.subject_id, r.type);
  }
  return out;
}

function recordOf(
  type: string,
  p: Payload,
  day: string,
  withheld: boolean,
): { record: FeedRecord; published: boolean; state: string } | null {
  const id = num(p, 'id') ?? num(p, 'recordId');
  if (id === null) return null;
  const version = num(p, 'version') ?? 1;
  const from = str(p, 'windowFrom') ?? '';
  const until = str(p, 'windowUntil');
  const published = until === null || until > from;
  let state: string;
  switch (type) {
    case 'record.created':
    case 'record.corrected':
      state = recordState({ windowFrom: from, windowUntil: until, stopKind: null }, day);
      break;
    case 'record.stopped':
      state = str(p, 'stopKind') ?? 'other';
      break;
    default:
      state = type.slice('record.'.length);
  }
  if (withheld) return { record: { id, version, state, withheld: true }, published, state };
  return {
    record: {
      id,
      version,
      state,
      itemCode: str(p, 'itemCode') ?? undefined,
      itemVersion: num(p, 'itemVersion') ?? undefined,
      departmentId: num(p, 'departmentId') ?? undefined,
      docNo: str(p, 'docNo') ?? undefined,
      decisionDate: str(p, 'decisionDate') ?? undefined,
      severity: (p.severity as string | null | undefined) ?? undefined,
      disclosedFrom: from || undefined,
      disclosedUntil: until,
      payloadSha256: str(p, 'payloadSha256') ?? undefined,
    },
    published,
    state,
  };
}

/** One log row as the feed shows it to `scope`, unsigned; null when the reader may not see it. */
export function project(row: LogRow, scope: Scope, l: Lookups): Omit<FeedEvent, 'keyId' | 'sig'> | null {
  const p = JSON.parse(row.payload) as Payload;
  const subjectId = row.subject_id ?? num(p, 'subjectId');
  if (subjectId === null) return null;
  const subjectType =
    row.type === 'subject.created' || row.type === 'subject.renamed'
      ? str(p, 'type')
      : (l.subjects.get(subjectId) ?? null);
  const person = subjectType === 'NATURAL_PERSON';
  if (scope === 'public' && (person || subjectType === null)) return null;
  const base = {
    v: 1 as const,
    seq: row.seq,
    at: row.at.toISOString(),
    subject: { ref: `S${subjectId}`, type: subjectType },
  };
  const day = civilDate(row.at);

  if (row.type === 'subject.created' || row.type === 'subject.renamed') {
    return {
      ...base,
      type: row.type,
      subject: {
        ...base.subject,
        name: str(p, 'name'),
        uscc: str(p, 'uscc'),
        ...(row.type === 'subject.renamed' ? { previousName: str(p, 'previousName') } : {}),
      },
    };
  }
  if (row.type.startsWith('record.')) {
    const r = recordOf(row.type, p, day, l.withheld.has(num(p, 'id') ?? -1));
    if (!r) return null;
    // The public never saw a record that was not published, or already past its window when it arrived.
    if (scope === 'public' && (!r.published || (row.type === 'record.created' && r.state === 'expired')))
      return null;
    return { ...base, type: row.type as FeedType, record: r.record };
  }
  if (row.type === 'objection.opened' || row.type === 'objection.resolved') {
    const recordId = num(p, 'recordId');
    if (recordId === null && scope === 'public') return null;
    return {
      ...base,
      type: row.type === 'objection.opened' ? 'record.disputed' : 'record.dispute_resolved',
      objection: {
        id: num(p, 'objectionId') ?? Number(row.entity_id),
        recordId,
        ground: str(p, 'ground') ?? '',
        outcome: str(p, 'outcome'),
      },
    };
  }
  if (row.type.startsWith('list_entry.')) {
    const entryId = num(p, 'entryId') ?? Number(row.entity_id);
    let type: FeedType;
    if (row.type === 'list_entry.decided') {
      if (str(p, 'outcome') !== 'list' || scope === 'public') return null;
      type = 'list_entry.listed';
    } else if (row.type === 'list_entry.published') type = 'list_entry.published';
    else {
      if (scope === 'public' && !l.published.has(String(entryId))) return null;
      type = 'list_entry.ended';
    }
    const decision = row.type === 'list_entry.decided' ? p : (l.decisions.get(String(entryId)) ?? {});
    return {
      ...base,
      type,
      listEntry: {
        id: entryId,
        listType: str(p, 'listType') ?? '',
        departmentId: num(p, 'departmentId') ?? 0,
        decisionNo: str(decision, 'decisionNo'),
        effectiveFrom: str(decision, 'effectiveFrom'),
        effectiveUntil: str(decision, 'effectiveUntil'),
        ...(type === 'list_entry.ended' ? { reason: str(p, 'reason') } : {}),
      },
    };
  }
  return null;
}

async function lookups(db: Queryable, rows: LogRow[], at: Date): Promise<Lookups> {
  const subjectIds: number[] = [];
  const recordIds: number[] = [];
  const entryIds: string[] = [];
  for (const r of rows) {
    if (r.subject_id !== null && r.type !== 'subject.created' && r.type !== 'subject.renamed')
      subjectIds.push(r.subject_id);
    if (r.type.startsWith('record.')) recordIds.push(Number(r.entity_id));
    if (r.type === 'list_entry.published' || r.type === 'list_entry.ended') entryIds.push(r.entity_id);
  }
  const subjects = await subjectsOf(db, subjectIds);
  const published = await feedRepo.publishedEntries(db, entryIds);
  const decisions = new Map<string, Payload>();
  for (const [id, payload] of await feedRepo.entryDecisions(db, entryIds))
    decisions.set(id, JSON.parse(payload) as Payload);
  const withheld = await sharingStoppedAmong(db, [...new Set(recordIds)], at);
  return { subjects, published, decisions, withheld };
}

/**
 * Signed events, by sequence number and whether the record was withheld: an event's projection
 * does not depend on who reads it (scopes only filter), so readers following the head — the usual
 * case, many subscribers — sign each event once per process. Bounded; oldest dropped first.
 */
const SIGNED_MAX = 50_000;
const signed = new Map<string, FeedEvent>();

function signedEvent(deps: FeedDeps, row: LogRow, e: Omit<FeedEvent, 'keyId' | 'sig'>): FeedEvent {
  const key = `${row.seq}|${e.record?.withheld ? 1 : 0}|${deps.signer.keyId}`;
  let out = signed.get(key);
  if (!out) {
    out = deps.signer.sign(e);
    if (signed.size >= SIGNED_MAX) signed.delete(signed.keys().next().value as string);
    signed.set(key, out);
  }
  return out;
}

export function decodeCursor(deps: FeedDeps, cursor: string | undefined): number {
  if (cursor === undefined || cursor === '') return 0;
  const seq = deps.cursors.decode(cursor);
  if (seq === null) throw FeedErrors.CURSOR_INVALID({ field: 'after' });
  return seq;
}

/**
 * One page after `after` (an event sequence number from a verified cursor). `next` is the last
 * sequence number looked at, not the last one shown, so events the reader may not see are never
 * looked at twice.
 */
export async function readPage(
  db: Queryable,
  deps: FeedDeps,
  q: { scope: Scope; after: number; limit: number; now: Date },
): Promise<FeedPage & { nextSeq: number }> {
  const head = await feedRepo.head(db);
  if (q.after > head) throw FeedErrors.CURSOR_FROM_FUTURE({ field: 'after', seq: q.after, head });
  const upTo = Math.min(head, q.after + SCAN_WINDOW);
  const rows = await feedRepo.events(db, q.after, upTo, SOURCE_TYPES, q.limit);
  const nextSeq = rows.length === q.limit ? (rows[rows.length - 1] as LogRow).seq : upTo;
  const l = await lookups(db, rows, q.now);
  const events: FeedEvent[] = [];
  for (const row of rows) {
    const e = project(row, q.scope, l);
    if (e) events.push(signedEvent(deps, row, e));
  }
  const page = deps.signer.sign({
    v: 1 as const,
    origin: deps.signer.origin,
    scope: q.scope,
    after: q.after > 0 ? deps.cursors.encode(q.after) : null,
    next: deps.cursors.encode(nextSeq),
    more: nextSeq < head,
    issuedAt: q.now.toISOString(),
    events,
  });
  return { ...page, nextSeq };
}

/**
 * The non-public read a page of the shared scope is (the pull API's pages and the webhook
 * deliveries): every subject on it, cursor range `after`–`upTo`.
 */
export function sharedPageRead(
  page: FeedPage,
  range: { after: number; upTo: number },
  purpose: string | null,
  detail: Record<string, unknown> = {},
): NonPublicRead {
  return {
    what: 'feed_shared',
    entity: `feed:${range.after}-${range.upTo}`,
    subjectIds: subjectIdsOfRefs(page.events.map((e) => (e.subject as { ref?: string } | undefined)?.ref)),
    fields: ['shared'],
    purpose,
    detail: { ...range, events: page.events.length, ...detail },
  };
}
