import {
  checkId,
  maskCitizenId,
  validateCitizenId,
  validateGs15,
  validateOrgCode,
  validateUscc,
  type IdKind,
} from '../../../domain/identifiers';
import { isKnownDivision } from '../../../domain/divisions';
import { civilDate } from '../../../domain/periods';
import { gramSources, pinyinKeys, queryShape } from '../../../domain/search-text';
import { SUBJECT_TYPE_LABELS, type SubjectType } from '../../../domain/subject-types';
import type { Ctx } from '../../platform/context';
import { actorLabel } from '../../platform/context';
import { changeAwareCache } from '../../platform/commit-bus';
import type { FieldCrypto } from '../../platform/crypto';
import { appendEvents } from '../../platform/events';
import { SubjectErrors } from './subjects.errors';
import { subjectsRepo, type NameRow, type SearchHit, type SubjectRow } from './subjects.repository';

export interface NewSubject {
  type?: SubjectType;
  uscc?: string | null;
  citizenId?: string | null;
  orgCode?: string | null;
  regNo?: string | null;
  name: string;
  formerNames?: string[];
  region?: string | null;
  legalRep?: string | null;
  status?: string;
  establishedOn?: string | null;
  origin: 'registry' | 'collection' | 'demo' | 'api';
}

/** What the platform holds on a subject, before any visibility rule is applied. */
export interface Subject {
  id: number;
  type: SubjectType;
  uscc: string | null;
  orgCode: string | null;
  regNo: string | null;
  name: string;
  region: string | null;
  legalRep: string | null;
  status: string;
  establishedOn: string | null;
  idMasked: string | null;
  origin: string;
  version: number;
  createdAt: string;
}

export function toSubject(r: SubjectRow): Subject {
  return {
    id: r.id,
    type: r.type,
    uscc: r.uscc,
    orgCode: r.org_code,
    regNo: r.reg_no,
    name: r.name,
    region: r.region,
    legalRep: r.legal_rep,
    status: r.status,
    establishedOn: r.established_on,
    idMasked: r.id_masked,
    origin: r.origin,
    version: r.version,
    createdAt: r.created_at.toISOString(),
  };
}

function idError(kind: IdKind, r: { reason?: string; message?: { zh: string; en: string } }, field: string) {
  const labels: Record<IdKind, { zh: string; en: string }> = {
    uscc: { zh: '统一社会信用代码', en: 'USCC' },
    org_code: { zh: '组织机构代码', en: 'organisation code' },
    citizen_id: { zh: '身份证号码', en: 'citizen ID number' },
    gs15: { zh: '工商注册号', en: 'registration number' },
  };
  return SubjectErrors.INVALID_IDENTIFIER({
    field,
    idReason: r.reason,
    label: labels[kind].zh,
    labelEn: labels[kind].en,
    reason: r.message?.zh ?? '',
    reasonEn: r.message?.en ?? '',
  });
}

function civilToday(now: Date): string {
  return new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}

/** The blind index of a citizen ID under the current key: over its normalised 18-character form. */
export function citizenBlindIndex(crypto: FieldCrypto, normalised18: string): Buffer {
  return crypto.blindIndex(`citizen_id:${normalised18}`);
}

/**
 * The blind index of a citizen ID under every configured blind key, the current key's first. Every
 * lookup uses all of them: during a blind-key rotation a row may still hold an old key's value.
 */
export function citizenBlindIndexes(crypto: FieldCrypto, normalised18: string): Buffer[] {
  return crypto.blindIndexes(`citizen_id:${normalised18}`);
}

/**
 * Registers a subject. Codes are validated (recorded checksum overrides accepted), the type is
 * derived from the USCC, and a natural person's ID number is kept only encrypted, blind-indexed
 * and masked. Natural persons get no searchable names.
 */
