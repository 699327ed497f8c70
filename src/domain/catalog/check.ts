import { isSubjectType } from '../subject-types';
import { checkSchema } from './check-schema';
import {
  buildAliasMap,
  DATE_KEY_FIELDS,
  fieldLabel,
  isObject,
  KEY_FIELD_NAMES,
  nonEmpty,
  REQUIRED_KEY_FIELDS,
  requiredOf,
  schemaProperties,
  ITEM_CODE_PATTERN,
  type AddProblem,
  type CheckOptions,
  type ItemDefinitionInput,
  type ItemProblem,
  type JsonSchema,
  type ProblemCode,
} from './definition';
import { basesReach, CATALOG_MIN_RANK, isLegalBasisRank, rankLabel, type LegalBasis } from './ranks';
import { isSeverity, isVisibility, PERIOD_RULE_KINDS, SEVERITY_RULE_KINDS } from './rules';

/** Every problem with a definition; an empty list means it may be stored. */
export function checkItemDefinition(def: ItemDefinitionInput, opts: CheckOptions = {}): ItemProblem[] {
  const problems: ItemProblem[] = [];
  const add = (code: ProblemCode, field: string, zh: string, en: string) =>
    problems.push({ code, field, message: { zh, en } });

  if (!nonEmpty(def.code) || !ITEM_CODE_PATTERN.test(def.code))
    add(
      'CODE_INVALID',
      'code',
      '事项编码须为 2–32 位大写字母、数字或下划线，以字母开头',
      'The item code must be 2–32 upper-case letters, digits or underscores, starting with a letter',
    );
  if (!nonEmpty(def.nameZh))
    add('NAME_REQUIRED', 'nameZh', '缺少事项中文名称', 'The item needs a Chinese name');
  if (!nonEmpty(def.nameEn))
    add('NAME_REQUIRED', 'nameEn', '缺少事项英文名称', 'The item needs an English name');
  if (opts.categories && !opts.categories.includes(def.categoryCode))
    add(
      'CATEGORY_UNKNOWN',
      'categoryCode',
      `目录类别 ${String(def.categoryCode)} 不存在`,
      `Unknown catalogue category ${String(def.categoryCode)}`,
    );

  checkLegalBasis(def, add);
  checkSubjectTypes(def, add);

  const schemaOk = checkSchema(def.payloadSchema, add);
  const props = schemaProperties(def.payloadSchema);
  if (schemaOk) {
    checkVisibility(def, props, add);
    checkKeyFields(def, props, add);
    checkSeverityRule(def, props, add);
    checkPeriodRule(def, props, add);
    for (const name of buildAliasMap(def.payloadSchema).conflicts)
      add(
        'ALIAS_CONFLICT',
        'payloadSchema',
        `表头名称“${name}”同时指向两个字段`,
        `The header name "${name}" points to two different fields`,
      );
  }
  return problems;
}

function checkLegalBasis(def: ItemDefinitionInput, add: AddProblem): void {
  const bases = def.legalBasis ?? [];
  if (bases.length === 0) {
    add(
      'LEGAL_BASIS_REQUIRED',
      'legalBasis',
      '目录事项必须列明法律、法规或党中央、国务院政策文件依据',
      'A catalogue item needs a legal basis (law, regulation or central policy document)',
    );
    return;
  }
  const valid: { rank: LegalBasis['rank'] }[] = [];
  bases.forEach((b, i) => {
    if (!nonEmpty(b.instrument))
      add(
        'LEGAL_BASIS_INVALID',
        `legalBasis[${i}].instrument`,
        `第 ${i + 1} 项依据缺少文件名称`,
        `Legal basis #${i + 1} has no instrument name`,
      );
    if (!isLegalBasisRank(b.rank))
      add(
        'LEGAL_BASIS_INVALID',
        `legalBasis[${i}].rank`,
        `第 ${i + 1} 项依据的效力等级“${String(b.rank ?? '')}”无效`,
        `Legal basis #${i + 1} has an unknown rank "${String(b.rank ?? '')}"`,
      );
    else valid.push({ rank: b.rank });
  });
  if (valid.length > 0 && valid.length === bases.length && !basesReach(valid, CATALOG_MIN_RANK)) {
    const low = rankLabel('normative_document');
    add(
      'LEGAL_BASIS_RANK_TOO_LOW',
      'legalBasis',
      `仅有${low.zh}不足以设立目录事项，须有法律、法规、规章或党中央、国务院政策文件依据`,
      `A ${low.en.toLowerCase()} alone cannot found a catalogue item; a law, regulation, rule or central policy document is needed`,
    );
  }
}

