import { Type } from 'typebox';
import { Nullable } from '../../platform/schema';

const Bilingual = Type.Object({ zh: Type.String(), en: Type.String() });
export const SeveritySchema = Type.Enum(['MINOR', 'GENERAL', 'SERIOUS']);

export const SubmitRecordBody = Type.Object(
  {
    itemCode: Type.String({ minLength: 1, maxLength: 64 }),
    payload: Type.Record(Type.String(), Type.Unknown()),
    severity: Type.Optional(Type.Union([SeveritySchema, Type.Null()])),
    departmentId: Type.Optional(
      Type.Integer({ description: '仅平台管理员代提交时使用 / only when an admin submits for a department' }),
    ),
  },
  { additionalProperties: false },
);

export const SubmitBatchBody = Type.Object(
  {
    records: Type.Array(
      Type.Object(
        {
          itemCode: Type.String({ minLength: 1, maxLength: 64 }),
          payload: Type.Record(Type.String(), Type.Unknown()),
          severity: Type.Optional(Type.Union([SeveritySchema, Type.Null()])),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 1000 },
    ),
    departmentId: Type.Optional(Type.Integer()),
  },
  { additionalProperties: false },
);

const FieldError = Type.Object({ field: Type.String(), code: Type.String(), message: Bilingual });

export const RowOutcomeSchema = Type.Union([
  Type.Object({
    outcome: Type.Enum(['created', 'updated', 'unchanged']),
    recordId: Type.Integer(),
    subjectId: Type.Integer(),
    version: Type.Integer(),
  }),
  Type.Object({ outcome: Type.Literal('rejected'), errors: Type.Array(FieldError) }),
]);

export const BatchResult = Type.Object({
  results: Type.Array(RowOutcomeSchema),
  counts: Type.Object({
    created: Type.Integer(),
    updated: Type.Integer(),
    unchanged: Type.Integer(),
    rejected: Type.Integer(),
  }),
});

export const RecordHeadSchema = Type.Object({
  id: Type.Integer(),
  subjectId: Type.Integer(),
  itemCode: Type.String(),
  itemVersion: Type.Integer(),
  categoryCode: Type.String(),
  departmentId: Type.Integer(),
  docNo: Type.String(),
  decisionDate: Type.String(),
  severity: Nullable(Type.String()),
  payload: Type.Record(Type.String(), Type.Unknown()),
  windowFrom: Type.String(),
  windowUntil: Nullable(Type.String()),
  version: Type.Integer(),
  stopKind: Nullable(Type.String()),
  stoppedAt: Nullable(Type.String()),
  disclosedNow: Type.Boolean(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});

export const RecordDetailSchema = Type.Object({
  record: RecordHeadSchema,
  versions: Type.Array(Type.Record(Type.String(), Type.Unknown())),
  stops: Type.Array(Type.Record(Type.String(), Type.Unknown())),
});

export const CorrectBody = Type.Object(
  {
    payload: Type.Record(Type.String(), Type.Unknown()),
    severity: Type.Optional(Type.Union([SeveritySchema, Type.Null()])),
    reason: Type.String({ minLength: 2, maxLength: 500 }),
  },
  { additionalProperties: false },
);

export const StopBody = Type.Object(
  {
    kind: Type.Enum(['withdrawn', 'court_order', 'other']),
    reason: Type.String({ minLength: 2, maxLength: 500 }),
    effectiveAt: Type.Optional(Type.String({ format: 'date-time' })),
  },
  { additionalProperties: false },
);

export const ListQuery = Type.Object(
  {
    itemCode: Type.Optional(Type.String({ maxLength: 64 })),
    docNo: Type.Optional(Type.String({ maxLength: 200 })),
    subject: Type.Optional(Type.String({ maxLength: 40 })),
    departmentId: Type.Optional(Type.Integer()),
    limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
    offset: Type.Integer({ minimum: 0, maximum: 100000, default: 0 }),
  },
  { additionalProperties: false },
);

// A profile names each catalogue item version once (`items`: names, legal basis, the public
// fields' titles); its records carry the item's code and version and only their field values.
export const ProfileItemSchema = Type.Object({
  code: Type.String(),
  version: Type.Integer(),
  nameZh: Type.String(),
  nameEn: Type.String(),
  legalBasis: Type.Unknown(),
  fields: Type.Array(
    Type.Object({ key: Type.String(), label: Type.String(), labelEn: Type.Optional(Type.String()) }),
  ),
});

export const PublicRecordSchema = Type.Object({
  id: Type.Integer(),
  item: Type.Object({ code: Type.String(), version: Type.Integer() }),
  docNo: Type.String(),
  decisionDate: Type.String(),
  severity: Nullable(Type.String()),
  disclosedFrom: Type.String(),
  disclosedUntil: Nullable(Type.String()),
  provider: Type.Union([
    Type.Object({
      name: Type.String(),
      nameEn: Nullable(
        Type.String({ description: '部门英文名称（未登记时为 null）/ English name, null when none' }),
      ),
      uscc: Type.String(),
    }),
    Type.Null(),
  ]),
  fields: Type.Array(Type.Object({ key: Type.String(), value: Type.Unknown() })),
  version: Type.Integer(),
  // remedies (issue 6): true while an objection is under review ("有异议/核查中").
  disputed: Type.Boolean({ description: '异议核查中 / under objection review' }),
});

export const PublicProfileSchema = Type.Object({
  at: Type.String(),
  subject: Type.Object({
    ref: Type.String(),
    type: Type.String(),
    typeLabel: Bilingual,
    name: Type.String(),
    formerNames: Type.Array(Type.String()),
    uscc: Nullable(Type.String()),
    orgCode: Nullable(Type.String()),
    idMasked: Nullable(Type.String()),
    region: Nullable(Type.String()),
    regionName: Nullable(Type.String()),
    legalRep: Nullable(Type.String()),
    status: Type.String(),
    establishedOn: Nullable(Type.String()),
  }),
  categories: Type.Array(
    Type.Object({
      code: Type.String(),
      nameZh: Type.String(),
      nameEn: Type.String(),
      count: Type.Integer(),
      records: Type.Array(PublicRecordSchema),
    }),
  ),
  items: Type.Array(ProfileItemSchema),
  total: Type.Integer(),
});

export const CodeParams = Type.Object({ code: Type.String({ minLength: 1, maxLength: 40 }) });
export const IdParams = Type.Object({ id: Type.Integer() });
export const AtQuery = Type.Object(
  { at: Type.Optional(Type.String({ description: 'ISO 8601 时刻 / instant' })) },
  { additionalProperties: false },
);

export const BrowseQuerySchema = Type.Object(
  {
    item: Type.Optional(
      Type.String({ maxLength: 64, description: '目录事项代码，默认行政许可和行政处罚 / item code' }),
    ),
    department: Type.Optional(Type.Integer()),
    from: Type.Optional(Type.String({ format: 'date' })),
    to: Type.Optional(Type.String({ format: 'date' })),
    q: Type.Optional(
      Type.String({
        minLength: 2,
        maxLength: 100,
        description: '主体名称或决定文书号 / name or document number',
      }),
    ),
    at: Type.Optional(Type.String()),
    limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
    offset: Type.Integer({ minimum: 0, maximum: 10000, default: 0 }),
  },
  { additionalProperties: false },
);

export const BrowseResponse = Type.Object({
  items: Type.Array(
    Type.Object({
      id: Type.Integer(),
      subject: Type.Object({
        ref: Type.String(),
        name: Type.String(),
        uscc: Nullable(Type.String()),
        type: Type.String(),
      }),
      item: Type.Object({ code: Type.String(), nameZh: Type.String(), nameEn: Type.String() }),
      docNo: Type.String(),
      decisionDate: Type.String(),
      severity: Nullable(Type.String()),
      provider: Type.Union([
        Type.Object({ id: Type.Integer(), name: Type.String(), nameEn: Nullable(Type.String()) }),
        Type.Null(),
      ]),
      fields: Type.Array(
        Type.Object({
          key: Type.String(),
          label: Type.String(),
          labelEn: Type.Optional(Type.String()),
          value: Type.Unknown(),
        }),
      ),
      disclosedUntil: Nullable(Type.String()),
    }),
  ),
  more: Type.Boolean(),
});

export const PublicDepartmentsResponse = Type.Object({
  at: Type.String(),
  departments: Type.Array(
    Type.Object({
      id: Type.Integer(),
      name: Type.String(),
      nameEn: Nullable(Type.String()),
      uscc: Type.String(),
      region: Type.String(),
      disclosedRecords: Type.Integer({ description: '当前公示的信息条数 / records disclosed now' }),
      items: Type.Array(
        Type.Object({
          code: Type.String(),
          nameZh: Type.String(),
          nameEn: Type.String(),
          categoryCode: Type.String(),
          provider: Type.Boolean({
            description:
              '目前是该事项的提供部门（否则仅有此前提供、仍在公示的信息）/ currently a provider of the item (else only earlier records still disclosed)',
          }),
          disclosedRecords: Type.Integer(),
        }),
      ),
    }),
  ),
});
