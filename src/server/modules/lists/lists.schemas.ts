import { Type } from 'typebox';
import { END_REASONS, ENTRY_STAGES, LIST_KINDS, PARTY_ROLES } from '../../../domain/lists';
import { Nullable } from '../../platform/schema';

const NullableInt = Nullable(Type.Integer());
const Bilingual = Type.Object({ zh: Type.String(), en: Type.String() });
const DateString = Type.String({ format: 'date' });

export const LegalBasisSchema = Type.Object({
  instrument: Type.String(),
  article: Type.Optional(Type.String()),
  rank: Type.String(),
  note: Type.Optional(Type.String()),
});

const PeriodSchema = Type.Object(
  {
    kind: Type.Enum(['fixed', 'until_performed', 'indefinite']),
    months: Type.Optional(Type.Integer()),
    maxMonths: Type.Optional(Type.Integer()),
    reviewMonths: Type.Optional(Type.Integer()),
  },
  { additionalProperties: false },
);

/** Loose on purpose: the gate (not the schema) reports what is wrong, naming each field. */
export const ListTypeBody = Type.Object(
  {
    code: Type.String({ maxLength: 40 }),
    nameZh: Type.String({ maxLength: 200 }),
    nameEn: Type.String({ maxLength: 200 }),
    domain: Type.String({ maxLength: 100 }),
    kind: Type.String({ maxLength: 40, description: LIST_KINDS.join(' | ') }),
    authority: Type.Object({ zh: Type.String({ maxLength: 500 }), en: Type.String({ maxLength: 500 }) }),
    legalBasis: Type.Array(
      Type.Object({
        instrument: Type.Optional(Type.String({ maxLength: 500 })),
        article: Type.Optional(Type.String({ maxLength: 200 })),
        rank: Type.Optional(Type.String({ maxLength: 40 })),
        note: Type.Optional(Type.String({ maxLength: 1000 })),
      }),
      { maxItems: 20 },
    ),
    basisStatus: Type.Optional(Type.Enum(['confirmed', 'to_be_confirmed'])),
    conditions: Type.Optional(
      Type.Object({
        entry: Type.Optional(
          Type.Object({ zh: Type.Optional(Type.String()), en: Type.Optional(Type.String()) }),
        ),
        exit: Type.Optional(
          Type.Object({ zh: Type.Optional(Type.String()), en: Type.Optional(Type.String()) }),
        ),
        publishedIn: Type.Optional(Type.String({ maxLength: 500 })),
      }),
    ),
    period: PeriodSchema,
    earlyExit: Type.Optional(
      Type.Union([
        Type.Object({
          conditions: Type.Object({ zh: Type.Optional(Type.String()), en: Type.Optional(Type.String()) }),
          minMonths: Type.Integer(),
        }),
        Type.Null(),
      ]),
    ),
    public: Type.Optional(Type.Boolean()),
    statementDays: Type.Optional(Type.Integer()),
    status: Type.Optional(Type.String({ maxLength: 20 })),
  },
  { additionalProperties: false },
);

export const ListTypeSchema = Type.Object({
  code: Type.String(),
  version: Type.Integer(),
  currentVersion: Type.Integer(),
  nameZh: Type.String(),
  nameEn: Type.String(),
  domain: Type.String(),
  kind: Type.String(),
  authority: Bilingual,
  legalBasis: Type.Array(LegalBasisSchema),
  basisStatus: Type.String(),
  conditions: Type.Object({ entry: Bilingual, exit: Bilingual, publishedIn: Type.String() }),
  period: PeriodSchema,
  earlyExit: Type.Union([Type.Object({ conditions: Bilingual, minMonths: Type.Integer() }), Type.Null()]),
  public: Type.Boolean(),
  statementDays: Type.Integer(),
  status: Type.String(),
  createdAt: Type.String(),
  createdBy: Type.String(),
  departments: Type.Array(
    Type.Object({ id: Type.Integer(), name: Type.String(), nameEn: Nullable(Type.String()) }),
    { description: '认定部门（已绑定时只有这些部门可办理列入）/ Listing authority departments, when bound' },
  ),
});