export async function registerSubject(ctx: Ctx, crypto: FieldCrypto, input: NewSubject): Promise<Subject> {
  const overrides = await overridesOf(ctx);
  let type = input.type;
  let uscc: string | null = null;
  let orgCode: string | null = null;
  let regNo: string | null = null;
  let idCipher: Buffer | null = null;
  let idBlind: Buffer | null = null;
  let olderBlinds: Buffer[] = [];
  let idMasked: string | null = null;

  if (input.uscc) {
    const r = validateUscc(input.uscc, { knownExceptions: overrides });
    if (!r.valid) throw idError('uscc', r, 'uscc');
    uscc = r.normalized;
    orgCode = r.orgCode;
    // A USCC never names a natural person, not even one of the "other organisation" kind.
    if (
      type &&
      type !== r.subjectType &&
      (type === 'NATURAL_PERSON' || !(type === 'OTHER_ORG' || r.subjectType === 'OTHER_ORG'))
    )
      throw SubjectErrors.TYPE_MISMATCH({ field: 'type', type, derived: r.subjectType });
    type = type ?? r.subjectType;
  }
  if (input.citizenId) {
    const r = validateCitizenId(input.citizenId, { today: civilToday(ctx.now) });
    if (!r.valid) throw idError('citizen_id', r, 'citizenId');
    if (type && type !== 'NATURAL_PERSON')
      throw SubjectErrors.TYPE_MISMATCH({ field: 'type', type, derived: 'NATURAL_PERSON' });
    type = 'NATURAL_PERSON';
    idCipher = crypto.encrypt(r.normalized);
    const blinds = citizenBlindIndexes(crypto, r.normalized);
    idBlind = blinds[0] ?? null;
    olderBlinds = blinds.slice(1);
    idMasked = maskCitizenId(r.normalized);
  }
  if (input.orgCode && !orgCode) {
    const r = validateOrgCode(input.orgCode, { knownExceptions: overrides });
    if (!r.valid) throw idError('org_code', r, 'orgCode');
    orgCode = r.normalized;
  }
  if (input.regNo) {
    const r = validateGs15(input.regNo);
    if (!r.valid) throw idError('gs15', r, 'regNo');
    regNo = r.normalized;
  }
  if (!uscc && !idBlind) throw SubjectErrors.IDENTIFIER_REQUIRED({ field: 'uscc' });
  if (!type) throw SubjectErrors.IDENTIFIER_REQUIRED({ field: 'type' });
  if (input.region && !isKnownDivision(input.region))
    throw SubjectErrors.INVALID_REGION({ field: 'region', region: input.region });

  // The unique index sees only the current key's value; during a blind-key rotation the person may
  // still be stored under an old key's.
  if (olderBlinds.length && (await subjectsRepo.byBlindIndex(ctx.db, olderBlinds)))
    throw SubjectErrors.SUBJECT_EXISTS({ field: 'citizenId', code: idMasked });
  const name = input.name.normalize('NFKC').trim();
  const row = await subjectsRepo.insert(ctx.db, {
    type,
    uscc,
    orgCode,
    regNo,
    name,
    region: input.region ?? null,
    legalRep: input.legalRep?.trim() || null,
    status: input.status ?? 'active',
    establishedOn: input.establishedOn ?? null,
    idCipher,
    idBlind,
    idBlindKey: idBlind ? Buffer.from(crypto.blindKeyId, 'hex') : null,
    idMasked,
    origin: input.origin,
    now: ctx.now,
  });
  if (!row)
    throw SubjectErrors.SUBJECT_EXISTS({ field: uscc ? 'uscc' : 'citizenId', code: uscc ?? idMasked });
  const subject = toSubject(row);
  await subjectsRepo.insertVersion(ctx.db, row.id, 1, versionData(subject), ctx.now);
  const formerNames: string[] = [];
  if (type !== 'NATURAL_PERSON') {
    const names: NameRow[] = [{ name, kind: 'current', ...pinyinKeys(name) }];
    for (const former of input.formerNames ?? []) {
      const f = former.normalize('NFKC').trim();
      if (f && f !== name) {
        names.push({ name: f, kind: 'former', ...pinyinKeys(f) });
        formerNames.push(f);
      }
    }
    await subjectsRepo.insertNames(ctx.db, row.id, names, ctx.now);
  }
  // An organisation's event lists the former names it was registered with (public, as its name),
  // so verify-log can check those rows too; a natural person has none.
  const payload = type === 'NATURAL_PERSON' ? subject : { ...subject, formerNames };
  await appendEvents(ctx, [
    { type: 'subject.created', entityType: 'subject', entityId: row.id, subjectId: row.id, payload },
  ]);
  return subject;
}

// Recorded checksum overrides: they change by an admin's rare decision; read at most every 30 s per
// process, and at once after an override added here has committed (its transaction reads its own).
const overrides = changeAwareCache((db) => subjectsRepo.overrides(db));
function overridesOf(ctx: Ctx): Promise<Set<string>> {
  return overrides.get(ctx.db);
}

function versionData(s: Subject): Record<string, unknown> {
  return { name: s.name, region: s.region, legalRep: s.legalRep, status: s.status, type: s.type };
}

