import type { Static } from 'typebox';
import { divisionPath } from '../../../domain/divisions';
import { likeEscape } from '../../../domain/search-text';
import { SUBJECT_TYPE_LABELS } from '../../../domain/subject-types';
import { civilDate } from '../../../domain/periods';
import type { Ctx } from '../../platform/context';
import type { FieldCrypto } from '../../platform/crypto';
import { listDepartments, type Department } from '../accounts';
import { getItemVersion, listCategories, type Category, type ItemVersion } from '../catalog';
import { findForProfile, profileUscc, SubjectErrors, toSubject, type Subject } from '../subjects';
import { recordsRepo, type DisclosedRow } from './records.repository';
import type { ProfileItemSchema, PublicProfileSchema, PublicRecordSchema } from './records.schemas';

export interface PublicField {
  key: string;
  label: string;
  /** The field's English title (`x-title-en` in the item version), when the catalogue has one. */
  labelEn?: string;
  value: unknown;
}

/** A catalogue item version as a profile names it once: names, legal basis, public field titles. */
export type ProfileItem = Static<typeof ProfileItemSchema>;
/** A disclosed record as a profile shows it: its item by code and version, its public values. */
export type PublicRecord = Static<typeof PublicRecordSchema>;
export type PublicProfile = Static<typeof PublicProfileSchema>;

// Departments and item versions change rarely; a short-lived cache keeps the hot profile path to
// one subject read and one records read.
const TTL_MS = 30_000;
let deptCache: { at: number; byId: Map<number, Department> } | null = null;
const itemCache = new Map<string, ItemVersion>();

async function departmentsById(ctx: Ctx): Promise<Map<number, Department>> {
  const now = Date.now();
  if (!deptCache || now - deptCache.at > TTL_MS) {
    const all = await listDepartments(ctx);
    deptCache = { at: now, byId: new Map(all.map((d) => [d.id, d])) };
  }
  return deptCache.byId;
}

let categoryCache: { at: number; value: Promise<Category[]> } | null = null;
function categoriesCached(ctx: Ctx): Promise<Category[]> {
  const t = Date.now();
  if (!categoryCache || t - categoryCache.at > TTL_MS) categoryCache = { at: t, value: listCategories(ctx) };
  return categoryCache.value;
}

async function itemVersion(ctx: Ctx, code: string, version: number): Promise<ItemVersion> {
  const key = `${code}@${version}`;
  let v = itemCache.get(key);
  if (!v) {
    v = await getItemVersion(ctx, code, version);
    itemCache.set(key, v);
  }
  return v;
}

/**
 * remedies (issue 6): which of a subject's records were under objection review at `at`. The
 * remedies module installs the real lookup at start-up (records cannot import remedies).
 */
export type DisputeLookup = (ctx: Ctx, recordIds: number[], at: Date) => Promise<Set<number>>;
let disputeLookup: DisputeLookup = async () => new Set();
export function setDisputeLookup(fn: DisputeLookup): void {
  disputeLookup = fn;
}

export function clearProfileCaches(): void {
  deptCache = null;
  categoryCache = null;
  statsCache = null;
  itemCache.clear();
}

/**
 * The public credit profile of a subject at an instant: identity with ID numbers masked, and the
 * records disclosed at that instant grouped by catalogue category, public fields only.
 */
export async function publicProfile(
  ctx: Ctx,
  crypto: FieldCrypto,
  code: string,
  at: Date,
): Promise<PublicProfile> {
  const day = civilDate(at);
  const historic = at.getTime() < ctx.now.getTime();
  const [depts, categories] = await Promise.all([departmentsById(ctx), categoriesCached(ctx)]);
  // "As of now" by USCC (the common case) is one statement; anything else reads subject and records apart.
  const uscc = await profileUscc(ctx, code, at);
  const card = uscc ? await recordsRepo.profileByUscc(ctx.db, uscc, day, at) : undefined;
  let subject: Subject;
  let formerNames: string[];
  let rows: DisclosedRow[];
  if (card && new Date(card.created_at) <= at) {
    subject = toSubject(card);
    formerNames = subject.type === 'NATURAL_PERSON' ? [] : card.former_names;
    rows = card.records;
  } else {
    const found = await findForProfile(ctx, crypto, code, at);
    if (!found) throw SubjectErrors.SUBJECT_NOT_FOUND({ code });
    ({ subject, formerNames } = found);
    rows = historic
      ? await recordsRepo.disclosedAt(ctx.db, subject.id, day, at)
      : await recordsRepo.disclosedNow(ctx.db, subject.id, day, at);
  }

  // The current profile reads the mark kept on the record; a past instant asks the remedies module.
  const disputed = !historic
    ? new Set(rows.filter((r) => r.disputed).map((r) => r.id))
    : rows.length
      ? await disputeLookup(
          ctx,
          rows.map((r) => r.id),
          at,
        )
      : new Set<number>(); // remedies (issue 6)
  const grouped = new Map<string, PublicRecord[]>();
  const items = new Map<string, ProfileItem>();
  for (const r of rows) {
    const item = await itemVersion(ctx, r.item_code, r.item_version);
    const itemKey = `${item.code}@${item.version}`;
    if (!items.has(itemKey)) items.set(itemKey, profileItem(item));
    const dept = depts.get(r.department_id);
    const list = grouped.get(r.category_code) ?? [];
    list.push({
      id: r.id,
      item: { code: item.code, version: item.version },
      docNo: r.doc_no,
      decisionDate: r.decision_date,
      severity: r.severity,
      disclosedFrom: r.window_from,
      disclosedUntil: r.window_until,
      provider: dept ? { name: dept.name, nameEn: dept.nameEn, uscc: dept.uscc } : null,
      fields: publicFields(item, r.payload, (f, value) => ({ key: f.key, value })), // titles: `items`
      version: r.version,
      disputed: disputed.has(r.id), // remedies (issue 6)
    });
    grouped.set(r.category_code, list);
  }
  const region = subject.region;
  const path = region ? divisionPath(region) : [];
  return {
    at: at.toISOString(),
    subject: {
      ref: `S${subject.id}`,
      type: subject.type,
      typeLabel: SUBJECT_TYPE_LABELS[subject.type],
      name: subject.name,
      formerNames,
      uscc: subject.uscc,
      orgCode: subject.orgCode,
      idMasked: subject.idMasked,
      region,
      regionName: path.length ? path.join(' / ') : null,
      legalRep: subject.type === 'NATURAL_PERSON' ? null : subject.legalRep,
      status: subject.status,
      establishedOn: subject.establishedOn,
    },
    categories: categories
      .filter((c) => grouped.has(c.code))
      .map((c) => {
        const records = grouped.get(c.code) ?? [];
        return { code: c.code, nameZh: c.nameZh, nameEn: c.nameEn, count: records.length, records };
      }),
    items: [...items.values()],
    total: rows.length,
  };
}

