import { createHash } from 'node:crypto';
import Ajv2020 from 'ajv/dist/2020.js';
import type { ErrorObject, ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { canonicalJson } from '../../../domain/canonical-json';
import { fieldLabel, type JsonSchema } from '../../../domain/catalog';
import type { Bilingual } from '../../../domain/i18n';

/**
 * Payload validation against a catalogue item's JSON Schema (draft 2020-12) with Ajv. Each
 * validator is compiled once per distinct schema (by content hash) and kept; every error names the field and
 * says what is wrong in both languages, using the field's Chinese title.
 */
export interface PayloadError {
  field: string;
  code: string;
  message: Bilingual;
}

export type PayloadResult =
  { ok: true; value: Record<string, unknown> } | { ok: false; errors: PayloadError[] };

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Every `x-…` annotation used in a schema, so strict mode accepts them as keywords. */
function annotations(schema: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(schema)) for (const s of schema) annotations(s, out);
  else if (isObject(schema))
    for (const [k, v] of Object.entries(schema)) {
      if (k.startsWith('x-')) out.add(k);
      else annotations(v, out);
    }
  return out;
}

/**
 * A fresh Ajv per schema keeps versions apart (no shared `$id` registry). Strict mode rejects
 * unknown keywords and misplaced ones; `x-…` annotations are declared as keywords without effect.
 */
export function compilePayloadSchema(schema: JsonSchema): ValidateFunction {
  const ajv = new Ajv2020({
    allErrors: true,
    verbose: true,
    strict: true,
    strictTypes: false,
    strictRequired: false,
    allowUnionTypes: true,
  });
  addFormats(ajv);
  ajv.addVocabulary([...annotations(schema)]);
  return ajv.compile(schema);
}

/** SHA-256 of the schema's canonical JSON: equal schemas share one compiled validator. */
export function schemaHash(schema: JsonSchema): string {
  return createHash('sha256').update(canonicalJson(schema)).digest('hex');
}

const MAX_CACHED = 500;
const cache = new Map<string, ValidateFunction>();

/** The compiled validator of a schema, compiled once per process (~30 ms each). */
export function compiledValidator(schema: JsonSchema, hash = schemaHash(schema)): ValidateFunction {
  let v = cache.get(hash);
  if (!v) {
    v = compilePayloadSchema(schema);
    if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value as string);
    cache.set(hash, v);
  }
  return v;
}