export async function updateSubject(
  ctx: Ctx,
  id: number,
  patch: { name?: string; region?: string | null; legalRep?: string | null; status?: string; reason: string },
): Promise<Subject> {
  const current = await subjectsRepo.byId(ctx.db, id);
  if (!current) throw SubjectErrors.SUBJECT_NOT_FOUND({ code: id });
  if (patch.region && !isKnownDivision(patch.region))
    throw SubjectErrors.INVALID_REGION({ field: 'region', region: patch.region });
  const name = patch.name?.normalize('NFKC').trim() || current.name;
  const row = await subjectsRepo.update(ctx.db, id, {
    name,
    region: patch.region === undefined ? current.region : patch.region,
    legalRep: patch.legalRep === undefined ? current.legal_rep : patch.legalRep,
    status: patch.status ?? current.status,
    now: ctx.now,
  });
  if (!row) throw SubjectErrors.SUBJECT_NOT_FOUND({ code: id });
  const subject = toSubject(row);
  await subjectsRepo.insertVersion(ctx.db, id, row.version, versionData(subject), ctx.now);
  const renamed = name !== current.name;
  if (renamed && row.type !== 'NATURAL_PERSON') {
    await subjectsRepo.retireCurrentName(ctx.db, id, ctx.now);
    await subjectsRepo.insertNames(ctx.db, id, [{ name, kind: 'current', ...pinyinKeys(name) }], ctx.now);
  }
  await appendEvents(ctx, [
    {
      type: renamed ? 'subject.renamed' : 'subject.updated',
      entityType: 'subject',
      entityId: id,
      subjectId: id,
      payload: { ...subject, previousName: renamed ? current.name : undefined, reason: patch.reason },
    },
  ]);
  return subject;
}

export async function getSubject(ctx: Ctx, id: number): Promise<Subject> {
  const row = await subjectsRepo.byId(ctx.db, id);
  if (!row) throw SubjectErrors.SUBJECT_NOT_FOUND({ code: id });
  return toSubject(row);
}

/**
 * Finds a subject by any exact identifier: USCC, citizen ID (through the blind index),
 * organisation code, legacy registration number, or the platform's own `S<id>` reference.
 */
export async function findByIdentifier(ctx: Ctx, crypto: FieldCrypto, code: string): Promise<Subject | null> {
  const ref = /^S(\d{1,15})$/.exec(code.trim());
  if (ref) {
    const row = await subjectsRepo.byId(ctx.db, Number(ref[1]));
    return row ? toSubject(row) : null;
  }
  const overrides = await overridesOf(ctx);
  const r = checkId(code, { knownExceptions: overrides });
  if (!r.valid) return null;
  let row: SubjectRow | undefined;
  switch (r.kind) {
    case 'uscc':
      row = await subjectsRepo.byUscc(ctx.db, r.normalized);
      // Some real USCCs are all digits and also pass as citizen IDs; try the other reading.
      if (!row && r.alsoValidAs === 'citizen_id')
        row = await subjectsRepo.byBlindIndex(ctx.db, citizenBlindIndexes(crypto, r.normalized));
      break;
    case 'citizen_id':
      row = await subjectsRepo.byBlindIndex(ctx.db, citizenBlindIndexes(crypto, r.normalized));
      if (!row && r.alsoValidAs === 'uscc') row = await subjectsRepo.byUscc(ctx.db, r.normalized);
      break;
    case 'org_code':
      row = await subjectsRepo.byOrgCode(ctx.db, r.normalized);
      break;
    case 'gs15':
      row = await subjectsRepo.byRegNo(ctx.db, r.normalized);
      break;
  }
  return row ? toSubject(row) : null;
}

/**
 * Resolves many USCCs and citizen IDs in two indexed queries (bulk submissions). The map is keyed
 * by the code exactly as given; codes that are invalid or unknown are absent.
 */
