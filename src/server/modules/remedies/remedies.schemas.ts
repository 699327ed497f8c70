import { Type } from 'typebox';
import { Nullable } from '../../platform/schema';

const NullInt = Nullable(Type.Integer());
const Bilingual = Type.Object({ zh: Type.String(), en: Type.String() });

export const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });
export const FileParams = Type.Object({
  id: Type.Integer({ minimum: 1 }),
  fileId: Type.Integer({ minimum: 1 }),
});
export const CodeParams = Type.Object({ code: Type.String({ minLength: 4, maxLength: 40 }) });

export const TargetQuery = Type.Object(
  {
    recordId: Type.Optional(Type.Integer({ minimum: 1 })),
    entryId: Type.Optional(Type.Integer({ minimum: 1 })),
  },
  { additionalProperties: false },
);

export const EligibilitySchema = Type.Object({
  eligible: Type.Boolean(),
  code: Type.Optional(Type.String()),
  from: Type.Optional(Type.String()),
  rule: Type.Optional(Type.String()),
  state: Type.Optional(Type.String()),
  basis: Type.Optional(Bilingual),
  message: Bilingual,
});

/** What names a record or list entry: item or list type, document number, date. */
const Labels = {
  label: Type.String(),
  labelEn: Nullable(
    Type.String({ description: '英文说明（无英文名称时为 null）/ the label in English, null when none' }),
  ),
};

/** The record or list entry a repair is about. */
const TargetSchema = Type.Object({ kind: Type.String(), recordId: NullInt, entryId: NullInt, ...Labels });

export const EligibilityResponse = Type.Object({
  target: TargetSchema,
  ownSubject: Type.Boolean(),
  eligibility: EligibilitySchema,
  clocks: Type.Object({
    forwardDays: Type.Integer(),
    decideDays: Type.Integer(),
    extensionDays: Type.Integer(),
  }),
  free: Type.Boolean({ description: '信用修复免费 / repair is free of charge' }),
});