function checkSubjectTypes(def: ItemDefinitionInput, add: AddProblem): void {
  const types = def.subjectTypes ?? [];
  if (types.length === 0)
    add(
      'SUBJECT_TYPES_REQUIRED',
      'subjectTypes',
      '须列明适用的主体类型',
      'List the subject types the item applies to',
    );
  types.forEach((t, i) => {
    if (!isSubjectType(t))
      add('SUBJECT_TYPE_UNKNOWN', `subjectTypes[${i}]`, `未知的主体类型 ${t}`, `Unknown subject type ${t}`);
  });
}

function checkVisibility(def: ItemDefinitionInput, props: Record<string, JsonSchema>, add: AddProblem): void {
  const vis = def.fieldVisibility ?? {};
  for (const [key, prop] of Object.entries(props)) {
    const v = vis[key];
    if (v === undefined)
      add(
        'VISIBILITY_MISSING',
        `fieldVisibility.${key}`,
        `字段${fieldLabel(def.payloadSchema, key).zh}未设置公开范围（public / shared / internal）`,
        `Field ${fieldLabel(def.payloadSchema, key).en} has no visibility (public / shared / internal)`,
      );
    else if (!isVisibility(v))
      add(
        'VISIBILITY_INVALID',
        `fieldVisibility.${key}`,
        `字段 ${key} 的公开范围“${v}”无效，应为 public、shared 或 internal`,
        `Visibility "${v}" of field ${key} is invalid; use public, shared or internal`,
      );
    else if (v === 'public' && prop['x-sensitive'] === true)
      add(
        'SENSITIVE_FIELD_PUBLIC',
        `fieldVisibility.${key}`,
        `敏感字段${fieldLabel(def.payloadSchema, key).zh}不得公开`,
        `Sensitive field ${fieldLabel(def.payloadSchema, key).en} must not be public`,
      );
  }
  for (const key of Object.keys(vis))
    if (!(key in props))
      add(
        'VISIBILITY_UNKNOWN_FIELD',
        `fieldVisibility.${key}`,
        `公开范围设置了不存在的字段 ${key}`,
        `Visibility is set for an unknown field ${key}`,
      );
}

const ORG_TYPES = new Set([
  'ENTERPRISE',
  'INDIVIDUAL_BUSINESS',
  'FARMER_COOP',
  'GOVERNMENT',
  'PUBLIC_INSTITUTION',
  'SOCIAL_ORG',
  'OTHER_ORG',
]);

function checkKeyFields(def: ItemDefinitionInput, props: Record<string, JsonSchema>, add: AddProblem): void {
  const kf = def.keyFields ?? {};
  for (const name of REQUIRED_KEY_FIELDS)
    if (!nonEmpty(kf[name]))
      add(
        'KEY_FIELD_REQUIRED',
        `keyFields.${name}`,
        `缺少关键字段映射 ${name}`,
        `Key field ${name} is not mapped`,
      );
  const types = def.subjectTypes ?? [];
  if (types.includes('NATURAL_PERSON') && !nonEmpty(kf.subjectIdNo))
    add(
      'KEY_FIELD_REQUIRED',
      'keyFields.subjectIdNo',
      '适用于自然人的事项须指明证件号码字段（subjectIdNo）',
      'An item for natural persons must map the identity-document number (subjectIdNo)',
    );
  if (types.some((t) => ORG_TYPES.has(t)) && !nonEmpty(kf.subjectUscc))
    add(
      'KEY_FIELD_REQUIRED',
      'keyFields.subjectUscc',
      '适用于组织的事项须指明统一社会信用代码字段（subjectUscc）',
      'An item for organisations must map the USCC field (subjectUscc)',
    );
  for (const name of KEY_FIELD_NAMES) {
    const field = kf[name];
    if (field === undefined) continue;
    const prop = props[field];
    if (!prop) {
      add(
        'KEY_FIELD_UNKNOWN',
        `keyFields.${name}`,
        `关键字段 ${name} 指向不存在的字段 ${String(field)}`,
        `Key field ${name} names an unknown field ${String(field)}`,
      );
      continue;
    }
    if ((DATE_KEY_FIELDS as readonly string[]).includes(name) && prop.format !== 'date')
      add(
        'KEY_FIELD_INVALID',
        `keyFields.${name}`,
        `关键字段 ${name} 对应的字段 ${field} 须为日期（format: date）`,
        `Key field ${name} must be a date field (format: date); ${field} is not`,
      );
    if (name === 'subjectIdNo' && prop['x-sensitive'] !== true)
      add(
        'KEY_FIELD_INVALID',
        `keyFields.${name}`,
        `证件号码字段 ${field} 须标记 x-sensitive: true（加密存储）`,
        `The identity-number field ${field} must be marked x-sensitive: true (encrypted at rest)`,
      );
  }
}