export interface BrowseQuery {
  itemCodes: string[];
  departmentId?: number;
  from?: string;
  to?: string;
  q?: string;
  at: Date;
  limit: number;
  offset: number;
}

/** 双公示 browsing: disclosed licences and penalties of organisations, newest first. */
export async function browseDisclosed(ctx: Ctx, query: BrowseQuery) {
  const q = query.q?.normalize('NFKC').trim() ?? '';
  const looksLikeDoc =
    /[〔[(（]|号$|^\S*\d{2,}\S*$/.test(q) && ![...q].every((c) => /[\u4e00-\u9fff]/.test(c));
  const { rows, more } = await recordsRepo.browseDisclosed(ctx.db, {
    itemCodes: query.itemCodes,
    departmentId: query.departmentId ?? null,
    from: query.from ?? null,
    to: query.to ?? null,
    nameLike: q && !looksLikeDoc ? `%${likeEscape(q)}%` : null,
    docNo: q && looksLikeDoc ? q : null,
    day: civilDate(query.at),
    at: query.at,
    limit: query.limit,
    offset: query.offset,
  });
  const depts = await departmentsById(ctx);
  const items = [];
  for (const r of rows) {
    const item = await itemVersion(ctx, r.item_code, r.item_version);
    const dept = depts.get(r.department_id);
    items.push({
      id: r.id,
      subject: { ref: `S${r.subject_id}`, name: r.subject_name, uscc: r.uscc, type: r.subject_type },
      item: { code: item.code, nameZh: item.nameZh, nameEn: item.nameEn },
      docNo: r.doc_no,
      decisionDate: r.decision_date,
      severity: r.severity,
      provider: dept ? { id: dept.id, name: dept.name, nameEn: dept.nameEn } : null,
      fields: publicFields(item, r.payload, (f, value): PublicField => ({ ...f, value })),
      disclosedUntil: r.window_until,
    });
  }
  return { items, more };
}

let statsCache: {
  at: number;
  value: { subjects: number; disclosedRecords: number; departments: number; updatedAt: string | null };
} | null = null;

/** Headline figures; counting millions of rows is not free, so they are recomputed at most once a minute. */
export async function publicStats(ctx: Ctx) {
  const t = Date.now();
  if (statsCache && t - statsCache.at < 60_000) return statsCache.value;
  const s = await recordsRepo.stats(ctx.db, civilDate(ctx.now), ctx.now);
  const value = {
    subjects: Number(s.subjects),
    disclosedRecords: Number(s.disclosed),
    departments: Number(s.departments),
    updatedAt: s.updated_at ? s.updated_at.toISOString() : null,
  };
  statsCache = { at: t, value };
  return value;
}

/** The profile's description of an item version: names, legal basis, its public fields' titles. */
const profileItems = new WeakMap<ItemVersion, ProfileItem>();
function profileItem(item: ItemVersion): ProfileItem {
  let described = profileItems.get(item);
  if (!described) profileItems.set(item, (described = describeItem(item)));
  return described;
}

function describeItem(item: ItemVersion): ProfileItem {
  const props = (item.payloadSchema.properties ?? {}) as Record<
    string,
    { title?: string; 'x-title-en'?: string; 'x-sensitive'?: boolean }
  >;
  const fields: ProfileItem['fields'] = [];
  for (const [key, prop] of Object.entries(props)) {
    if (item.fieldVisibility[key] !== 'public' || prop['x-sensitive']) continue;
    const labelEn = prop['x-title-en'];
    fields.push({ key, label: prop.title ?? key, ...(labelEn ? { labelEn } : {}) });
  }
  return {
    code: item.code,
    version: item.version,
    nameZh: item.nameZh,
    nameEn: item.nameEn,
    legalBasis: item.legalBasis,
    fields,
  };
}

/** Only fields the item marks `public`; sensitive (encrypted) values never leave. */
function publicFields<T>(
  item: ItemVersion,
  payload: Record<string, unknown>,
  make: (field: ProfileItem['fields'][number], value: unknown) => T,
): T[] {
  return profileItem(item).fields.flatMap((f) => {
    const value = payload[f.key];
    if (value === undefined || value === null || value === '') return [];
    if (typeof value === 'object' && 'enc' in value) return [];
    return [make(f, value)];
  });
}
