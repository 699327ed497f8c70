import { canonicalJson } from '../../../domain/canonical-json';
import {
  buildAliasMap,
  checkCrossFields,
  decideSeverity,
  isSeverity,
  parseItemDefinition,
  schemaProperties,
  visibleAt,
  type ItemDefinition,
  type ItemDefinitionInput,
  type ItemProblem,
  type JsonSchema,
  type KeyFields,
  type LegalBasis,
  type PeriodRule,
  type Severity,
  type SeverityRule,
  type Visibility,
} from '../../../domain/catalog';
import type { SubjectType } from '../../../domain/subject-types';
import { actorLabel, type Ctx } from '../../platform/context';
import { appendEvents } from '../../platform/events';
import { getDepartment } from '../accounts';
import { CatalogErrors } from './catalog.errors';
import { catalogRepo, type CategoryRow, type ItemWithVersionRow } from './catalog.repository';
import { schemaCompileError, schemaHash, validateAgainst, type PayloadResult } from './catalog.validation';

export interface Category {
  code: string;
  nameZh: string;
  nameEn: string;
  sort: number;
  descriptionZh: string;
  descriptionEn: string;
}

/** One version of a catalogue item, as stored (versions never change once written). */
export interface ItemVersion extends ItemDefinition {
  version: number;
  /** The item's current version at read time; `version < currentVersion` for an old version. */
  currentVersion: number;
  status: 'active' | 'retired';
  /** File header → field: keys, x-code, titles and x-aliases (see buildAliasMap). */
  aliases: Record<string, string>;
  layoutVariants: Record<string, Record<string, string>>;
  createdAt: string;
  createdBy: string;
  /** SHA-256 of the payload schema's canonical JSON; keys the compiled-validator cache. */
  schemaHash: string;
}

export interface ItemSummary {
  code: string;
  nameZh: string;
  nameEn: string;
  categoryCode: string;
  currentVersion: number;
  status: 'active' | 'retired';
  legalBasis: LegalBasis[];
  subjectTypes: SubjectType[];
  severityRule: SeverityRule['kind'];
  periodRule: PeriodRule;
  fieldCount: number;
  updatedAt: string;
}

interface Layout {
  keyFields: KeyFields;
  aliases: Record<string, string>;
  variants: Record<string, Record<string, string>>;
}

const toCategory = (r: CategoryRow): Category => ({
  code: r.code,
  nameZh: r.name_zh,
  nameEn: r.name_en,
  sort: r.sort,
  descriptionZh: r.description_zh,
  descriptionEn: r.description_en,
});

function toItemVersion(r: ItemWithVersionRow): ItemVersion {
  const layout = (r.layout ?? {}) as Partial<Layout>;
  const payloadSchema = r.payload_schema as JsonSchema;
  return {
    code: r.item_code,
    version: r.version,
    currentVersion: r.current_version,
    status: r.status,
    nameZh: r.name_zh,
    nameEn: r.name_en,
    categoryCode: r.category_code,
    legalBasis: r.legal_basis as LegalBasis[],
    subjectTypes: r.subject_types as SubjectType[],
    payloadSchema,
    fieldVisibility: r.field_visibility as Record<string, Visibility>,
    severityRule: r.severity_rule as SeverityRule,
    periodRule: r.period_rule as PeriodRule,
    keyFields: layout.keyFields ?? ({} as KeyFields),
    aliases: layout.aliases ?? {},
    layoutVariants: layout.variants ?? {},
    createdAt: r.created_at.toISOString(),
    createdBy: r.created_by,
    schemaHash: schemaHash(payloadSchema),
  };
}

function toSummary(r: ItemWithVersionRow): ItemSummary {
  return {
    code: r.item_code,
    nameZh: r.name_zh,
    nameEn: r.name_en,
    categoryCode: r.category_code,
    currentVersion: r.current_version,
    status: r.status,
    legalBasis: r.legal_basis as LegalBasis[],
    subjectTypes: r.subject_types as SubjectType[],
    severityRule: (r.severity_rule as SeverityRule).kind,
    periodRule: r.period_rule as PeriodRule,
    fieldCount: Object.keys(schemaProperties(r.payload_schema)).length,
    updatedAt: r.updated_at.toISOString(),
  };
}

