/**
 * Shapes of the API responses the web app reads. They mirror the TypeBox schemas of the server
 * modules (src/server/modules/*\/*.schemas.ts); the server's OpenAPI at /api/openapi.json is the
 * contract. Only what the pages use is typed. types.contract.test.ts holds the main ones to the
 * server's schemas at type-check time.
 */
import type { SubjectType } from '../../domain/subject-types';

export interface Bilingual {
  zh: string;
  en: string;
}

export interface SubjectHit {
  ref: string;
  type: SubjectType;
  typeLabel: Bilingual;
  uscc: string | null;
  name: string;
  matchedName: string;
  region: string | null;
  status: string;
}

export interface SearchResult {
  items: SubjectHit[];
  more: boolean;
  match: 'identifier' | 'name' | 'pinyin';
  at: string;
}

export interface PublicStats {
  subjects: number;
  disclosedRecords: number;
  departments: number;
  updatedAt: string | null;
}

export interface LegalBasisEntry {
  instrument: string;
  article?: string;
  rank?: string;
  note?: string;
}

export interface PublicField {
  key: string;
  label: string;
  /** English title from the record's own item version, when the catalogue has one. */
  labelEn?: string;
  value: unknown;
}

export interface PublicRecord {
  id: number;
  item: { code: string; version: number; nameZh: string; nameEn: string };
  docNo: string;
  decisionDate: string;
  severity: string | null;
  disclosedFrom: string;
  disclosedUntil: string | null;
  /** The providing department; `nameEn` is its English name, null when it has none. */
  provider: { name: string; nameEn: string | null; uscc: string } | null;
  legalBasis: unknown;
  fields: PublicField[];
  version: number;
  /** Under objection review: shown as 有异议/核查中. */
  disputed?: boolean;
}

export interface ProfileCategory {
  code: string;
  nameZh: string;
  nameEn: string;
  count: number;
  records: PublicRecord[];
}

/** A catalogue item version as the profile API names it once (wire format). */
export interface ProfileItem {
  code: string;
  version: number;
  nameZh: string;
  nameEn: string;
  legalBasis: unknown;
  fields: { key: string; label: string; labelEn?: string }[];
}

/** A record as the profile API sends it: its item by code and version, its field values only. */
export interface WireRecord extends Omit<PublicRecord, 'item' | 'legalBasis' | 'fields'> {
  item: { code: string; version: number };
  fields: { key: string; value: unknown }[];
}

/** `GET /api/v1/public/subjects/{code}` as sent; `expandProfile` turns it into a PublicProfile. */
export interface WireProfile extends Omit<PublicProfile, 'categories'> {
  categories: (Omit<ProfileCategory, 'records'> & { records: WireRecord[] })[];
  items: ProfileItem[];
}

/** A profile with every record carrying its item's names, legal basis and field titles. */
export interface PublicProfile {
  at: string;
  subject: {
    ref: string;
    type: string;
    typeLabel: Bilingual;
    name: string;
    formerNames: string[];
    uscc: string | null;
    orgCode: string | null;
    idMasked: string | null;
    region: string | null;
    regionName: string | null;
    legalRep: string | null;
    status: string;
    establishedOn: string | null;
  };
  categories: ProfileCategory[];
  total: number;
}

/** One row of the 双公示 search (GET /api/v1/public/records). */
export interface DisclosedRecord {
  id: number;
  subject: { ref: string; name: string; uscc: string | null; type: string };
  item: { code: string; nameZh: string; nameEn: string };
  docNo: string;
  decisionDate: string;
  severity: string | null;
  provider: { id: number; name: string; nameEn: string | null } | null;
  fields: PublicField[];
  disclosedUntil: string | null;
}

export interface Page<T> {
  items: T[];
  more: boolean;
}

export interface Category {
  code: string;
  nameZh: string;
  nameEn: string;
  sort?: number;
  descriptionZh?: string;
  descriptionEn?: string;
}

export type Visibility = 'public' | 'shared' | 'internal';