export const DraftBody = Type.Object(
  {
    recordId: Type.Optional(Type.Integer({ minimum: 1 })),
    entryId: Type.Optional(Type.Integer({ minimum: 1 })),
    statement: Type.String({
      minLength: 2,
      maxLength: 4000,
      description: '纠正失信行为、履行义务的情况 / how the conduct was corrected',
    }),
    agent: Type.Optional(
      Type.Object(
        {
          name: Type.String({
            minLength: 2,
            maxLength: 100,
            description: '受托代理人姓名或名称 / the agent',
          }),
          subject: Type.String({
            minLength: 1,
            maxLength: 40,
            description:
              '委托主体的统一社会信用代码、身份证号码或 S<编号> / the code of the subject represented',
          }),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

export const SubmitBody = Type.Object(
  {
    acceptCommitment: Type.Boolean({
      description: '已阅读并接受信用修复承诺书 / the commitment letter is accepted',
    }),
    commitmentSha256: Type.Optional(Type.String({ pattern: '^[0-9a-fA-F]{64}$' })),
  },
  { additionalProperties: false },
);

export const ReasonBody = Type.Object(
  { reason: Type.String({ minLength: 2, maxLength: 2000 }) },
  { additionalProperties: false },
);
export const NoteBody = Type.Object(
  { note: Type.Optional(Type.String({ maxLength: 2000 })) },
  { additionalProperties: false },
);

export const DecisionBody = Type.Object(
  {
    outcome: Type.Enum(['granted', 'refused']),
    reasons: Type.String({ minLength: 2, maxLength: 4000 }),
    lateReason: Type.Optional(
      Type.String({
        minLength: 2,
        maxLength: 2000,
        description: '逾期决定须说明原因 / required after the deadline',
      }),
    ),
  },
  { additionalProperties: false },
);

const Pending = Type.Union([
  Type.Object({
    stage: Type.String(),
    due: Type.String(),
    overdue: Type.Boolean(),
    workingDaysLate: Type.Integer(),
  }),
  Type.Null(),
]);

export const ApplicationSchema = Type.Object({
  id: Type.Integer(),
  queryCode: Nullable(Type.String()),
  status: Type.String(),
  statusLabel: Bilingual,
  target: TargetSchema,
  subject: Type.Object({ ref: Type.String() }),
  departmentId: Type.Integer(),
  applicant: Type.Object({ kind: Type.String(), agentName: Nullable(Type.String()) }),
  statement: Type.String(),
  commitment: Type.Object({
    text: Type.String(),
    sha256: Type.String(),
    acceptedAt: Nullable(Type.String()),
  }),
  files: Type.Array(
    Type.Object({
      id: Type.Integer(),
      kind: Type.String(),
      filename: Type.String(),
      mediaType: Type.String(),
      size: Type.Integer(),
      sha256: Type.String(),
      uploadedAt: Type.String(),
    }),
  ),
  steps: Type.Array(
    Type.Object({
      step: Type.String(),
      at: Type.String(),
      actor: Type.String(),
      due: Nullable(Type.String()),
      late: Type.Boolean(),
      data: Type.Record(Type.String(), Type.Unknown()),
    }),
  ),
  clock: Type.Object({
    appliedOn: Nullable(Type.String()),
    answerDue: Nullable(Type.String()),
    receivedOn: Nullable(Type.String()),
    decideDue: Nullable(Type.String()),
    extended: Type.Boolean(),
    extensionReason: Nullable(Type.String()),
    pending: Pending,
  }),
  decision: Type.Union([
    Type.Object({
      decidedAt: Type.String(),
      reasons: Nullable(Type.String()),
      late: Type.Boolean(),
      lateReason: Nullable(Type.String()),
    }),
    Type.Null(),
  ]),
  closedReason: Nullable(Type.String()),
  createdAt: Type.String(),
  effects: Type.Optional(
    Type.Object({
      recordStopped: NullInt,
      sharingStopped: NullInt,
      entriesEnded: Type.Array(Type.Integer()),
      entriesKept: Type.Array(Type.Object({ entryId: Type.Integer(), reason: Type.String() })),
      recomputeMarked: Type.Array(Type.String()),
    }),
  ),
});

export const QueueQuery = Type.Object(
  {
    overdue: Type.Boolean({ default: false }),
    limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
  },
  { additionalProperties: false },
);

export const PublicStatusSchema = Type.Object({
  queryCode: Type.String(),
  kind: Type.String(),
  information: Type.Union([Bilingual, Type.Null()]),
  status: Type.String(),
  statusLabel: Bilingual,
  appliedOn: Nullable(Type.String()),
  answerDue: Nullable(Type.String()),
  receivedOn: Nullable(Type.String()),
  decideDue: Nullable(Type.String()),
  extended: Type.Boolean(),
  decidedOn: Nullable(Type.String()),
  pending: Pending,
  steps: Type.Array(
    Type.Object({
      step: Type.String(),
      on: Type.String(),
      due: Nullable(Type.String()),
      late: Type.Boolean(),
    }),
  ),
  free: Type.Boolean(),
});

export const PolicySchema = Type.Object(
  {
    forwardDays: Type.Integer({ minimum: 1, maximum: 60 }),
    decideDays: Type.Integer({ minimum: 1, maximum: 60 }),
    extensionDays: Type.Integer({ minimum: 0, maximum: 60 }),
    objectionDays: Type.Integer({ minimum: 1, maximum: 60 }),
    maxFileBytes: Type.Integer({ minimum: 1024, maximum: 104857600 }),
    maxFiles: Type.Integer({ minimum: 1, maximum: 100 }),
    nonRepairableItems: Type.Array(
      Type.Object(
        { id: Type.String({ minLength: 1 }), itemCodes: Type.Array(Type.String()), basis: Bilingual },
        { additionalProperties: false },
      ),
    ),
    nonRepairableValues: Type.Array(
      Type.Object(
        {
          id: Type.String({ minLength: 1 }),
          itemCode: Type.String(),
          field: Type.String(),
          values: Type.Array(Type.String()),
          basis: Bilingual,
        },
        { additionalProperties: false },
      ),
    ),
    periods: Type.Unknown(),
  },
  { additionalProperties: false },
);

export const PolicyBody = Type.Partial(PolicySchema);

export const ObjectionBody = Type.Object(
  {
    recordId: Type.Optional(Type.Integer({ minimum: 1 })),
    applicationId: Type.Optional(Type.Integer({ minimum: 1 })),
    ground: Type.Enum(['content', 'classification', 'period', 'repair_decision']),
    statement: Type.String({ minLength: 2, maxLength: 4000 }),
  },
  { additionalProperties: false },
);

export const ResolveBody = Type.Object(
  {
    outcome: Type.Enum(['confirmed', 'corrected', 'withdrawn', 'overturned']),
    reasons: Type.String({ minLength: 2, maxLength: 4000 }),
    lateReason: Type.Optional(Type.String({ minLength: 2, maxLength: 2000 })),
    correction: Type.Optional(
      Type.Object(
        {
          payload: Type.Record(Type.String(), Type.Unknown()),
          severity: Type.Optional(Type.Union([Type.Enum(['MINOR', 'GENERAL', 'SERIOUS']), Type.Null()])),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

export const ObjectionSchema = Type.Object({
  id: Type.Integer(),
  subject: Type.Object({ ref: Type.String() }),
  recordId: NullInt,
  applicationId: NullInt,
  departmentId: Type.Integer(),
  ground: Type.String(),
  statement: Type.String(),
  openedAt: Type.String(),
  openedOn: Type.String(),
  due: Type.String(),
  overdue: Type.Boolean(),
  status: Type.String(),
  outcome: Nullable(Type.String()),
  outcomeReasons: Nullable(Type.String()),
  resolvedAt: Nullable(Type.String()),
  late: Type.Union([Type.Boolean(), Type.Null()]),
  lateReason: Nullable(Type.String()),
  resultVersion: NullInt,
  record: Type.Union([Type.Object(Labels), Type.Null()], {
    description:
      '被异议的信用记录：事项、文书号、日期（异议修复决定时为 null）/ the contested record: item, document number, date (null for an objection to a repair decision)',
  }),
});

export const ObjectionQueueQuery = Type.Object(
  {
    status: Type.Optional(Type.Enum(['open', 'closed'])),
    overdue: Type.Boolean({ default: false }),
    limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
  },
  { additionalProperties: false },
);

export const MyRecordsSchema = Type.Object({
  subject: Type.Object({ ref: Type.String(), name: Type.String() }),
  records: Type.Array(
    Type.Object({
      id: Type.Integer(),
      itemCode: Type.String(),
      docNo: Type.String(),
      decisionDate: Type.String(),
      severity: Nullable(Type.String()),
      windowFrom: Type.String(),
      windowUntil: Nullable(Type.String()),
      version: Type.Integer(),
      state: Type.String(),
      disputed: Type.Boolean(),
      eligibility: EligibilitySchema,
    }),
  ),
});