/** The stored form of a checked definition: what the events carry and what the seed compares. */
export function definitionOf(item: ItemDefinition | ItemVersion): ItemDefinition {
  return {
    code: item.code,
    nameZh: item.nameZh,
    nameEn: item.nameEn,
    categoryCode: item.categoryCode,
    legalBasis: item.legalBasis,
    subjectTypes: item.subjectTypes,
    payloadSchema: item.payloadSchema,
    fieldVisibility: item.fieldVisibility,
    severityRule: item.severityRule,
    periodRule: item.periodRule,
    keyFields: item.keyFields,
    layoutVariants: item.layoutVariants ?? {},
  };
}

// ---- categories ----

export async function listCategories(ctx: Ctx): Promise<Category[]> {
  return (await catalogRepo.listCategories(ctx.db)).map(toCategory);
}

export async function getCategory(ctx: Ctx, code: string): Promise<Category> {
  const row = await catalogRepo.categoryByCode(ctx.db, code);
  if (!row) throw CatalogErrors.CATEGORY_NOT_FOUND({ field: 'categoryCode', category: code });
  return toCategory(row);
}

export async function createCategory(ctx: Ctx, input: Category): Promise<Category> {
  const row = await catalogRepo.insertCategory(ctx.db, input);
  if (!row) throw CatalogErrors.CATEGORY_EXISTS({ field: 'code', category: input.code });
  const category = toCategory(row);
  await appendEvents(ctx, [
    {
      type: 'catalog.category_created',
      entityType: 'catalog_category',
      entityId: category.code,
      payload: category,
    },
  ]);
  return category;
}

/** Rewrites a category's names and description (used by the seed when its text changes). */
export async function updateCategory(ctx: Ctx, input: Category): Promise<Category> {
  const row = await catalogRepo.updateCategory(ctx.db, input);
  if (!row) throw CatalogErrors.CATEGORY_NOT_FOUND({ field: 'code', category: input.code });
  const category = toCategory(row);
  await appendEvents(ctx, [
    {
      type: 'catalog.category_updated',
      entityType: 'catalog_category',
      entityId: category.code,
      payload: category,
    },
  ]);
  return category;
}

// ---- items ----

export async function listItems(ctx: Ctx): Promise<ItemSummary[]> {
  return (await catalogRepo.listCurrent(ctx.db)).map(toSummary);
}

export interface ItemFieldTitles {
  code: string;
  version: number;
  fields: { key: string; zh: string; en: string | null }[];
}

/**
 * The field titles of every item's current version, Chinese (`title`) and English (`x-title-en`,
 * null where the item has none): the public pages label record fields with them in English.
 */
export async function listFieldTitles(ctx: Ctx): Promise<ItemFieldTitles[]> {
  return (await catalogRepo.listCurrent(ctx.db)).map((row) => {
    const item = toItemVersion(row);
    const props = (item.payloadSchema.properties ?? {}) as Record<string, Record<string, unknown>>;
    return {
      code: item.code,
      version: item.version,
      fields: Object.entries(props).map(([key, prop]) => ({
        key,
        zh: typeof prop.title === 'string' ? prop.title : key,
        en: typeof prop['x-title-en'] === 'string' ? prop['x-title-en'] : null,
      })),
    };
  });
}

/** One version of an item (the current one when `version` is omitted). */
export async function getItemVersion(ctx: Ctx, code: string, version?: number): Promise<ItemVersion> {
  const row = await catalogRepo.versionOf(ctx.db, code, version ?? null);
  if (row) return toItemVersion(row);
  if (version !== undefined && (await catalogRepo.itemHead(ctx.db, code)))
    throw CatalogErrors.CATALOG_VERSION_NOT_FOUND({ field: 'version', code, version });
  throw CatalogErrors.CATALOG_ITEM_NOT_FOUND({ field: 'code', code });
}

/** The current version of an item. */
export async function getItem(ctx: Ctx, code: string): Promise<ItemVersion> {
  return getItemVersion(ctx, code);
}

function invalid(problems: readonly ItemProblem[]) {
  const first = problems[0] as ItemProblem;
  const more = problems.length > 1;
  return CatalogErrors.CATALOG_ITEM_INVALID(
    { field: first.field, problems: [...problems] },
    {
      zh: `目录事项定义不合法：${first.message.zh}${more ? `（另有 ${problems.length - 1} 处问题）` : ''}`,
      en: `Invalid catalogue item definition: ${first.message.en}${more ? ` (and ${problems.length - 1} more)` : ''}`,
    },
  );
}