/** The reason a schema does not compile, or null when it does (the validator is then kept). */
export function schemaCompileError(schema: JsonSchema): string | null {
  try {
    compiledValidator(schema);
    return null;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

export function validateAgainst(schema: JsonSchema, payload: unknown, hash?: string): PayloadResult {
  if (!isObject(payload))
    return {
      ok: false,
      errors: [
        {
          field: '',
          code: 'PAYLOAD_NOT_OBJECT',
          message: {
            zh: '数据须为一个对象（字段: 值）',
            en: 'The payload must be an object of field: value',
          },
        },
      ],
    };
  const validate = compiledValidator(schema, hash);
  if (!validate(payload)) return { ok: false, errors: describeErrors(schema, validate.errors ?? []) };
  const unstorable = unstorableFields(schema, payload);
  return unstorable.length ? { ok: false, errors: unstorable } : { ok: true, value: payload };
}

/** Text PostgreSQL cannot store (text and jsonb alike): a NUL character or half a surrogate pair. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const storable = (text: string): boolean => !text.includes('\u0000') && !LONE_SURROGATE.test(text);

function holdsUnstorable(v: unknown): boolean {
  if (typeof v === 'string') return !storable(v);
  if (Array.isArray(v)) return v.some(holdsUnstorable);
  if (isObject(v)) return Object.entries(v).some(([k, x]) => !storable(k) || holdsUnstorable(x));
  return false;
}

/**
 * Fields whose text the database would refuse. Without this check such a value reached the INSERT:
 * the whole request failed with a generic error naming no field, and inside a batch the aborted
 * transaction took every other row down with it.
 */
function unstorableFields(schema: JsonSchema, payload: Record<string, unknown>): PayloadError[] {
  const out: PayloadError[] = [];
  for (const [field, value] of Object.entries(payload)) {
    if (storable(field) && !holdsUnstorable(value)) continue;
    const label = storable(field) ? fieldLabel(schema, field) : { zh: '字段名', en: 'A field name' };
    out.push({
      field: storable(field) ? field : '',
      code: 'FIELD_UNSTORABLE_CHARACTER',
      message: {
        zh: `${label.zh}含有无法保存的字符（空字符 U+0000 或不成对的代理字符），请删除后重新提交`,
        en: `${label.en} holds a character that cannot be stored (a NUL character U+0000 or an unpaired surrogate); remove it and submit again`,
      },
    });
  }
  return out;
}

// ---- error text ----

const TYPE_NAMES: Record<string, Bilingual> = {
  string: { zh: '文本', en: 'text' },
  number: { zh: '数字', en: 'a number' },
  integer: { zh: '整数', en: 'an integer' },
  boolean: { zh: '是/否', en: 'true/false' },
  array: { zh: '列表', en: 'a list' },
  object: { zh: '对象', en: 'an object' },
  null: { zh: '空值', en: 'null' },
};

const FORMAT_NAMES: Record<string, Bilingual> = {
  date: { zh: '日期 YYYY-MM-DD', en: 'a date YYYY-MM-DD' },
  'date-time': { zh: '时间 YYYY-MM-DDTHH:mm:ssZ', en: 'a date-time (ISO 8601)' },
  email: { zh: '电子邮箱', en: 'an e-mail address' },
  uri: { zh: '网址', en: 'a URI' },
};

function at(root: unknown, pointer: string): unknown {
  let node: unknown = root;
  for (const raw of pointer.replace(/^#\/?/, '').split('/').filter(Boolean)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(node)) node = node[Number(key)];
    else if (isObject(node)) node = node[key];
    else return undefined;
  }
  return node;
}

function pathOf(instancePath: string, extra?: string): string[] {
  const parts = instancePath
    .split('/')
    .filter(Boolean)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (extra) parts.push(extra);
  return parts;
}

function hintOf(e: ErrorObject, schema: JsonSchema, top: string): Bilingual | null {
  const candidates = [e.parentSchema, isObject(schema.properties) ? schema.properties[top] : undefined];
  for (const c of candidates) {
    const h = isObject(c) ? c['x-hint'] : undefined;
    if (isObject(h) && typeof h.zh === 'string' && typeof h.en === 'string') return { zh: h.zh, en: h.en };
  }
  return null;
}

const quote = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));

/** "when 行政相对人类别 is 法人及非法人组织" for a required error raised under an `if`/`then`. */
function conditionOf(schema: JsonSchema, schemaPath: string): Bilingual | null {
  const m = /^(.*)\/then\//.exec(schemaPath);
  if (!m) return null;
  const cond = at(schema, `${m[1]}/if`);
  if (!isObject(cond) || !isObject(cond.properties)) return null;
  const parts: Bilingual[] = [];
  for (const [key, c] of Object.entries(cond.properties)) {
    if (!isObject(c)) continue;
    const label = fieldLabel(schema, key);
    const values = c.const !== undefined ? [c.const] : Array.isArray(c.enum) ? c.enum : null;
    const contained = isObject(c.contains)
      ? c.contains.const !== undefined
        ? [c.contains.const]
        : c.contains.enum
      : null;
    if (values)
      parts.push({
        zh: `${label.zh}为“${values.map(quote).join('”或“')}”`,
        en: `${label.en} is "${values.map(quote).join('" or "')}"`,
      });
    else if (Array.isArray(contained))
      parts.push({
        zh: `${label.zh}含“${contained.map(quote).join('”或“')}”`,
        en: `${label.en} includes "${contained.map(quote).join('" or "')}"`,
      });
  }
  if (parts.length === 0) return null;
  return {
    zh: `（${parts.map((p) => p.zh).join('且')}时必填）`,
    en: ` (required when ${parts.map((p) => p.en).join(' and ')})`,
  };
}

function describe(e: ErrorObject, schema: JsonSchema): PayloadError {
  const params = e.params as Record<string, unknown>;
  const extra =
    e.keyword === 'required' || e.keyword === 'dependentRequired'
      ? String(params.missingProperty ?? '')
      : e.keyword === 'additionalProperties'
        ? String(params.additionalProperty ?? '')
        : undefined;
  const parts = pathOf(e.instancePath, extra);
  const top = parts[0] ?? '';
  const field = parts.join('.');
  const label = top ? fieldLabel(schema, top) : { zh: '数据', en: 'the payload' };
  const where =
    parts.length > 1
      ? {
          zh: `${label.zh}第 ${parts.slice(1).join('.')} 项`,
          en: `${label.en} [${parts.slice(1).join('.')}]`,
        }
      : label;
  const hint = hintOf(e, schema, top);
  const withHint = (b: Bilingual): Bilingual =>
    hint ? { zh: `${b.zh}：${hint.zh}`, en: `${b.en}: ${hint.en}` } : b;
  const err = (code: string, message: Bilingual): PayloadError => ({ field, code, message });

  switch (e.keyword) {
    case 'required': {
      const cond = conditionOf(schema, e.schemaPath) ?? { zh: '', en: '' };
      return err('FIELD_REQUIRED', {
        zh: `缺少必填字段${label.zh}${cond.zh}`,
        en: `Missing required field ${label.en}${cond.en}`,
      });
    }
    case 'dependentRequired': {
      const other = fieldLabel(schema, String(params.property ?? ''));
      return err('FIELD_REQUIRED', {
        zh: `填写了${other.zh}时，${label.zh}必填`,
        en: `${label.en} is required when ${other.en} is given`,
      });
    }
    case 'additionalProperties':
      return err('FIELD_UNKNOWN', {
        zh: `字段 ${field} 不属于该目录事项，目录之外的信息不得归集`,
        en: `Field ${field} is not part of this catalogue item; nothing outside the catalogue may be collected`,
      });
    case 'format': {
      const f = String(params.format ?? '');
      const name = FORMAT_NAMES[f] ?? { zh: f, en: f };
      return err('FIELD_FORMAT', {
        zh: `${where.zh}格式不正确，应为${name.zh}（收到“${quote(e.data)}”）`,
        en: `${where.en} has the wrong format; expected ${name.en} (got "${quote(e.data)}")`,
      });
    }
    case 'pattern':
      return err(
        'FIELD_PATTERN',
        withHint({
          zh: `${where.zh}格式不正确（收到“${quote(e.data)}”）`,
          en: `${where.en} has the wrong format (got "${quote(e.data)}")`,
        }),
      );
    case 'enum':
    case 'const': {
      const allowed = (
        Array.isArray(params.allowedValues) ? params.allowedValues : [params.allowedValue]
      ).map(quote);
      return err('FIELD_ENUM', {
        zh: `${where.zh}的取值“${quote(e.data)}”不在允许范围内（${allowed.join('、')}）`,
        en: `${where.en} has the value "${quote(e.data)}", which is not allowed (allowed: ${allowed.join(', ')})`,
      });
    }
    case 'type': {
      const types = String(params.type ?? '').split(',');
      const names = types.map((t) => TYPE_NAMES[t] ?? { zh: t, en: t });
      return err(
        'FIELD_TYPE',
        withHint({
          zh: `${where.zh}类型错误，应为${names.map((n) => n.zh).join('或')}`,
          en: `${where.en} has the wrong type; expected ${names.map((n) => n.en).join(' or ')}`,
        }),
      );
    }
    case 'minLength':
      return Number(params.limit) <= 1
        ? err('FIELD_REQUIRED', { zh: `${where.zh}不能为空`, en: `${where.en} must not be empty` })
        : err('FIELD_TOO_SHORT', {
            zh: `${where.zh}至少 ${String(params.limit)} 个字符`,
            en: `${where.en} needs at least ${String(params.limit)} characters`,
          });
    case 'maxLength':
      return err('FIELD_TOO_LONG', {
        zh: `${where.zh}超过 ${String(params.limit)} 个字符`,
        en: `${where.en} exceeds ${String(params.limit)} characters`,
      });
    case 'minItems':
      return err('FIELD_REQUIRED', {
        zh: `${where.zh}至少填写 ${String(params.limit)} 项`,
        en: `${where.en} needs at least ${String(params.limit)} value(s)`,
      });
    case 'maxItems':
      return err('FIELD_TOO_LONG', {
        zh: `${where.zh}最多 ${String(params.limit)} 项`,
        en: `${where.en} allows at most ${String(params.limit)} values`,
      });
    case 'uniqueItems':
      return err('FIELD_DUPLICATE', { zh: `${where.zh}含重复的取值`, en: `${where.en} repeats a value` });
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum': {
      const op = {
        minimum: ['不小于', 'at least'],
        maximum: ['不大于', 'at most'],
        exclusiveMinimum: ['大于', 'more than'],
        exclusiveMaximum: ['小于', 'less than'],
      }[e.keyword] as [string, string];
      return err(
        'FIELD_RANGE',
        withHint({
          zh: `${where.zh}须${op[0]} ${String(params.limit)}`,
          en: `${where.en} must be ${op[1]} ${String(params.limit)}`,
        }),
      );
    }
    default:
      return err('FIELD_INVALID', {
        zh: `${where.zh}不合法（${e.message ?? e.keyword}）`,
        en: `${where.en} is invalid (${e.message ?? e.keyword})`,
      });
  }
}