/** A row of GET /api/v1/catalog/items. */
export interface CatalogItemSummary {
  code: string;
  nameZh: string;
  nameEn: string;
  categoryCode: string;
  currentVersion: number;
  status: string;
  legalBasis: LegalBasisEntry[];
  subjectTypes: string[];
  severityRule: string;
  periodRule: { kind: string; months?: number; field?: string };
  fieldCount: number;
  updatedAt: string;
}

/** A catalogue item (its current or a given version). */
export interface CatalogItem {
  code: string;
  version: number;
  currentVersion: number;
  status: string;
  nameZh: string;
  nameEn: string;
  categoryCode: string;
  legalBasis: LegalBasisEntry[];
  subjectTypes: string[];
  payloadSchema: { type?: string; properties?: Record<string, JsonProp>; required?: string[] } & Record<
    string,
    unknown
  >;
  fieldVisibility: Record<string, Visibility>;
  severityRule: { kind: string; field?: string; map?: Record<string, string>; default?: string | null };
  periodRule: { kind: string; months?: number; field?: string };
  keyFields: Record<string, string>;
  aliases?: Record<string, string>;
  layoutVariants?: Record<string, Record<string, string>>;
  createdAt: string;
  createdBy?: string;
}

export interface JsonProp {
  type?: string | string[];
  title?: string;
  description?: string;
  format?: string;
  enum?: unknown[];
  maxLength?: number;
  'x-sensitive'?: boolean;
  'x-code'?: string;
  'x-aliases'?: string[];
  /** English title of the field (seeded items carry one for every field). */
  'x-title-en'?: string;
  [keyword: string]: unknown;
}

export interface Department {
  id: number;
  uscc: string;
  name: string;
  nameEn: string | null;
  region: string;
  status: string;
}

export type Role = 'platform_admin' | 'dept_officer' | 'dept_reviewer' | 'auditor' | 'subject';

export interface User {
  id: number;
  username: string;
  displayName: string;
  departmentId: number | null;
  subjectId?: number | null;
  roles: Role[];
  status: string;
}

export interface Me {
  user: User;
  csrfToken: string;
  department: Department | null;
}

export interface ApiKeyInfo {
  id: number;
  departmentId: number;
  name: string;
  prefix: string;
  scopes: string[];
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
  /** The successor issued by a rotation (this key then works until its expiry, the grace period). */
  replacedBy?: number | null;
}

export interface RecordHead {
  id: number;
  subjectId: number;
  itemCode: string;
  itemVersion: number;
  categoryCode: string;
  departmentId: number;
  docNo: string;
  decisionDate: string;
  severity: string | null;
  payload: Record<string, unknown>;
  windowFrom: string;
  windowUntil: string | null;
  version: number;
  stopKind: string | null;
  stoppedAt: string | null;
  disclosedNow: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface RecordDetail {
  record: RecordHead;
  versions: Record<string, unknown>[];
  stops: Record<string, unknown>[];
}

export interface AuditEvent {
  seq: number;
  at: string;
  actorKind: string;
  actorId: string | null;
  type: string;
  subjectId: number | null;
  entityType: string | null;
  entityId: string | null;
  requestId: string | null;
  payload: unknown;
}

export interface BatchCounts {
  accepted: number;
  updated: number;
  unchanged: number;
  rejected: number;
}

export interface BatchRowError {
  row?: number;
  field?: string;
  code?: string;
  message?: Bilingual | { 'zh-CN': string; en: string } | string;
}

export interface Batch {
  id: string | number;
  status: 'processing' | 'done' | 'failed';
  counts: BatchCounts;
  progress?: { rows: number; total?: number | null };
  errors?: BatchRowError[];
  itemCode?: string;
  fileName?: string;
  createdAt?: string;
  error?: { code?: string; message?: string; messages?: { 'zh-CN': string; en: string } };
}

/** `GET /api/v1/public/departments`: providing departments, their items and disclosed counts. */
export interface PublicDepartment {
  id: number;
  name: string;
  nameEn: string | null;
  uscc: string;
  region: string;
  disclosedRecords: number;
  items: {
    code: string;
    nameZh: string;
    nameEn: string;
    categoryCode: string;
    provider: boolean;
    disclosedRecords: number;
  }[];
}

export interface PublicDepartments {
  at: string;
  departments: PublicDepartment[];
}