/** Runs every check on a definition, including that Ajv compiles its payload schema. */
async function checked(ctx: Ctx, def: ItemDefinitionInput): Promise<ItemDefinition> {
  const categories = (await catalogRepo.listCategories(ctx.db)).map((c) => c.code);
  const parsed = parseItemDefinition(def, { categories });
  if (!parsed.ok) throw invalid(parsed.problems);
  const compileError = schemaCompileError(parsed.value.payloadSchema);
  if (compileError)
    throw invalid([
      {
        code: 'SCHEMA_INVALID',
        field: 'payloadSchema',
        message: {
          zh: `数据项结构无法编译：${compileError}`,
          en: `The payload schema does not compile: ${compileError}`,
        },
      },
    ]);
  return parsed.value;
}

async function writeVersion(ctx: Ctx, def: ItemDefinition, version: number): Promise<void> {
  const { aliases } = buildAliasMap(def.payloadSchema);
  const layout: Layout = { keyFields: def.keyFields, aliases, variants: def.layoutVariants ?? {} };
  await catalogRepo.insertVersion(ctx.db, {
    code: def.code,
    version,
    nameZh: def.nameZh,
    nameEn: def.nameEn,
    categoryCode: def.categoryCode,
    legalBasis: JSON.stringify(def.legalBasis),
    subjectTypes: def.subjectTypes,
    payloadSchema: JSON.stringify(def.payloadSchema),
    fieldVisibility: JSON.stringify(def.fieldVisibility),
    severityRule: JSON.stringify(def.severityRule),
    periodRule: JSON.stringify(def.periodRule),
    layout: JSON.stringify(layout),
    createdBy: actorLabel(ctx.actor),
    now: ctx.now,
  });
}

/** Creates a catalogue item at version 1. */
export async function createItem(ctx: Ctx, input: ItemDefinitionInput): Promise<ItemVersion> {
  if (await catalogRepo.itemHead(ctx.db, input.code))
    throw CatalogErrors.CATALOG_ITEM_EXISTS({ field: 'code', code: input.code });
  const def = await checked(ctx, input);
  const head = await catalogRepo.insertItem(ctx.db, def.code, ctx.now);
  if (!head) throw CatalogErrors.CATALOG_ITEM_EXISTS({ field: 'code', code: def.code });
  await writeVersion(ctx, def, 1);
  await appendEvents(ctx, [
    {
      type: 'catalog.item_created',
      entityType: 'catalog_item',
      entityId: def.code,
      payload: { code: def.code, version: 1, definition: definitionOf(def) },
    },
  ]);
  return getItemVersion(ctx, def.code, 1);
}

/** Adds a version to an item and makes it current; earlier versions stay readable. */
export async function createItemVersion(
  ctx: Ctx,
  code: string,
  input: Omit<ItemDefinitionInput, 'code'> & { code?: string },
): Promise<ItemVersion> {
  const head = await catalogRepo.itemHead(ctx.db, code, true);
  if (!head) throw CatalogErrors.CATALOG_ITEM_NOT_FOUND({ field: 'code', code });
  if (input.code !== undefined && input.code !== code)
    throw invalid([
      {
        code: 'CODE_INVALID',
        field: 'code',
        message: {
          zh: `定义中的编码 ${input.code} 与事项 ${code} 不一致`,
          en: `Code ${input.code} differs from item ${code}`,
        },
      },
    ]);
  const def = await checked(ctx, { ...input, code });
  const version = head.current_version + 1;
  await writeVersion(ctx, def, version);
  await catalogRepo.setCurrentVersion(ctx.db, code, version, ctx.now);
  await appendEvents(ctx, [
    {
      type: 'catalog.item_versioned',
      entityType: 'catalog_item',
      entityId: code,
      payload: { code, version, previousVersion: head.current_version, definition: definitionOf(def) },
    },
  ]);
  return getItemVersion(ctx, code, version);
}

// ---- providers ----