/** One message for an `anyOf` of alternatives, e.g. "统一社会信用代码, or 证件类型 + 证件号码". */
function describeAlternatives(e: ErrorObject, schema: JsonSchema): PayloadError {
  const branches = at(schema, e.schemaPath);
  const options: { keys: string[]; zh: string; en: string }[] = [];
  if (Array.isArray(branches))
    for (const b of branches) {
      if (!isObject(b) || !Array.isArray(b.required)) continue;
      const keys = b.required.map(String);
      options.push({
        keys,
        zh: keys.map((k) => fieldLabel(schema, k).zh).join(' + '),
        en: keys.map((k) => fieldLabel(schema, k).en).join(' + '),
      });
    }
  const cond = conditionOf(schema, e.schemaPath) ?? { zh: '', en: '' };
  const field = options[0]?.keys[0] ?? pathOf(e.instancePath).join('.');
  if (options.length === 0)
    return {
      field,
      code: 'FIELD_INVALID',
      message: {
        zh: `数据不符合任何一种允许的组合${cond.zh}`,
        en: `The payload matches none of the allowed combinations${cond.en}`,
      },
    };
  return {
    field,
    code: 'FIELD_ONE_OF_REQUIRED',
    message: {
      zh: `须填写以下之一：${options.map((o) => o.zh).join('；或 ')}${cond.zh}`,
      en: `Provide one of: ${options.map((o) => o.en).join('; or ')}${cond.en}`,
    },
  };
}

function describeErrors(schema: JsonSchema, errors: readonly ErrorObject[]): PayloadError[] {
  const groups = errors
    .filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf')
    .map((e) => e.schemaPath);
  const out: PayloadError[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    if (e.keyword === 'if') continue; // its `then` errors say what is missing
    if (groups.some((g) => e.schemaPath.startsWith(`${g}/`))) continue; // summarised by the group
    const d =
      e.keyword === 'anyOf' || e.keyword === 'oneOf' ? describeAlternatives(e, schema) : describe(e, schema);
    const key = `${d.field}\u0000${d.code}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(d);
  }
  return out;
}