export const ListTypeDepartmentsBody = Type.Object(
  { departments: Type.Array(Type.Integer({ minimum: 1 }), { maxItems: 100 }) },
  { additionalProperties: false },
);

export const PublicListTypeSchema = Type.Object({
  ...ListTypeSchema.properties,
  activeEntries: Type.Integer(),
});

export const CodeParams = Type.Object({ code: Type.String({ maxLength: 40 }) });
export const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });
export const RefParams = Type.Object({ ref: Type.String({ minLength: 1, maxLength: 40 }) });
export const AtQuery = Type.Object({ at: Type.Optional(Type.String()) });

export const ProposeBody = Type.Object(
  {
    listType: Type.String({ minLength: 1, maxLength: 40 }),
    subject: Type.String({ minLength: 1, maxLength: 40, description: 'USCC, citizen ID or S<id>' }),
    summary: Type.String({ minLength: 1, maxLength: 4000 }),
    facts: Type.Array(
      Type.Object(
        {
          recordId: Type.Optional(Type.Integer({ minimum: 1 })),
          docNo: Type.Optional(Type.String({ maxLength: 200 })),
          title: Type.Optional(Type.String({ maxLength: 500 })),
          date: Type.Optional(DateString),
          issuedBy: Type.Optional(Type.String({ maxLength: 200 })),
        },
        { additionalProperties: false },
      ),
      { maxItems: 100 },
    ),
    parties: Type.Optional(
      Type.Array(
        Type.Object(
          {
            subject: Type.String({ minLength: 1, maxLength: 40 }),
            role: Type.Enum([...PARTY_ROLES]),
            note: Type.Optional(Type.String({ maxLength: 500 })),
          },
          { additionalProperties: false },
        ),
        { maxItems: 50 },
      ),
    ),
  },
  { additionalProperties: false },
);

export const NotifyBody = Type.Object(
  {
    notifiedOn: Type.Optional(DateString),
    noticeNo: Type.String({ minLength: 1, maxLength: 200, description: '列入告知书文号' }),
    repairNoticeNo: Type.String({
      minLength: 1,
      maxLength: 200,
      description: '信用修复告知书文号（两书同达）',
    }),
    channel: Type.Optional(Type.String({ maxLength: 100 })),
  },
  { additionalProperties: false },
);

export const StatementBody = Type.Object(
  {
    text: Type.Optional(Type.String({ maxLength: 20000 })),
    waived: Type.Optional(Type.Boolean()),
    waiverDocNo: Type.Optional(
      Type.String({
        maxLength: 200,
        description:
          '当事人签署的放弃陈述申辩书文号（代为登记放弃时必填）/ The waiver the subject signed (required when recorded for it)',
      }),
    ),
    attachments: Type.Optional(Type.Array(Type.String({ maxLength: 500 }), { maxItems: 20 })),
  },
  { additionalProperties: false },
);

export const DecideBody = Type.Object(
  {
    outcome: Type.Enum(['list', 'not_list']),
    decisionNo: Type.String({ minLength: 1, maxLength: 200 }),
    reasons: Type.String({ minLength: 1, maxLength: 20000 }),
    periodMonths: Type.Optional(Type.Integer({ minimum: 1, maximum: 240 })),
  },
  { additionalProperties: false },
);

export const WithdrawBody = Type.Object(
  { reason: Type.String({ minLength: 1, maxLength: 2000 }) },
  { additionalProperties: false },
);

export const EndBody = Type.Object(
  { reason: Type.Enum([...END_REASONS]), note: Type.Optional(Type.String({ maxLength: 2000 })) },
  { additionalProperties: false },
);