/** Sets exactly which departments may submit records of an item. */
export async function setProviders(
  ctx: Ctx,
  itemCode: string,
  departmentIds: readonly number[],
): Promise<number[]> {
  if (!(await catalogRepo.itemHead(ctx.db, itemCode, true)))
    throw CatalogErrors.CATALOG_ITEM_NOT_FOUND({ field: 'code', code: itemCode });
  const ids = [...new Set(departmentIds)].sort((a, b) => a - b);
  for (const id of ids) await getDepartment(ctx, id);
  const previous = await catalogRepo.providers(ctx.db, itemCode);
  if (canonicalJson(previous) === canonicalJson(ids)) return ids;
  await catalogRepo.replaceProviders(ctx.db, itemCode, ids);
  await appendEvents(ctx, [
    {
      type: 'catalog.providers_set',
      entityType: 'catalog_item',
      entityId: itemCode,
      payload: { code: itemCode, departmentIds: ids, previous },
    },
  ]);
  return ids;
}

export async function providersOf(ctx: Ctx, itemCode: string): Promise<number[]> {
  if (!(await catalogRepo.itemHead(ctx.db, itemCode)))
    throw CatalogErrors.CATALOG_ITEM_NOT_FOUND({ field: 'code', code: itemCode });
  return catalogRepo.providers(ctx.db, itemCode);
}

export async function isProvider(ctx: Ctx, itemCode: string, departmentId: number): Promise<boolean> {
  return catalogRepo.isProvider(ctx.db, itemCode, departmentId);
}

export async function itemsProvidedBy(ctx: Ctx, departmentId: number): Promise<ItemSummary[]> {
  return (await catalogRepo.itemsProvidedBy(ctx.db, departmentId)).map(toSummary);
}

// ---- record-level rules ----

/**
 * Checks a record payload against the item version's schema (all errors, each naming its field),
 * then the rules between fields it declares (`x-not-before`,
 * `x-org-code-of`: DATE_ORDER, CODE_MISMATCH; domain/catalog/cross-field.ts).
 */
export function validatePayload(item: ItemVersion, payload: unknown): PayloadResult {
  const v = validateAgainst(item.payloadSchema, payload, item.schemaHash);
  if (!v.ok) return v;
  // The validity end (key field, or the validity period's field) is never before the decision
  // date, whether or not the version declares it with x-not-before.
  const validityEnd =
    item.keyFields.validityEnd ?? (item.periodRule.kind === 'validity' ? item.periodRule.field : undefined);
  const implied =
    validityEnd && validityEnd !== item.keyFields.decisionDate
      ? [{ field: validityEnd, other: item.keyFields.decisionDate }]
      : [];
  const cross = checkCrossFields(item.payloadSchema, v.value, implied);
  if (!cross.length) return v;
  return { ok: false, errors: cross.map((e) => ({ field: e.field, code: e.code, message: e.message })) };
}

/**
 * The severity of a record of this item: a declared one takes precedence, else the item's rule
 * derives it; null when the item carries no severity. Throws SEVERITY_REQUIRED when the item needs
 * a declaration and none was given.
 */
export function resolveSeverity(
  item: ItemVersion,
  payload: Readonly<Record<string, unknown>>,
  declared?: Severity | string | null,
): Severity | null {
  if (declared !== undefined && declared !== null && declared !== '' && !isSeverity(declared))
    throw CatalogErrors.SEVERITY_INVALID({ field: 'severity', severity: declared });
  const outcome = decideSeverity(item.severityRule, payload, isSeverity(declared) ? declared : null);
  if (!outcome.ok) throw CatalogErrors.SEVERITY_REQUIRED({ field: 'severity', code: item.code });
  return outcome.severity;
}

/** Fields anyone may see. Sensitive fields are never public, whatever the visibility says. */
export function publicFields(item: ItemVersion): string[] {
  return fieldsVisibleAt(item, 'public');
}

/** Fields a reader at `level` sees (public ⊂ shared ⊂ internal), in schema order. */
export function fieldsVisibleAt(item: ItemVersion, level: Visibility): string[] {
  const props = schemaProperties(item.payloadSchema);
  return Object.keys(props).filter((key) => {
    const v = item.fieldVisibility[key] ?? 'internal';
    if (level === 'public' && props[key]?.['x-sensitive'] === true) return false;
    return visibleAt(v, level);
  });
}
