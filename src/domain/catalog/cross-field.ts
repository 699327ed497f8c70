import type { Bilingual } from '../i18n';
import { fieldLabel, isObject, nonEmpty, schemaProperties, type AddProblem } from './definition';

/*
 * Rules between two fields of one record, declared on the catalogue item's payload schema as
 * annotations of the later field (JSON Schema cannot compare two values):
 *
 *   "x-not-before": "XK_JDRQ" | ["XK_JDRQ", "XK_YXQZ"]
 *       this date may not be earlier than the other date(s) when both are given
 *       (a validity end before the decision date, a 有效期至 before its 有效期自). DATE_ORDER.
 *   "x-org-code-of": "XK_XDR_SHXYM"
 *       this organisation code, when given with that USCC, must be the USCC's characters 9–17
 *       (GB 32100: the 主体标识码 is the organisation code). CODE_MISMATCH.
 *
 * Pure: checked after the schema, on values already in their stored form (dates YYYY-MM-DD).
 * Versions stored without the annotations are simply not checked for them.
 */

export const NOT_BEFORE = 'x-not-before';
export const ORG_CODE_OF = 'x-org-code-of';

export interface CrossFieldError {
  /** The field in error (the later date; the organisation code). */
  field: string;
  code: 'DATE_ORDER' | 'CODE_MISMATCH';
  /** The field it was compared with. */
  other: string;
  message: Bilingual;
}

interface CrossFieldRule {
  kind: 'notBefore' | 'orgCodeOf';
  field: string;
  other: string;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

function listOf(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  return [];
}

const rulesOf = new WeakMap<object, CrossFieldRule[]>();

/** The cross-field rules a payload schema declares, in schema order (cached per schema object). */
function crossFieldRules(schema: unknown): CrossFieldRule[] {
  if (!isObject(schema)) return [];
  let rules = rulesOf.get(schema);
  if (rules) return rules;
  rules = [];
  for (const [field, prop] of Object.entries(schemaProperties(schema))) {
    for (const other of listOf(prop[NOT_BEFORE])) rules.push({ kind: 'notBefore', field, other });
    for (const other of listOf(prop[ORG_CODE_OF])) rules.push({ kind: 'orgCodeOf', field, other });
  }
  rulesOf.set(schema, rules);
  return rules;
}

/** An organisation code as typed (`12345678-9`, lower case, spaces) in its bare 9-character form. */
function bareOrgCode(code: string): string {
  return code.replace(/[\s-]/g, '').toUpperCase();
}

/**
 * Every cross-field rule the values break. Rules whose fields are not both given are not checked
 * (requiredness is the schema's business).
 */
export function checkCrossFields(
  schema: unknown,
  payload: Readonly<Record<string, unknown>>,
  impliedNotBefore: readonly { field: string; other: string }[] = [],
): CrossFieldError[] {
  const out: CrossFieldError[] = [];
  const declared = crossFieldRules(schema);
  // Rules the item implies without declaring them (its validity end is not before its decision
  // date), unless the schema declares the same.
  const implied = impliedNotBefore
    .filter(
      (i) => !declared.some((r) => r.kind === 'notBefore' && r.field === i.field && r.other === i.other),
    )
    .map((i): CrossFieldRule => ({ kind: 'notBefore', ...i }));
  for (const r of [...declared, ...implied]) {
    const value = payload[r.field];
    const other = payload[r.other];
    if (typeof value !== 'string' || typeof other !== 'string' || !value || !other) continue;
    const label = fieldLabel(schema, r.field);
    const otherLabel = fieldLabel(schema, r.other);
    if (r.kind === 'notBefore') {
      // Both in the stored YYYY-MM-DD form: text order is date order.
      if (!ISO_DATE.test(value) || !ISO_DATE.test(other) || value >= other) continue;
      out.push({
        field: r.field,
        code: 'DATE_ORDER',
        other: r.other,
        message: {
          zh: `${label.zh}（${value}）早于${otherLabel.zh}（${other}）`,
          en: `${label.en} (${value}) is before ${otherLabel.en} (${other})`,
        },
      });
    } else {
      const uscc = other.trim().toUpperCase();
      if (uscc.length !== 18) continue;
      const expected = uscc.slice(8, 17);
      const given = bareOrgCode(value);
      if (given === expected) continue;
      out.push({
        field: r.field,
        code: 'CODE_MISMATCH',
        other: r.other,
        message: {
          zh: `${label.zh}（${value}）与${otherLabel.zh}（${uscc}）第 9–17 位（${expected}）不一致`,
          en: `${label.en} (${value}) does not match characters 9–17 (${expected}) of ${otherLabel.en} (${uscc})`,
        },
      });
    }
  }
  return out;
}

/** Checks the declarations themselves: each names another top-level field of the right kind. */
export function checkCrossFieldDeclarations(schema: unknown, add: AddProblem): void {
  const props = schemaProperties(schema);
  for (const [key, prop] of Object.entries(props)) {
    const path = `payloadSchema.properties.${key}`;
    for (const [kw, wantDate] of [
      [NOT_BEFORE, true],
      [ORG_CODE_OF, false],
    ] as const) {
      const raw = prop[kw];
      if (raw === undefined) continue;
      const names = listOf(raw);
      const wellFormed =
        (typeof raw === 'string' || (Array.isArray(raw) && names.length === raw.length)) &&
        names.length > 0 &&
        names.every(nonEmpty);
      if (!wellFormed) {
        add(
          'SCHEMA_INVALID',
          `${path}.${kw}`,
          `字段 ${key} 的 ${kw} 须为字段代码或字段代码数组`,
          `${kw} of field ${key} must be a field code or a list of field codes`,
        );
        continue;
      }
      if (wantDate && prop.format !== 'date')
        add(
          'SCHEMA_INVALID',
          `${path}.${kw}`,
          `字段 ${key} 不是日期字段，不能声明 ${kw}`,
          `Field ${key} is not a date field and cannot declare ${kw}`,
        );
      for (const other of names) {
        const target = props[other];
        if (!target || other === key)
          add(
            'SCHEMA_INVALID',
            `${path}.${kw}`,
            `字段 ${key} 的 ${kw} 指向的字段 ${other} 不存在`,
            `${kw} of field ${key} names ${other}, which is not another field of the item`,
          );
        else if (wantDate && target.format !== 'date')
          add(
            'SCHEMA_INVALID',
            `${path}.${kw}`,
            `字段 ${key} 的 ${kw} 指向的字段 ${other} 不是日期字段`,
            `${kw} of field ${key} names ${other}, which is not a date field`,
          );
      }
    }
  }
}
