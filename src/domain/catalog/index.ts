export {
  basesReach,
  CATALOG_MIN_RANK,
  isLegalBasisRank,
  LEGAL_BASIS_RANK_CODES,
  LEGAL_BASIS_RANKS,
  rankAtLeast,
  rankLabel,
  rankStrength,
  RIGHTS_REDUCING_MIN_RANK,
  strongestRank,
  type LegalBasis,
  type LegalBasisRank,
} from './ranks';
export {
  findProhibited,
  PROHIBITED_DATA_CATEGORIES,
  prohibitedCategoryOf,
  type FieldDescriptor,
  type ProhibitedCategory,
  type ProhibitedMatch,
} from './prohibited';
export {
  decideSeverity,
  isSeverity,
  isVisibility,
  PERIOD_RULE_KINDS,
  SEVERITIES,
  SEVERITY_LABELS,
  SEVERITY_RULE_KINDS,
  severityWeight,
  visibleAt,
  VISIBILITIES,
  type PeriodRule,
  type Severity,
  type SeverityOutcome,
  type SeverityRule,
  type Visibility,
} from './rules';
export {
  buildAliasMap,
  fieldLabel,
  fieldTitle,
  ITEM_CODE_PATTERN,
  KEY_FIELD_NAMES,
  schemaProperties,
  type CheckOptions,
  type ItemDefinition,
  type ItemDefinitionInput,
  type ItemProblem,
  type JsonSchema,
  type KeyFields,
  type ProblemCode,
} from './definition';
export { checkItemDefinition } from './check';
export { checkCrossFields, NOT_BEFORE, ORG_CODE_OF } from './cross-field';
export { parseItemDefinition, type ParsedDefinition } from './parse';
