import { validateCitizenId, validateUscc } from '../../../domain/identifiers';
import type { Bilingual } from '../../../domain/i18n';
import { computeWindow, DEFAULT_PERIOD_POLICY, type Severity } from '../../../domain/periods';
import type { SubjectType } from '../../../domain/subject-types';
import { sha256Hex, type FieldCrypto } from '../../platform/crypto';
import type { NewEvent } from '../../platform/events';
import { schemaProperties } from '../../../domain/catalog';
import { resolveSeverity, USCC_PATTERN, validatePayload, type ItemVersion } from '../catalog';
import type { NewRecordRow, RecordHeadRow } from './records.repository';

/*
 * The rules of one record that need neither its subject nor what is stored: catalogue schema,
 * dates, severity, disclosure window, and the stored form of the payload. Pure.
 */

export interface RecordInput {
  itemCode: string;
  /** Field values keyed by the item's field codes (e.g. CF_WSH). */
  payload: Record<string, unknown>;
  /** Declared severity; required by items whose severity rule is `declared`. */
  severity?: Severity | null;
}

export interface FieldError {
  field: string;
  code: string;
  message: Bilingual;
}

export type RowOutcome =
  | {
      outcome: 'created' | 'updated' | 'unchanged';
      recordId: number;
      subjectId: number;
      version: number;
      /** The subject was unknown and registered by this submission (origin 'collection'). */
      subjectRegistered?: boolean;
    }
  | { outcome: 'rejected'; errors: FieldError[]; cause?: unknown };

/** A row that passed every check that does not depend on the subject. */
export interface Checked {
  index: number;
  item: ItemVersion;
  docNo: string;
  subjectName: string;
  uscc: string;
  idNo: string;
  row: Omit<NewRecordRow, 'subjectId'>;
}

export function fieldErr(field: string, code: string, message: Bilingual): FieldError {
  return { field, code, message };
}

export function rejected(...errors: FieldError[]): RowOutcome {
  return { outcome: 'rejected', errors };
}

/** Values of x-sensitive fields are kept encrypted; subject identity fields live in the registry. */
export function storedPayload(
  item: ItemVersion,
  payload: Record<string, unknown>,
  crypto: FieldCrypto,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const props = (item.payloadSchema.properties ?? {}) as Record<string, { 'x-sensitive'?: boolean }>;
  const identity = item.keyFields.subjectIdNo;
  for (const [k, v] of Object.entries(payload)) {
    if (v === undefined || v === null || v === '') continue;
    if (k === identity) continue;
    if (props[k]?.['x-sensitive']) out[k] = { enc: crypto.encrypt(String(v)).toString('base64') };
    else out[k] = v;
  }
  return out;
}

/** Comparable form: ciphertexts differ on every write, so sensitive values compare by presence. */
export function comparable(payload: Record<string, unknown>): string {
  return JSON.stringify(
    Object.keys(payload)
      .sort()
      .map((k) => {
        const v = payload[k];
        return [k, v && typeof v === 'object' && 'enc' in v ? '<enc>' : v];
      }),
  );
}

/** PostgreSQL's jsonb key order: shorter keys first (in UTF-8 bytes), then byte by byte. */
function jsonbKeyOrder(a: string, b: string): number {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length - y.length || Buffer.compare(x, y);
}

/**
 * Objects' keys in jsonb order, remembered per key list: records of one item share a handful of
 * key lists, and sorting with UTF-8 buffers for every row cost ~5 % of an ingest (profiled).
 */
const keyOrders = new Map<string, readonly string[]>();
const MAX_KEY_ORDERS = 4096;

function inJsonbOrder(keys: string[]): readonly string[] {
  const id = keys.join('\u0000');
  let order = keyOrders.get(id);
  if (!order) {
    order = [...keys].sort(jsonbKeyOrder);
    if (keyOrders.size >= MAX_KEY_ORDERS) keyOrders.clear();
    keyOrders.set(id, order);
  }
  return order;
}

/** A JSON value rebuilt with every object's keys in jsonb order, as the driver reads it back. */
function asStored(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(asStored);
  if (v === null || typeof v !== 'object') return v;
  const o = v as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k of inJsonbOrder(Object.keys(o))) out[k] = asStored(o[k]);
  return out;
}

/**
 * The payload hash every record content event carries (recordEvent): SHA-256 of JSON.stringify of
 * the payload as stored in jsonb and read back by the driver, from the JSON text about to be
 * inserted — so verify-log can recompute it from the row (audit.state.rows.ts storedPayloadSha256).
 */
export function storedPayloadHash(jsonText: string): string {
  return sha256Hex(JSON.stringify(asStored(JSON.parse(jsonText))));
}

export function reject(err: unknown, field: string): RowOutcome {
  const e = err as { code?: string; text?: Bilingual; details?: { field?: string } };
  return {
    outcome: 'rejected',
    errors: [
      fieldErr(
        e.details?.field ?? field,
        e.code ?? 'INVALID',
        e.text ?? { zh: '记录无效', en: 'Invalid record' },
      ),
    ],
    cause: err,
  };
}

/** What a record content event says of the record (its head as stored). */
export type RecordContent = Pick<
  RecordHeadRow,
  | 'id'
  | 'subject_id'
  | 'department_id'
  | 'item_code'
  | 'item_version'
  | 'doc_no'
  | 'decision_date'
  | 'severity'
  | 'window_from'
  | 'window_until'
  | 'version'
  | 'stop_kind'
>;

