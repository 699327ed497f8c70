import {
  NOT_BEFORE,
  ORG_CODE_OF,
  type ItemDefinition,
  type JsonSchema,
  type KeyFields,
  type LegalBasis,
  type Visibility,
} from '../../../domain/catalog';
import { SUBJECT_TYPES, type SubjectType } from '../../../domain/subject-types';

/*
 * Builders for the seeded payload schemas. Property keys are the field codes (XK_…, CF_… from the
 * 双公示 templates; other prefixes are this platform's own). The result is plain JSON Schema
 * (draft 2020-12) that the catalogue stores as data.
 */

export const SCHEMA_DIALECT = 'https://json-schema.org/draft/2020-12/schema';

/** GB 32100-2015 shape; the check digit is verified by ingestion (domain/identifiers). */
export const USCC_PATTERN = '^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$';
export const CITIZEN_ID_PATTERN = '^[0-9]{17}[0-9Xx]$';
/** 万元 with up to six decimals (one fen); numbers are accepted too and must be ≥ 0. */
export const AMOUNT_PATTERN = '^(0|[1-9][0-9]{0,11})(\\.[0-9]{1,6})?$';

const USCC_HINT = {
  zh: '统一社会信用代码为 18 位数字或大写字母（不含 I、O、Z、S、V）',
  en: 'a USCC has 18 digits or capital letters (no I, O, Z, S, V)',
};
const AMOUNT_HINT = {
  zh: '金额以万元为单位，填写不小于 0 的数字，最多 6 位小数（2000 元填 0.2）',
  en: 'amounts are in units of 10,000 CNY: a number ≥ 0 with up to 6 decimals (2,000 CNY is 0.2)',
};
const CITIZEN_ID_HINT = { zh: '居民身份证号码为 18 位', en: 'a citizen ID number has 18 characters' };

export const SUBJECT_CATEGORIES = ['法人及非法人组织', '自然人', '个体工商户'] as const;
/** REFERENCE §2.5; some systems code 01 自然人, 02 法人, 03 非法人组织, 04 个体工商户. */
const SUBJECT_CATEGORY_CODES = {
  '01': '自然人',
  '02': '法人及非法人组织',
  '03': '法人及非法人组织',
  '04': '个体工商户',
};

export const ID_TYPES = [
  '身份证',
  '护照',
  '港澳居民来往内地通行证',
  '台湾居民来往大陆通行证',
  '外国人永久居留身份证',
] as const;
const ID_TYPE_CODES = {
  '01': '身份证',
  '02': '护照',
  '03': '港澳居民来往内地通行证',
  '04': '台湾居民来往大陆通行证',
  '05': '外国人永久居留身份证',
  居民身份证: '身份证',
};

interface FieldOpts {
  max?: number;
  aliases?: string[];
  description?: string;
  /** Dates this one may not be earlier than (`x-not-before`, DATE_ORDER; domain/catalog/cross-field.ts). */
  notBefore?: string[];
  /** The USCC field whose characters 9–17 this organisation code must be (`x-org-code-of`). */
  orgCodeOf?: string;
}

function base(title: string, code: string, o: FieldOpts): JsonSchema {
  return {
    title,
    'x-code': code,
    ...(o.description ? { description: o.description } : {}),
    ...(o.aliases?.length ? { 'x-aliases': o.aliases } : {}),
    ...(o.notBefore?.length ? { [NOT_BEFORE]: o.notBefore } : {}),
    ...(o.orgCodeOf ? { [ORG_CODE_OF]: o.orgCodeOf } : {}),
  };
}

export function text(title: string, code: string, o: FieldOpts = {}): JsonSchema {
  return { ...base(title, code, o), type: 'string', minLength: 1, maxLength: o.max ?? 200 };
}

export function date(title: string, code: string, o: FieldOpts = {}): JsonSchema {
  return { ...base(title, code, o), type: 'string', format: 'date' };
}

export function uscc(title: string, code: string, o: FieldOpts = {}): JsonSchema {
  return { ...base(title, code, o), type: 'string', pattern: USCC_PATTERN, 'x-hint': USCC_HINT };
}

export function amount(title: string, code: string, o: FieldOpts = {}): JsonSchema {
  return {
    ...base(title, code, o),
    type: ['string', 'number'],
    pattern: AMOUNT_PATTERN,
    minimum: 0,
    'x-unit': '万元',
    'x-hint': AMOUNT_HINT,
  };
}

