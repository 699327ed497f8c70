import { checkId } from '../../../domain/identifiers';
import { statementBlock } from '../../../domain/lists';
import { civilDate } from '../../../domain/periods';
import { likeEscape } from '../../../domain/search-text';
import { actorDepartment, actorSubject, hasRole, type Ctx } from '../../platform/context';
import type { FieldCrypto } from '../../platform/crypto';
import { appendEvents } from '../../platform/events';
import { findByIdentifier, SubjectErrors } from '../subjects';
import { ListErrors } from './lists.errors';
import { listsRepo } from './lists.repository';
import { getListType, listListTypes, type ListType } from './lists.types';
import { entryViews, type EntryView } from './lists.views';

/** One entry with every step. Departments see their own entries; the credit office and auditors all. */
export async function getEntry(ctx: Ctx, id: number): Promise<EntryView> {
  const row = await listsRepo.entry(ctx.db, id);
  if (!row) throw ListErrors.ENTRY_NOT_FOUND({ entry: id });
  const dept = actorDepartment(ctx.actor);
  if (dept !== null && dept !== row.department_id && !hasRole(ctx.actor, 'dept_reviewer'))
    throw ListErrors.NOT_OWN_DEPARTMENT();
  const [view] = await entryViews(ctx, [row], { at: ctx.now, steps: true });
  // A subject's own account sees the entries on it and those naming it as a related party.
  const own = actorSubject(ctx.actor);
  if (own !== null && row.subject_id !== own && !view?.parties.some((p) => p.ref === `S${own}`))
    throw ListErrors.ENTRY_NOT_FOUND({ entry: id });
  return view as EntryView;
}

/**
 * Everything on the lists about the caller's own subject (its account, role `subject`), each entry
 * saying whether the subject may submit its statement now (`statementOpen`, the rule the statement
 * route applies): entries naming it only as a related party, and views of a past instant, never.
 */
export async function myEntries(ctx: Ctx, crypto: FieldCrypto, at: Date) {
  const own = actorSubject(ctx.actor);
  if (own === null) throw SubjectErrors.SUBJECT_NOT_FOUND({ code: 'me' });
  const out = await entriesOfSubject(ctx, crypto, `S${own}`, at);
  const current = at.getTime() === ctx.now.getTime();
  const today = civilDate(ctx.now);
  const items = out.items.map((e) => ({
    ...e,
    statementOpen:
      current &&
      e.subject.ref === `S${own}` &&
      statementBlock(
        {
          stage: e.stage,
          statementDeadline: e.notice?.statementDeadline ?? null,
          statementAt: e.statementAt ? new Date(e.statementAt) : null,
          waivedAt: e.waivedAt ? new Date(e.waivedAt) : null,
        },
        today,
      ) === null,
  }));
  return { ...out, items };
}

export async function listEntries(
  ctx: Ctx,
  f: { listType?: string; stage?: string; subjectId?: number; limit: number; offset: number },
): Promise<{ items: EntryView[]; more: boolean }> {
  const { rows, more } = await listsRepo.list(ctx.db, {
    departmentId: actorDepartment(ctx.actor),
    listType: f.listType ?? null,
    stage: f.stage ?? null,
    subjectId: f.subjectId ?? null,
    limit: f.limit,
    offset: f.offset,
  });
  return { items: await entryViews(ctx, rows, { at: ctx.now }), more };
}

/**
 * Everything on the lists about one subject — pending proposals included — with every step: what
 * the subject itself is entitled to see (through a reviewer now; subject accounts come later).
 */
export async function entriesOfSubject(
  ctx: Ctx,
  crypto: FieldCrypto,
  ref: string,
  at: Date,
): Promise<{ subject: { ref: string; name: string; type: string }; at: string; items: EntryView[] }> {
  const subject = await findByIdentifier(ctx, crypto, ref);
  if (!subject) throw SubjectErrors.SUBJECT_NOT_FOUND({ code: ref });
  const rows = await listsRepo.ofSubject(ctx.db, subject.id, at);
  return {
    subject: { ref: `S${subject.id}`, name: subject.name, type: subject.type },
    at: at.toISOString(),
    items: await entryViews(ctx, rows, { at, steps: true }),
  };
}