/**
 * A record content event: the head and the SHA-256 of the stored payload — by default of the row's
 * payload as the driver read it; a record being created gives the hash of its payload's stored form
 * (storedPayloadHash), the row not being read back.
 */
export function recordEvent(
  type: string,
  r: RecordContent & { payload?: Record<string, unknown> },
  extra: Record<string, unknown>,
  payloadSha256: string = sha256Hex(JSON.stringify(r.payload)),
): NewEvent {
  return {
    type,
    entityType: 'record',
    entityId: r.id,
    subjectId: r.subject_id,
    payload: {
      id: r.id,
      subjectId: r.subject_id,
      departmentId: r.department_id,
      itemCode: r.item_code,
      itemVersion: r.item_version,
      docNo: r.doc_no,
      decisionDate: r.decision_date,
      severity: r.severity,
      windowFrom: r.window_from,
      windowUntil: r.window_until,
      version: r.version,
      stopKind: r.stop_kind,
      payloadSha256,
      ...extra,
    },
  };
}

/** The type a subject registered from this code would get, to check the item applies before registering. */
export function typeOfCode(uscc: string, idNo: string, today: string): SubjectType | null {
  if (uscc) {
    const r = validateUscc(uscc);
    return r.valid ? r.subjectType : null;
  }
  return validateCitizenId(idNo, { today }).valid ? 'NATURAL_PERSON' : null;
}

export function invalidCode(uscc: string, idNo: string, today: string): Bilingual | null {
  if (uscc) {
    const r = validateUscc(uscc);
    return r.valid
      ? null
      : { zh: `统一社会信用代码无效：${r.message.zh}`, en: `Invalid USCC: ${r.message.en}` };
  }
  const r = validateCitizenId(idNo, { today });
  return r.valid
    ? null
    : { zh: `身份证号码无效：${r.message.zh}`, en: `Invalid citizen ID number: ${r.message.en}` };
}

const usccFieldsOf = new WeakMap<ItemVersion, string[]>();

/** The item's fields that hold a USCC (the catalogue's `uscc()` fields, by their pattern). */
function usccFields(item: ItemVersion): string[] {
  let fields = usccFieldsOf.get(item);
  if (!fields) {
    fields = Object.entries(schemaProperties(item.payloadSchema))
      .filter(([, f]) => f.pattern === USCC_PATTERN)
      .map(([k]) => k);
    usccFieldsOf.set(item, fields);
  }
  return fields;
}

/** Schema, dates, severity and disclosure window: everything that does not need the subject. */
export function checkRow(
  item: ItemVersion,
  input: RecordInput,
  index: number,
  day: string,
  crypto: FieldCrypto,
): Checked | RowOutcome {
  const v = validatePayload(item, input.payload);
  if (!v.ok) return { outcome: 'rejected', errors: v.errors };
  const payload = v.value as Record<string, unknown>;
  const kf = item.keyFields;
  // Codes of others in the row (the deciding authority, the data source): the schema checks their
  // form, this their check character. The subject's own code is checked with the subject.
  for (const field of usccFields(item)) {
    const code = payload[field];
    if (typeof code !== 'string' || code === '' || field === kf.subjectUscc) continue;
    const r = validateUscc(code);
    if (!r.valid)
      return rejected(
        fieldErr(field, 'USCC_INVALID', {
          zh: `统一社会信用代码无效（${code}）：${r.message.zh}`,
          en: `Invalid USCC (${code}): ${r.message.en}`,
        }),
      );
  }
  const docNo = String(payload[kf.docNo] ?? '').trim();
  const decisionDate = String(payload[kf.decisionDate] ?? '');
  if (decisionDate > day)
    return rejected(
      fieldErr(kf.decisionDate, 'DATE_IN_FUTURE', {
        zh: `决定日期（${decisionDate}）晚于今天`,
        en: `The decision date (${decisionDate}) is in the future`,
      }),
    );
  let severity: Severity | null;
  try {
    severity = resolveSeverity(item, payload, input.severity ?? undefined);
  } catch (err) {
    return reject(err, 'severity');
  }
  const validityField =
    kf.validityEnd ?? (item.periodRule.kind === 'validity' ? item.periodRule.field : undefined);
  // Not before the decision date: checked with the payload (catalogue validatePayload, DATE_ORDER).
  const validityEnd = validityField ? (payload[validityField] as string | undefined) : undefined;
  let window;
  try {
    window = computeWindow(item.periodRule, {
      decisionDate,
      validityEnd,
      severity: severity ?? undefined,
      policy: DEFAULT_PERIOD_POLICY,
    });
  } catch (err) {
    return rejected(
      fieldErr(item.periodRule.kind === 'severity' ? 'severity' : kf.decisionDate, 'PERIOD_UNDEFINED', {
        zh: `无法计算公示期：${(err as Error).message}`,
        en: `The disclosure period cannot be computed: ${(err as Error).message}`,
      }),
    );
  }
  const uscc = kf.subjectUscc ? String(payload[kf.subjectUscc] ?? '').trim() : '';
  const idNo = kf.subjectIdNo ? String(payload[kf.subjectIdNo] ?? '').trim() : '';
  return {
    index,
    item,
    docNo,
    subjectName: String(payload[kf.subjectName] ?? '').trim(),
    uscc,
    idNo,
    row: {
      itemCode: item.code,
      itemVersion: item.version,
      categoryCode: item.categoryCode,
      docNo,
      decisionDate,
      severity,
      payload: JSON.stringify(storedPayload(item, payload, crypto)),
      windowFrom: window.from,
      windowUntil: window.until,
    },
  };
}
