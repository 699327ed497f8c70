import { canonicalJson } from '../../../domain/canonical-json';
import {
  parseListType,
  type ListProblem,
  type ListTypeDefinition,
  type ListTypeInput,
} from '../../../domain/lists';
import { actorLabel, type Ctx } from '../../platform/context';
import { appendEvents } from '../../platform/events';
import { ListErrors } from './lists.errors';
import { listsRepo, type ListTypeRow } from './lists.repository';

/** One version of a list type as stored. */
export interface ListType extends ListTypeDefinition {
  version: number;
  currentVersion: number;
  createdAt: string;
  createdBy: string;
  /**
   * The departments bound as listing authority in this deployment (empty: not bound yet, any
   * department's account may act). Current binding, whatever the version.
   */
  departments: { id: number; name: string; nameEn: string | null }[];
}

export function toListType(r: ListTypeRow): ListType {
  const d = r.definition as unknown as ListTypeDefinition;
  return {
    ...d,
    // Head columns win: they are what the procedure reads.
    status: r.version === r.current_version ? (r.status as ListTypeDefinition['status']) : d.status,
    version: r.version,
    currentVersion: r.current_version,
    createdAt: r.created_at.toISOString(),
    createdBy: r.created_by,
    departments: (r.departments ?? []).map((d) => ({
      id: Number(d.id),
      name: d.name,
      nameEn: d.nameEn ?? null,
    })),
  };
}

function invalid(problems: readonly ListProblem[]) {
  const first = problems[0] as ListProblem;
  const more = problems.length > 1 ? problems.length - 1 : 0;
  return ListErrors.LIST_TYPE_INVALID(
    {
      field: first.field,
      problem: first.code,
      problems: problems.map((p) => ({ code: p.code, field: p.field, message: p.message })),
      first: `${first.message.zh}${more ? `（另有 ${more} 处问题）` : ''}`,
      firstEn: `${first.message.en}${more ? ` (and ${more} more)` : ''}`,
    },
    undefined,
  );
}

function checked(input: ListTypeInput): ListTypeDefinition {
  const parsed = parseListType(input);
  if (!parsed.ok) throw invalid(parsed.problems);
  return parsed.value;
}

export async function listListTypes(ctx: Ctx, opts: { onlyPublic?: boolean } = {}): Promise<ListType[]> {
  return (await listsRepo.listTypes(ctx.db, opts.onlyPublic ?? false)).map(toListType);
}

export async function getListType(ctx: Ctx, code: string, version?: number): Promise<ListType> {
  const row = await listsRepo.typeVersion(ctx.db, code, version ?? null);
  if (!row) throw ListErrors.LIST_TYPE_NOT_FOUND({ field: 'code', code });
  return toListType(row);
}

/** Creates a list type after the gate (legal basis rank, published conditions, period rules). */
export async function createListType(ctx: Ctx, input: ListTypeInput): Promise<ListType> {
  const def = checked(input);
  if (
    !(await listsRepo.insertType(ctx.db, {
      code: def.code,
      kind: def.kind,
      status: def.status,
      public: def.public,
      now: ctx.now,
    }))
  )
    throw ListErrors.LIST_TYPE_EXISTS({ field: 'code', code: def.code });
  await listsRepo.insertTypeVersion(ctx.db, {
    code: def.code,
    version: 1,
    definition: JSON.stringify(def),
    now: ctx.now,
    by: actorLabel(ctx.actor),
  });
  await appendEvents(ctx, [
    {
      type: 'list_type.created',
      entityType: 'list_type',
      entityId: def.code,
      payload: { version: 1, definition: def },
    },
  ]);
  return getListType(ctx, def.code, 1);
}

/**
 * A new version of a list type (conditions, period, status …). Entries keep the version they
 * were decided under; the kind never changes.
 */
export async function versionListType(ctx: Ctx, code: string, input: ListTypeInput): Promise<ListType> {
  const head = await listsRepo.typeHead(ctx.db, code, true);
  if (!head) throw ListErrors.LIST_TYPE_NOT_FOUND({ field: 'code', code });
  const def = checked({ ...input, code });
  if (def.kind !== head.kind)
    throw ListErrors.LIST_KIND_CHANGED({ field: 'kind', from: head.kind, to: def.kind });
  const current = await getListType(ctx, code);
  if (canonicalJson(definitionOf(current)) === canonicalJson(def)) return current;
  const version = head.current_version + 1;
  await listsRepo.insertTypeVersion(ctx.db, {
    code,
    version,
    definition: JSON.stringify(def),
    now: ctx.now,
    by: actorLabel(ctx.actor),
  });
  await listsRepo.setTypeCurrent(ctx.db, code, {
    version,
    status: def.status,
    public: def.public,
    now: ctx.now,
  });
  await appendEvents(ctx, [
    {
      type: 'list_type.versioned',
      entityType: 'list_type',
      entityId: code,
      payload: { version, previousVersion: head.current_version, definition: def },
    },
  ]);
  return getListType(ctx, code, version);
}

/**
 * Binds a list type to the departments that are its listing authority (认定单位): from then on only
 * their accounts may propose, notify and decide entries on it. An empty list removes the binding.
 */
export async function setListTypeDepartments(
  ctx: Ctx,
  code: string,
  departmentIds: readonly number[],
): Promise<ListType> {
  const head = await listsRepo.typeHead(ctx.db, code, true);
  if (!head) throw ListErrors.LIST_TYPE_NOT_FOUND({ field: 'code', code });
  const ids = [...new Set(departmentIds)].sort((a, b) => a - b);
  const before = (await getListType(ctx, code)).departments.map((d) => d.id);
  if (before.join(',') === ids.join(',')) return getListType(ctx, code);
  const unknown = await listsRepo.setTypeDepartments(ctx.db, code, ids, ctx.now, actorLabel(ctx.actor));
  if (unknown.length)
    throw ListErrors.DEPARTMENT_UNKNOWN({ field: 'departments', department: unknown.join(', ') });
  await appendEvents(ctx, [
    {
      type: 'list_type.departments_set',
      entityType: 'list_type',
      entityId: code,
      payload: { code, departments: ids, previous: before },
    },
  ]);
  return getListType(ctx, code);
}

export function definitionOf(t: ListType | ListTypeDefinition): ListTypeDefinition {
  return {
    code: t.code,
    nameZh: t.nameZh,
    nameEn: t.nameEn,
    domain: t.domain,
    kind: t.kind,
    authority: t.authority,
    legalBasis: t.legalBasis,
    basisStatus: t.basisStatus,
    conditions: t.conditions,
    period: t.period,
    earlyExit: t.earlyExit,
    public: t.public,
    statementDays: t.statementDays,
    status: t.status,
  };
}