function enumOf(prop: JsonSchema | undefined): string[] | null {
  if (!prop) return null;
  const target = isObject(prop.items) ? prop.items : prop;
  return Array.isArray(target.enum) ? target.enum.filter((v): v is string => typeof v === 'string') : null;
}

function checkSeverityRule(
  def: ItemDefinitionInput,
  props: Record<string, JsonSchema>,
  add: AddProblem,
): void {
  const rule = def.severityRule;
  const bad = (zh: string, en: string, field = 'severityRule') => add('SEVERITY_RULE_INVALID', field, zh, en);
  if (!rule || !(SEVERITY_RULE_KINDS as readonly string[]).includes(rule.kind)) {
    bad('严重程度规则须为 none、declared 或 derived', 'The severity rule must be none, declared or derived');
    return;
  }
  if (rule.kind !== 'derived') return;
  if (!nonEmpty(rule.field) || !props[rule.field]) {
    bad(
      `严重程度规则引用了不存在的字段 ${String(rule.field ?? '')}`,
      `The severity rule names an unknown field ${String(rule.field ?? '')}`,
      'severityRule.field',
    );
    return;
  }
  const map = rule.map ?? {};
  if (Object.keys(map).length === 0)
    bad('推导规则的对照表为空', 'The derivation map is empty', 'severityRule.map');
  const allowed = enumOf(props[rule.field]);
  for (const [value, sev] of Object.entries(map)) {
    if (!isSeverity(sev))
      bad(
        `取值“${value}”对应的严重程度“${sev}”无效，应为 MINOR、GENERAL 或 SERIOUS`,
        `Severity "${sev}" for "${value}" is invalid; use MINOR, GENERAL or SERIOUS`,
        'severityRule.map',
      );
    if (allowed && !allowed.includes(value))
      bad(
        `对照表中的取值“${value}”不是字段 ${rule.field} 的允许值`,
        `"${value}" in the map is not an allowed value of field ${rule.field}`,
        'severityRule.map',
      );
  }
  if (rule.default !== undefined && rule.default !== null && !isSeverity(rule.default))
    bad(
      `默认严重程度“${rule.default}”无效`,
      `Default severity "${rule.default}" is invalid`,
      'severityRule.default',
    );
}

function checkPeriodRule(def: ItemDefinitionInput, props: Record<string, JsonSchema>, add: AddProblem): void {
  const rule = def.periodRule;
  const bad = (zh: string, en: string, field = 'periodRule') => add('PERIOD_RULE_INVALID', field, zh, en);
  if (!rule || !(PERIOD_RULE_KINDS as readonly string[]).includes(rule.kind)) {
    bad(
      '公示期限规则须为 severity、fixed、validity 或 permanent',
      'The period rule must be severity, fixed, validity or permanent',
    );
    return;
  }
  if (
    rule.kind === 'fixed' &&
    !(Number.isInteger(rule.months) && (rule.months ?? 0) >= 1 && (rule.months ?? 0) <= 1200)
  )
    bad(
      '固定期限须为 1–1200 个月的整数',
      'A fixed period must be a whole number of months from 1 to 1200',
      'periodRule.months',
    );
  if (rule.kind === 'validity') {
    const prop = nonEmpty(rule.field) ? props[rule.field] : undefined;
    const end = def.keyFields?.validityEnd;
    if (!prop || prop.format !== 'date')
      bad(
        `有效期规则须引用一个日期字段（format: date），${String(rule.field ?? '')} 不是`,
        `A validity period needs a date field (format: date); ${String(rule.field ?? '')} is not one`,
        'periodRule.field',
      );
    else if (!requiredOf(def.payloadSchema).includes(rule.field as string))
      bad(
        `有效期字段 ${String(rule.field)} 须为必填（长期有效填 2099-12-31）`,
        `The validity field ${String(rule.field)} must be required (2099-12-31 for long-term)`,
        'periodRule.field',
      );
    else if (end !== undefined && end !== rule.field)
      bad(
        `有效期规则的字段 ${String(rule.field)} 与关键字段 validityEnd（${end}）不一致`,
        `The validity field ${String(rule.field)} differs from keyFields.validityEnd (${end})`,
        'periodRule.field',
      );
  }
  if (rule.kind === 'severity') {
    const s = def.severityRule;
    if (!s || s.kind === 'none' || (s.kind === 'derived' && !isSeverity(s.default)))
      bad(
        '按严重程度计算公示期限时，每条记录都须有严重程度：规则须为 declared，或 derived 且有默认值',
        'A period by severity needs a severity on every record: use a declared rule, or a derived one with a default',
      );
  }
}