export async function findManyByCodes(
  ctx: Ctx,
  crypto: FieldCrypto,
  codes: readonly string[],
): Promise<Map<string, Subject>> {
  const usccs = new Map<string, string[]>();
  const blinds = new Map<string, string[]>();
  for (const code of new Set(codes)) {
    const r = checkId(code);
    if (!r.valid) continue;
    if (r.kind === 'uscc' || r.alsoValidAs === 'uscc')
      usccs.set(r.normalized, [...(usccs.get(r.normalized) ?? []), code]);
    if (r.kind === 'citizen_id' || r.alsoValidAs === 'citizen_id')
      for (const blind of citizenBlindIndexes(crypto, r.normalized)) {
        const b = blind.toString('hex');
        blinds.set(b, [...(blinds.get(b) ?? []), code]);
      }
  }
  const out = new Map<string, Subject>();
  for (const row of await subjectsRepo.byUsccs(ctx.db, [...usccs.keys()]))
    for (const code of usccs.get(row.uscc as string) ?? []) out.set(code, toSubject(row));
  const byBlind = await subjectsRepo.byBlindIndexes(
    ctx.db,
    [...blinds.keys()].map((h) => Buffer.from(h, 'hex')),
  );
  for (const row of byBlind)
    for (const code of blinds.get(row.id_blind.toString('hex')) ?? []) out.set(code, toSubject(row));
  return out;
}

/**
 * The normalised USCC when a profile of `code` at `at` can take the one-statement path (a valid
 * USCC, "as of now"); null otherwise. The statement reads `subject_card(uscc, at)` (migration 0021).
 */
export async function profileUscc(ctx: Ctx, code: string, at: Date): Promise<string | null> {
  if (at.getTime() < ctx.now.getTime()) return null;
  const r = checkId(code, { knownExceptions: await overridesOf(ctx) });
  return r.valid && r.kind === 'uscc' ? r.normalized : null;
}

/**
 * The subject a public profile shows at `at` and its former names then, by any identifier. (A USCC
 * "as of now" is read together with its records by the records module, through `subject_card`.)
 */
export async function findForProfile(
  ctx: Ctx,
  crypto: FieldCrypto,
  code: string,
  at: Date,
): Promise<{ subject: Subject; formerNames: string[] } | null> {
  const found = await findByIdentifier(ctx, crypto, code);
  const subject = found ? await subjectAsOf(ctx, found, at) : null;
  if (!subject) return null;
  const formerNames = subject.type === 'NATURAL_PERSON' ? [] : await formerNamesAsOf(ctx, subject.id, at);
  return { subject, formerNames };
}

/** The subject as the platform held it at `at` (name, region, status of that time). */
export async function subjectAsOf(ctx: Ctx, subject: Subject, at: Date): Promise<Subject | null> {
  if (new Date(subject.createdAt) > at) return null;
  // The registry row is the latest version: no history read for "now".
  if (at.getTime() >= ctx.now.getTime()) return subject;
  const v = await subjectsRepo.versionAt(ctx.db, subject.id, at);
  if (!v) return null;
  const d = v.data as { name: string; region: string | null; legalRep: string | null; status: string };
  return { ...subject, name: d.name, region: d.region, legalRep: d.legalRep, status: d.status };
}

export async function formerNamesAsOf(ctx: Ctx, id: number, at: Date): Promise<string[]> {
  return subjectsRepo.formerNames(ctx.db, id, at);
}

export interface SearchQuery {
  q: string;
  at: Date;
  types?: SubjectType[];
  region?: string;
  /** Catalogue category code: only subjects with a record of it disclosed at `at`. */
  category?: string;
  limit: number;
  offset: number;
}

export interface SearchResult {
  items: Array<{
    ref: string;
    type: SubjectType;
    typeLabel: { zh: string; en: string };
    uscc: string | null;
    name: string;
    matchedName: string;
    region: string | null;
    status: string;
  }>;
  more: boolean;
  match: 'identifier' | 'name' | 'pinyin';
}

/**
 * Public search. An exact identifier finds any subject (natural persons only this way); otherwise
 * organisation names by substring (≥ 2 Chinese characters), full pinyin or pinyin initials.
 */
// Planner statistics of the name-gram table, refreshed every ten minutes (ANALYZE runs by itself).
let gramStats: { at: number; value: Promise<Map<string, number>> } | null = null;
function gramFrequencies(ctx: Ctx): Promise<Map<string, number>> {
  const t = Date.now();
  if (!gramStats || t - gramStats.at > 600_000) {
    const value = subjectsRepo.gramFrequencies(ctx.db).catch(() => new Map<string, number>());
    gramStats = { at: t, value };
  }
  return gramStats.value;
}