export function choice(
  title: string,
  code: string,
  values: readonly string[],
  o: FieldOpts & { valueAliases?: Record<string, string> } = {},
): JsonSchema {
  return {
    ...base(title, code, o),
    type: 'string',
    enum: [...values],
    ...(o.valueAliases ? { 'x-enum-aliases': o.valueAliases } : {}),
  };
}

/** Several values of a code table (ingestion splits 、；; separated cells). */
export function choices(
  title: string,
  code: string,
  values: readonly string[],
  o: FieldOpts & { valueAliases?: Record<string, string> } = {},
): JsonSchema {
  return {
    ...base(title, code, o),
    type: 'array',
    minItems: 1,
    uniqueItems: true,
    items: { type: 'string', enum: [...values] },
    ...(o.valueAliases ? { 'x-enum-aliases': o.valueAliases } : {}),
  };
}

export function idType(title: string, code: string, o: FieldOpts = {}): JsonSchema {
  return choice(title, code, ID_TYPES, { ...o, valueAliases: ID_TYPE_CODES });
}

/** An identity-document number: encrypted at rest, never public. */
export function idNumber(title: string, code: string, o: FieldOpts = {}): JsonSchema {
  return {
    ...text(title, code, { ...o, max: 40 }),
    'x-sensitive': true,
    'x-data-category': 'identity_document',
  };
}

export function subjectCategory(title: string, code: string, o: FieldOpts = {}): JsonSchema {
  return choice(title, code, SUBJECT_CATEGORIES, { ...o, valueAliases: SUBJECT_CATEGORY_CODES });
}

/** Requires `then` when `field` equals `value`. */
export function when(field: string, value: string, then: JsonSchema): JsonSchema {
  return { if: { properties: { [field]: { const: value } }, required: [field] }, then };
}

/** Requires `then` when the list `field` contains one of `values`. */
export function whenContains(field: string, values: readonly string[], then: JsonSchema): JsonSchema {
  return {
    if: {
      properties: {
        [field]: { contains: values.length === 1 ? { const: values[0] } : { enum: [...values] } },
      },
      required: [field],
    },
    then,
  };
}

/** A citizen ID number must look like one when the document type is 身份证. */
export function citizenIdShape(typeField: string, numberField: string): JsonSchema {
  return when(typeField, '身份证', {
    properties: { [numberField]: { pattern: CITIZEN_ID_PATTERN, 'x-hint': CITIZEN_ID_HINT } },
  });
}

/**
 * The party block shared by most items: name, category, USCC, ID type and number, with the
 * conditional requirements by category: USCC for 法人及非法人组织, ID type + number for 自然人, and
 * either for 个体工商户 (older ones have no USCC).
 */
export function party(
  p: string,
  o: { nameTitle?: string; natural?: boolean; nameAliases?: string[] } = {},
): {
  properties: Record<string, JsonSchema>;
  required: string[];
  allOf: JsonSchema[];
  dependentRequired: Record<string, string[]>;
  keyFields: Pick<
    KeyFields,
    'subjectName' | 'subjectCategory' | 'subjectUscc' | 'subjectIdType' | 'subjectIdNo'
  >;
} {
  const natural = o.natural ?? true;
  const k = (s: string) => `${p}_${s}`;
  const properties: Record<string, JsonSchema> = {
    [k('MC')]: text(o.nameTitle ?? '行政相对人名称', k('MC'), { aliases: o.nameAliases }),
  };
  if (!natural) {
    properties[k('SHXYM')] = uscc('统一社会信用代码', k('SHXYM'));
    return {
      properties,
      required: [k('MC'), k('SHXYM')],
      allOf: [],
      dependentRequired: {},
      keyFields: { subjectName: k('MC'), subjectUscc: k('SHXYM') },
    };
  }
  properties[k('LB')] = subjectCategory(
    o.nameTitle ? `${o.nameTitle.replace(/名称$/, '')}类别` : '行政相对人类别',
    k('LB'),
  );
  properties[k('SHXYM')] = uscc('统一社会信用代码', k('SHXYM'));
  properties[k('ZJLX')] = idType('证件类型', k('ZJLX'));
  properties[k('ZJHM')] = idNumber('证件号码', k('ZJHM'));
  return {
    properties,
    required: [k('MC'), k('LB')],
    allOf: [
      when(k('LB'), '法人及非法人组织', { required: [k('SHXYM')] }),
      when(k('LB'), '自然人', { required: [k('ZJLX'), k('ZJHM')] }),
      when(k('LB'), '个体工商户', {
        anyOf: [{ required: [k('SHXYM')] }, { required: [k('ZJLX'), k('ZJHM')] }],
      }),
      citizenIdShape(k('ZJLX'), k('ZJHM')),
    ],
    dependentRequired: { [k('ZJHM')]: [k('ZJLX')] },
    keyFields: {
      subjectName: k('MC'),
      subjectCategory: k('LB'),
      subjectUscc: k('SHXYM'),
      subjectIdType: k('ZJLX'),
      subjectIdNo: k('ZJHM'),
    },
  };
}

