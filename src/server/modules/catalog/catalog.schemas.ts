import { Type } from 'typebox';
import { Nullable } from '../../platform/schema';

/*
 * Request bodies are typed loosely where the catalogue check is stricter (ranks, subject types,
 * visibilities, rule kinds): the check then reports every problem at once, each with its field,
 * instead of the first schema mismatch.
 */

const Str = (maxLength: number, description?: string) =>
  Type.String({ maxLength, ...(description ? { description } : {}) });

export const CategorySchema = Type.Object({
  code: Type.String(),
  nameZh: Type.String(),
  nameEn: Type.String(),
  sort: Type.Integer(),
  descriptionZh: Type.String(),
  descriptionEn: Type.String(),
});

export const LegalBasisSchema = Type.Object(
  {
    instrument: Str(300, '文件名称 / instrument, e.g. 《中华人民共和国行政处罚法》'),
    article: Type.Optional(Str(300, '条款 / article(s)')),
    rank: Str(
      40,
      'law | administrative_regulation | local_regulation | central_policy | departmental_rule | local_government_rule | normative_document',
    ),
    note: Type.Optional(Str(500)),
  },
  { additionalProperties: false },
);

const SeverityRuleSchema = Type.Object(
  {
    kind: Str(20, 'none | declared | derived'),
    field: Type.Optional(Str(100)),
    map: Type.Optional(
      Type.Record(Type.String(), Type.String(), { description: 'value → MINOR | GENERAL | SERIOUS' }),
    ),
    default: Type.Optional(Nullable(Type.String())),
  },
  { additionalProperties: false },
);

const PeriodRuleSchema = Type.Object(
  {
    kind: Str(20, 'severity | fixed | validity | permanent'),
    months: Type.Optional(Type.Integer()),
    field: Type.Optional(Str(100)),
  },
  { additionalProperties: false },
);

const KeyFieldsSchema = Type.Object(
  {
    docNo: Type.Optional(Str(100)),
    decisionDate: Type.Optional(Str(100)),
    subjectName: Type.Optional(Str(100)),
    subjectCategory: Type.Optional(Str(100)),
    subjectUscc: Type.Optional(Str(100)),
    subjectIdType: Type.Optional(Str(100)),
    subjectIdNo: Type.Optional(Str(100)),
    validityEnd: Type.Optional(Str(100)),
  },
  { additionalProperties: false },
);

const VariantsSchema = Type.Record(Type.String(), Type.Record(Type.String(), Type.String()), {
  description: '文件版式 → 表头 → 字段 / layout → header → field',
});

const definitionFields = {
  nameZh: Str(200),
  nameEn: Str(300),
  categoryCode: Str(40),
  legalBasis: Type.Optional(Type.Array(LegalBasisSchema, { maxItems: 20 })),
  subjectTypes: Type.Optional(Type.Array(Str(40), { maxItems: 16 })),
  payloadSchema: Type.Optional(
    Type.Record(Type.String(), Type.Unknown(), {
      description: 'JSON Schema (draft 2020-12) of the record payload',
    }),
  ),
  fieldVisibility: Type.Optional(
    Type.Record(Type.String(), Type.String(), { description: 'field → public | shared | internal' }),
  ),
  severityRule: Type.Optional(SeverityRuleSchema),
  periodRule: Type.Optional(PeriodRuleSchema),
  keyFields: Type.Optional(KeyFieldsSchema),
  layoutVariants: Type.Optional(VariantsSchema),
};

export const CreateItemBody = Type.Object(
  { code: Str(40, '事项编码 / item code, e.g. XZCF'), ...definitionFields },
  { additionalProperties: false },
);

export const CreateVersionBody = Type.Object(definitionFields, { additionalProperties: false });

export const ItemVersionSchema = Type.Object({
  code: Type.String(),
  version: Type.Integer(),
  currentVersion: Type.Integer(),
  status: Type.String(),
  nameZh: Type.String(),
  nameEn: Type.String(),
  categoryCode: Type.String(),
  legalBasis: Type.Array(LegalBasisSchema),
  subjectTypes: Type.Array(Type.String()),
  payloadSchema: Type.Record(Type.String(), Type.Unknown()),
  fieldVisibility: Type.Record(Type.String(), Type.String()),
  severityRule: SeverityRuleSchema,
  periodRule: PeriodRuleSchema,
  keyFields: KeyFieldsSchema,
  aliases: Type.Record(Type.String(), Type.String()),
  layoutVariants: VariantsSchema,
  createdAt: Type.String(),
  createdBy: Type.String(),
});

export const ItemSummarySchema = Type.Object({
  code: Type.String(),
  nameZh: Type.String(),
  nameEn: Type.String(),
  categoryCode: Type.String(),
  currentVersion: Type.Integer(),
  status: Type.String(),
  legalBasis: Type.Array(LegalBasisSchema),
  subjectTypes: Type.Array(Type.String()),
  severityRule: Type.String(),
  periodRule: PeriodRuleSchema,
  fieldCount: Type.Integer(),
  updatedAt: Type.String(),
});

export const FieldTitlesSchema = Type.Object({
  items: Type.Array(
    Type.Object({
      code: Type.String(),
      version: Type.Integer(),
      fields: Type.Array(
        Type.Object({
          key: Type.String(),
          zh: Type.String(),
          en: Nullable(Type.String()),
        }),
      ),
    }),
  ),
});

export const ItemParams = Type.Object({ code: Type.String({ maxLength: 40 }) });

export const VersionQuery = Type.Object({ version: Type.Optional(Type.Integer({ minimum: 1 })) });

export const ProvidersBody = Type.Object(
  { departmentIds: Type.Array(Type.Integer({ minimum: 1 }), { maxItems: 500 }) },
  { additionalProperties: false },
);

export const ProvidersSchema = Type.Object({
  itemCode: Type.String(),
  departmentIds: Type.Array(Type.Integer()),
});