export async function searchSubjects(
  ctx: Ctx,
  crypto: FieldCrypto,
  query: SearchQuery,
): Promise<SearchResult> {
  const trimmed = query.q.trim();
  const category = query.category ?? null;
  if (category && !(await subjectsRepo.categoryExists(ctx.db, category)))
    throw SubjectErrors.UNKNOWN_CATEGORY({ field: 'category', category });
  const historic = query.at.getTime() < ctx.now.getTime() - 1000;
  const day = civilDate(query.at);
  const idCheck = checkId(trimmed);
  if (idCheck.valid || /^S\d{1,15}$/.test(trimmed)) {
    const found = await findByIdentifier(ctx, crypto, trimmed);
    let visible =
      found && new Date(found.createdAt) <= query.at ? await subjectAsOf(ctx, found, query.at) : null;
    if (
      visible &&
      category &&
      !(await subjectsRepo.hasDisclosedInCategory(ctx.db, {
        subjectId: visible.id,
        category,
        day,
        at: query.at,
        historic,
      }))
    )
      visible = null;
    return {
      items: visible
        ? [
            {
              ref: `S${visible.id}`,
              type: visible.type,
              typeLabel: SUBJECT_TYPE_LABELS[visible.type],
              uscc: visible.uscc,
              name: visible.name,
              matchedName: visible.name,
              region: visible.region,
              status: visible.status,
            },
          ]
        : [],
      more: false,
      match: 'identifier',
    };
  }
  const shape = queryShape(trimmed);
  if (shape.kind === 'empty') throw SubjectErrors.QUERY_TOO_SHORT({ field: 'q' });
  if (shape.kind === 'name' ? shape.chars < 2 : shape.term.length < 2)
    throw SubjectErrors.QUERY_TOO_SHORT({ field: 'q' });
  const term = shape.term;
  if (query.region && !isKnownDivision(query.region))
    throw SubjectErrors.INVALID_REGION({ field: 'region', region: query.region });
  const regionPrefix = query.region ? query.region.replace(/(00)+$/, '') : null;
  const filters = {
    at: query.at,
    types: query.types?.length ? query.types : null,
    regionPrefix,
    category,
    day,
    historic,
    limit: query.limit,
    offset: query.offset,
  };
  let found: { hits: SearchHit[]; more: boolean };
  if (shape.kind === 'name') {
    const freq = await gramFrequencies(ctx);
    const sources = gramSources(term, (g) => freq.get(g) ?? 0);
    found = await subjectsRepo.searchTopK(ctx.db, {
      term,
      prefixGram: sources.prefix,
      innerGram: sources.inner,
      ...filters,
    });
  } else {
    found = await subjectsRepo.searchPinyinTopK(ctx.db, { term, ...filters });
  }
  const { hits, more } = found;
  const items = [];
  for (const h of hits) {
    let name = h.name;
    if (historic) {
      const v = await subjectsRepo.versionAt(ctx.db, h.id, query.at);
      name = (v?.data.name as string | undefined) ?? name;
    }
    items.push({
      ref: `S${h.id}`,
      type: h.type,
      typeLabel: SUBJECT_TYPE_LABELS[h.type],
      uscc: h.uscc,
      name,
      matchedName: h.matched_name,
      region: h.region,
      status: h.status,
    });
  }
  return { items, more, match: shape.kind === 'name' ? 'name' : 'pinyin' };
}

export async function addIdentifierOverride(
  ctx: Ctx,
  input: { code: string; kind: IdKind; reason: string },
): Promise<{ code: string; created: boolean }> {
  const code = input.code.trim().toUpperCase();
  const created = await subjectsRepo.addOverride(ctx.db, {
    code,
    kind: input.kind,
    reason: input.reason,
    by: actorLabel(ctx.actor),
    now: ctx.now,
  });
  overrides.changed(ctx.db);
  if (created)
    await appendEvents(ctx, [
      { type: 'identifier.override_added', entityType: 'identifier', entityId: code, payload: input },
    ]);
  return { code, created };
}

/**
 * A reviewer's read of a natural person's full ID number: decrypted only here, with a stated purpose,
 * and written to the event log (the person can see who read it).
 */
export async function revealIdentifier(
  ctx: Ctx,
  crypto: FieldCrypto,
  id: number,
  purpose: string,
): Promise<string> {
  const cipher = await subjectsRepo.identifierCipher(ctx.db, id);
  if (!cipher) throw SubjectErrors.SUBJECT_NOT_FOUND({ code: `S${id}` });
  const value = crypto.decrypt(cipher);
  await appendEvents(ctx, [
    {
      type: 'subject.identifier_read',
      entityType: 'subject',
      entityId: id,
      subjectId: id,
      payload: { purpose, field: 'citizenId' },
    },
  ]);
  return value;
}