/** An object schema closed to anything not listed (nothing outside the catalogue may enter). */
export function objectSchema(
  properties: Record<string, JsonSchema>,
  required: readonly string[],
  extra: { allOf?: JsonSchema[]; dependentRequired?: Record<string, string[]> } = {},
): JsonSchema {
  return {
    $schema: SCHEMA_DIALECT,
    type: 'object',
    properties,
    required: [...required],
    additionalProperties: false,
    ...(extra.allOf?.length ? { allOf: extra.allOf } : {}),
    ...(extra.dependentRequired && Object.keys(extra.dependentRequired).length
      ? { dependentRequired: extra.dependentRequired }
      : {}),
  };
}

/**
 * Visibility for every field: `public` unless listed; sensitive fields are always `internal`.
 */
export function visibility(
  properties: Record<string, JsonSchema>,
  o: { shared?: readonly string[]; internal?: readonly string[] } = {},
): Record<string, Visibility> {
  const out: Record<string, Visibility> = {};
  for (const [key, prop] of Object.entries(properties)) {
    out[key] =
      prop['x-sensitive'] === true || o.internal?.includes(key)
        ? 'internal'
        : o.shared?.includes(key)
          ? 'shared'
          : 'public';
  }
  return out;
}

/** 备注, on every item: shared with departments, not public. */
export const remark = (): JsonSchema => text('备注', 'BZ', { max: 2000 });

// ---- shared by the seeded items ----

export const ALL: SubjectType[] = [...SUBJECT_TYPES];
export const MARKET: SubjectType[] = ['ENTERPRISE', 'INDIVIDUAL_BUSINESS', 'FARMER_COOP'];
export const ORGS: SubjectType[] = SUBJECT_TYPES.filter((t) => t !== 'NATURAL_PERSON');

export const OPINIONS_2025: LegalBasis = {
  instrument: '中共中央办公厅、国务院办公厅《关于健全社会信用体系的意见》（2025年）',
  rank: 'central_policy',
};
export const GUOBAN_2019_35: LegalBasis = {
  instrument:
    '《国务院办公厅关于加快推进社会信用体系建设构建以信用为基础的新型监管机制的指导意见》（国办发〔2019〕35号）',
  rank: 'central_policy',
};
export const GUOFA_2016_33: LegalBasis = {
  instrument:
    '《国务院关于建立完善守信联合激励和失信联合惩戒制度加快推进社会诚信建设的指导意见》（国发〔2016〕33号）',
  rank: 'central_policy',
};
export const CIVIL_PROCEDURE: LegalBasis = {
  instrument: '《中华人民共和国民事诉讼法》（2023年修正）',
  article: '第二百六十六条 (待核实)',
  rank: 'law',
};

/** An item from its properties: a closed schema, and visibility public unless shared or sensitive. */
export function item(
  def: Omit<ItemDefinition, 'payloadSchema' | 'fieldVisibility'> & {
    properties: Record<string, JsonSchema>;
    required: string[];
    allOf?: JsonSchema[];
    dependentRequired?: Record<string, string[]>;
    shared?: string[];
  },
): ItemDefinition {
  const { properties, required, allOf, dependentRequired, shared, ...rest } = def;
  return {
    ...rest,
    payloadSchema: objectSchema(properties, required, { allOf, dependentRequired }),
    fieldVisibility: visibility(properties, { shared: [...(shared ?? []), 'BZ'] }),
  };
}