/** `entriesOfSubject` for a reviewer, auditor or system: the read is logged as an event. */
export async function viewEntriesOfSubject(
  ctx: Ctx,
  crypto: FieldCrypto,
  ref: string,
  at: Date,
  purpose: string | null = null,
) {
  const out = await entriesOfSubject(ctx, crypto, ref, at);
  const subjectId = Number(out.subject.ref.slice(1));
  await appendEvents(ctx, [
    {
      type: 'list_entries.viewed',
      entityType: 'subject',
      entityId: subjectId,
      subjectId,
      payload: { subjectId, at: out.at, entries: out.items.map((e) => e.id), purpose },
    },
  ]);
  return out;
}

export interface PublicListType extends ListType {
  activeEntries: number;
}

/** Public list types (not drafts) with the number of entries published and on the list at `at`. */
export async function publicListTypes(ctx: Ctx, at: Date): Promise<PublicListType[]> {
  const [types, counts] = await Promise.all([
    listListTypes(ctx, { onlyPublic: true }),
    listsRepo.entryCounts(ctx.db, civilDate(at), at),
  ]);
  return types.map((t) => ({ ...t, activeEntries: counts.get(t.code) ?? 0 }));
}

async function publicType(ctx: Ctx, code: string): Promise<ListType> {
  const t = await getListType(ctx, code);
  if (!t.public || t.status === 'draft') throw ListErrors.LIST_TYPE_NOT_FOUND({ code });
  return t;
}

/**
 * Searches the published entries of a public list. Organisations by name (2+ characters) or code;
 * natural persons only by their exact ID number, never by name.
 */
export async function searchPublished(
  ctx: Ctx,
  crypto: FieldCrypto,
  code: string,
  q: { q?: string; at: Date; limit: number; offset: number },
): Promise<{ listType: ListType; items: EntryView[]; more: boolean }> {
  const listType = await publicType(ctx, code);
  const term = q.q?.trim() ?? '';
  let subjectId: number | null = null;
  let nameLike: string | null = null;
  if (term) {
    const id = checkId(term);
    if (id.valid || /^S\d+$/.test(term)) {
      const subject = await findByIdentifier(ctx, crypto, term);
      if (!subject) return { listType, items: [], more: false };
      subjectId = subject.id;
    } else {
      if ([...term].length < 2) throw SubjectErrors.QUERY_TOO_SHORT({ field: 'q' });
      nameLike = `%${likeEscape(term)}%`;
    }
  }
  const { rows, more } = await listsRepo.published(ctx.db, {
    code,
    subjectId,
    nameLike,
    day: civilDate(q.at),
    at: q.at,
    limit: q.limit,
    offset: q.offset,
  });
  return { listType, items: await entryViews(ctx, rows, { at: q.at, publicView: true }), more };
}

/**
 * One published entry of a public list while it is on the list, as the public sees it; anything
 * else — pending, ended (after repair nothing stays on display), non-public — is not found.
 */
export async function publishedEntry(ctx: Ctx, id: number, at: Date): Promise<EntryView> {
  const row = await listsRepo.entry(ctx.db, id);
  const def = row?.list_definition as { public?: boolean } | undefined;
  if (!row || !row.published_at || row.published_at > at || !def?.public)
    throw ListErrors.ENTRY_NOT_FOUND({ entry: id });
  const [view] = await entryViews(ctx, [row], { at, publicView: true });
  if (!view || view.status !== 'active') throw ListErrors.ENTRY_NOT_FOUND({ entry: id });
  return view;
}

/**
 * What the public subject page shows on its lists tab: the subject's entries published on public
 * lists and on the list at `at` (pending, ended and non-public entries never appear). A subject not
 * registered yet at `at` is not found, as on the profile itself.
 */
export async function publicEntriesOfSubject(
  ctx: Ctx,
  crypto: FieldCrypto,
  ref: string,
  at: Date,
): Promise<{ at: string; items: EntryView[] }> {
  const subject = await findByIdentifier(ctx, crypto, ref);
  if (!subject || new Date(subject.createdAt) > at) throw SubjectErrors.SUBJECT_NOT_FOUND({ code: ref });
  const rows = (await listsRepo.publishedOfSubject(ctx.db, subject.id, civilDate(at), at)).filter(
    (r) => (r.list_definition as { public?: boolean }).public === true,
  );
  const items = await entryViews(ctx, rows, { at, publicView: true });
  return { at: at.toISOString(), items: items.filter((e) => e.status === 'active') };
}