export const EntryListQuery = Type.Object({
  listType: Type.Optional(Type.String({ maxLength: 40 })),
  stage: Type.Optional(Type.Enum([...ENTRY_STAGES])),
  limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
  offset: Type.Integer({ minimum: 0, default: 0 }),
});

export const PublicSearchQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 100 })),
  at: Type.Optional(Type.String()),
  limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
  offset: Type.Integer({ minimum: 0, maximum: 10000, default: 0 }),
});

export const EntryViewSchema = Type.Object({
  id: Type.Integer(),
  listType: Type.Object({
    code: Type.String(),
    version: Type.Integer(),
    nameZh: Type.String(),
    nameEn: Type.String(),
    kind: Type.String(),
    domain: Type.String(),
    public: Type.Boolean(),
    basisStatus: Type.String(),
  }),
  subject: Type.Object({
    ref: Type.String(),
    name: Type.String(),
    type: Type.String(),
    uscc: Nullable(Type.String()),
    idMasked: Nullable(Type.String()),
  }),
  department: Type.Object({
    id: Type.Integer(),
    name: Nullable(Type.String()),
    nameEn: Nullable(
      Type.String({ description: '部门英文名称（未登记时为 null）/ English name, null when none' }),
    ),
  }),
  stage: Type.String(),
  status: Type.String(),
  summary: Type.String(),
  facts: Type.Array(
    Type.Object({
      kind: Type.String(),
      recordId: NullableInt,
      itemCode: Nullable(Type.String()),
      docNo: Nullable(Type.String()),
      title: Nullable(Type.String()),
      date: Nullable(Type.String()),
      issuedBy: Nullable(Type.String()),
      severity: Nullable(Type.String()),
    }),
  ),
  parties: Type.Array(
    Type.Object({
      ref: Type.String(),
      name: Nullable(Type.String()),
      type: Type.String(),
      uscc: Nullable(Type.String()),
      idMasked: Nullable(Type.String()),
      role: Type.String(),
      roleLabel: Bilingual,
      note: Nullable(Type.String()),
    }),
  ),
  proposedAt: Type.String(),
  notice: Type.Union([
    Type.Object({
      notifiedOn: Type.String(),
      noticeNo: Nullable(Type.String()),
      repairNoticeNo: Nullable(Type.String()),
      statementDeadline: Nullable(Type.String()),
    }),
    Type.Null(),
  ]),
  statementAt: Nullable(Type.String()),
  waivedAt: Nullable(Type.String()),
  decision: Type.Union([
    Type.Object({
      decidedAt: Type.String(),
      decisionNo: Nullable(Type.String()),
      reasons: Nullable(Type.String()),
      periodMonths: NullableInt,
    }),
    Type.Null(),
  ]),
  effectiveFrom: Nullable(Type.String()),
  effectiveUntil: Nullable(Type.String()),
  reviewOn: Nullable(Type.String()),
  earliestExit: Nullable(Type.String()),
  publishedAt: Nullable(Type.String()),
  endedAt: Nullable(Type.String()),
  endReason: Nullable(Type.String()),
  endNote: Nullable(Type.String()),
  legalBasis: Type.Array(LegalBasisSchema),
  exitConditions: Bilingual,
  steps: Type.Optional(
    Type.Array(
      Type.Object({
        step: Type.String(),
        at: Type.String(),
        actor: Type.String(),
        data: Type.Record(Type.String(), Type.Unknown()),
      }),
    ),
  ),
  statementOpen: Type.Optional(
    Type.Boolean({
      description:
        '仅本主体视图：现在可否提交陈述申辩（本主体的记录、已告知、尚未陈述或放弃、期限未满；查看过去时点时为 false）/ Own view only: whether the caller may submit its statement now (its own entry, notified, nothing stated yet, period not over; false in a view of a past instant)',
    }),
  ),
});

export const EntryPageSchema = Type.Object({ items: Type.Array(EntryViewSchema), more: Type.Boolean() });
