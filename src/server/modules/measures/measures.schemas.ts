import { Type } from 'typebox';
import { PARTY_ROLES } from '../../../domain/lists';
import { SUBJECT_TYPES } from '../../../domain/subject-types';
import { Nullable } from '../../platform/schema';

const Bilingual = Type.Object({ zh: Type.String(), en: Type.String() });

const LegalBasisSchema = Type.Object({
  instrument: Type.String(),
  article: Type.Optional(Type.String()),
  rank: Type.String(),
  note: Type.Optional(Type.String()),
});

const TriggerSchema = Type.Object({
  kind: Type.String(),
  listType: Type.Optional(Type.String()),
  itemCode: Type.Optional(Type.String()),
  minSeverity: Type.Optional(Type.String()),
  model: Type.Optional(Type.String()),
  grades: Type.Optional(Type.Array(Type.String())),
});

const LiftSchema = Type.Object({ kind: Type.String(), months: Type.Optional(Type.Integer()) });

/** Loose on purpose: the gate reports what is wrong, naming each field, in both languages. */
export const MeasureBody = Type.Object(
  {
    code: Type.String({ maxLength: 40 }),
    nameZh: Type.String({ maxLength: 200 }),
    nameEn: Type.String({ maxLength: 200 }),
    content: Type.Object({
      zh: Type.Optional(Type.String({ maxLength: 4000 })),
      en: Type.Optional(Type.String({ maxLength: 4000 })),
    }),
    kind: Type.String({ maxLength: 20, description: 'restriction | incentive' }),
    class: Type.Integer({ description: '1 | 2 | 3' }),
    reducesRights: Type.Optional(Type.Boolean()),
    legalBasis: Type.Array(
      Type.Object({
        instrument: Type.Optional(Type.String({ maxLength: 500 })),
        article: Type.Optional(Type.String({ maxLength: 200 })),
        rank: Type.Optional(Type.String({ maxLength: 40 })),
        note: Type.Optional(Type.String({ maxLength: 1000 })),
      }),
      { maxItems: 20 },
    ),
    triggers: Type.Array(
      Type.Object(
        {
          kind: Type.String({ maxLength: 40 }),
          listType: Type.Optional(Type.String({ maxLength: 40 })),
          itemCode: Type.Optional(Type.String({ maxLength: 64 })),
          minSeverity: Type.Optional(Type.String({ maxLength: 20 })),
          model: Type.Optional(Type.String({ maxLength: 64 })),
          grades: Type.Optional(Type.Array(Type.String({ maxLength: 20 }), { maxItems: 20 })),
        },
        { additionalProperties: false },
      ),
      { maxItems: 50 },
    ),
    scenarios: Type.Array(Type.String({ maxLength: 40 }), { maxItems: 50 }),
    subjectTypes: Type.Optional(
      Type.Array(Type.String({ maxLength: 40, description: SUBJECT_TYPES.join(' | ') }), { maxItems: 10 }),
    ),
    implementingBodies: Type.Array(Type.String({ maxLength: 200 }), { maxItems: 50 }),
    lift: Type.Optional(
      Type.Object({ kind: Type.String({ maxLength: 40 }), months: Type.Optional(Type.Integer()) }),
    ),
    liftNote: Type.Optional(
      Type.Object({ zh: Type.Optional(Type.String()), en: Type.Optional(Type.String()) }),
    ),
    status: Type.Optional(Type.String({ maxLength: 20 })),
    reachesRoles: Type.Optional(
      Type.Array(Type.String({ maxLength: 40, description: PARTY_ROLES.join(' | ') }), {
        maxItems: 10,
        description:
          'Related-party roles the measure also reaches (restrictions on a law or administrative regulation only; default none)',
      }),
    ),
  },
  { additionalProperties: false },
);

export const MeasureSchema = Type.Object({
  code: Type.String(),
  version: Type.Integer(),
  currentVersion: Type.Integer(),
  nameZh: Type.String(),
  nameEn: Type.String(),
  content: Bilingual,
  kind: Type.String(),
  class: Type.Integer(),
  reducesRights: Type.Boolean(),
  legalBasis: Type.Array(LegalBasisSchema),
  triggers: Type.Array(TriggerSchema),
  scenarios: Type.Array(Type.String()),
  subjectTypes: Type.Array(Type.String()),
  implementingBodies: Type.Array(Type.String()),
  lift: LiftSchema,
  liftNote: Bilingual,
  status: Type.String(),
  reachesRoles: Type.Array(Type.String()),
  recordedAt: Type.String(),
  recordedBy: Type.String(),
});

export const ScenarioSchema = Type.Object({
  code: Type.String({ pattern: '^[A-Z][A-Z0-9_]{1,39}$' }),
  nameZh: Type.String({ minLength: 1, maxLength: 200 }),
  nameEn: Type.String({ minLength: 1, maxLength: 200 }),
  sort: Type.Integer(),
});

export const CodeParams = Type.Object({ code: Type.String({ maxLength: 40 }) });
export const CheckIdParams = Type.Object({ checkId: Type.String({ format: 'uuid' }) });

export const CheckBody = Type.Object(
  {
    subject: Type.String({ minLength: 1, maxLength: 40, description: 'USCC, citizen ID or S<id>' }),
    scenario: Type.String({ minLength: 1, maxLength: 40 }),
    at: Type.Optional(Type.String({ description: 'ISO 8601 instant (default: now)' })),
  },
  { additionalProperties: false },
);

export const BatchBody = Type.Object(
  {
    subjects: Type.Array(Type.String({ minLength: 1, maxLength: 40 }), { minItems: 1, maxItems: 10_000 }),
    scenario: Type.String({ minLength: 1, maxLength: 40 }),
    at: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);

/** The subject an entry lists, shown on a related party's check (organisations by name and USCC). */
const ListedSubjectSchema = Type.Object({
  ref: Type.String(),
  type: Type.String(),
  name: Nullable(Type.String()),
  uscc: Nullable(Type.String()),
  idMasked: Nullable(Type.String()),
});

/**
 * A list entry or record on the subject, or (`party_entry`) an entry on another subject naming it
 * as a related party: the fields of the one it is.
 */
const factProps = {
  kind: Type.String(),
  entryId: Type.Optional(Type.Integer()),
  listType: Type.Optional(Type.String()),
  listKind: Type.Optional(Type.String()),
  listName: Type.Optional(Bilingual),
  decisionNo: Type.Optional(Nullable(Type.String())),
  decidedOn: Type.Optional(Type.String()),
  effectiveFrom: Type.Optional(Type.String()),
  effectiveUntil: Type.Optional(Nullable(Type.String())),
  recordId: Type.Optional(Type.Integer()),
  itemCode: Type.Optional(Type.String()),
  categoryCode: Type.Optional(Type.String()),
  severity: Type.Optional(Nullable(Type.String())),
  docNo: Type.Optional(Type.String()),
  decisionDate: Type.Optional(Type.String()),
  disclosedFrom: Type.Optional(Type.String()),
  disclosedUntil: Type.Optional(Nullable(Type.String())),
  departmentId: Type.Optional(Type.Integer()),
  departmentName: Type.Optional(Nullable(Type.String())),
  departmentNameEn: Type.Optional(
    Nullable(Type.String({ description: '部门英文名称（未登记时为 null）/ English name, null when none' })),
  ),
  role: Type.Optional(Type.String({ description: PARTY_ROLES.join(' | ') })),
  roleName: Type.Optional(Bilingual),
  listedSubject: Type.Optional(ListedSubjectSchema),
};

const TriggerHitSchema = Type.Object({ ...factProps, appliesUntil: Nullable(Type.String()) });

/** An incentive the subject does not get because it is not clean, and the facts that say so. */
const WithheldSchema = Type.Object({
  code: Type.String(),
  nameZh: Type.String(),
  nameEn: Type.String(),
  reason: Bilingual,
  blockers: Type.Array(Type.Object(factProps)),
});

const CompactTriggerSchema = Type.Object({
  kind: Type.String(),
  id: Nullable(Type.Integer()),
  type: Nullable(Type.String()),
  from: Nullable(Type.String()),
  until: Nullable(Type.String()),
  decidedBy: Nullable(Type.String()),
  /** `party_entry`: the role the checked subject plays on the entry, and the subject listed. */
  role: Type.Optional(Type.String()),
  listedSubject: Type.Optional(ListedSubjectSchema),
});

const AppliedMeasureSchema = Type.Object({
  code: Type.String(),
  nameZh: Type.String(),
  nameEn: Type.String(),
  kind: Type.String(),
  class: Type.Integer(),
  effect: Type.String(),
  legalBasis: Type.Array(LegalBasisSchema),
  implementingBodies: Type.Array(Type.String()),
  lift: LiftSchema,
  liftNote: Bilingual,
  triggers: Type.Array(TriggerHitSchema),
  appliesUntil: Nullable(Type.String()),
});

const ScenarioRef = Type.Object({ code: Type.String(), nameZh: Type.String(), nameEn: Type.String() });

export const CheckResultSchema = Type.Object({
  checkId: Type.String(),
  at: Type.String(),
  scenario: ScenarioRef,
  subject: Type.Object({
    ref: Type.String(),
    name: Type.String(),
    type: Type.String(),
    uscc: Nullable(Type.String()),
    idMasked: Nullable(Type.String()),
  }),
  outcome: Type.String(),
  clean: Type.Boolean(),
  measures: Type.Array(AppliedMeasureSchema),
  withheld: Type.Array(WithheldSchema),
});

export const BatchResultSchema = Type.Object({
  checkId: Type.String(),
  at: Type.String(),
  scenario: ScenarioRef,
  count: Type.Integer(),
  subjectsSha256: Type.String(),
  outcomes: Type.Object({
    allow: Type.Integer(),
    restrict: Type.Integer(),
    review: Type.Integer(),
    unknown: Type.Integer(),
  }),
  measures: Type.Array(
    Type.Object({
      code: Type.String(),
      nameZh: Type.String(),
      nameEn: Type.String(),
      kind: Type.String(),
      class: Type.Integer(),
      effect: Type.String(),
      legalBasis: Type.Array(LegalBasisSchema),
      implementingBodies: Type.Array(Type.String()),
      liftNote: Bilingual,
    }),
  ),
  results: Type.Array(
    Type.Object({
      subject: Type.String(),
      ref: Type.Optional(Type.String()),
      outcome: Type.Optional(Type.String()),
      clean: Type.Optional(Type.Boolean()),
      measures: Type.Optional(
        Type.Array(
          Type.Object({
            code: Type.String(),
            effect: Type.String(),
            appliesUntil: Nullable(Type.String()),
            triggers: Type.Array(CompactTriggerSchema),
          }),
        ),
      ),
      withheld: Type.Optional(
        Type.Array(Type.Object({ code: Type.String(), blockers: Type.Array(CompactTriggerSchema) })),
      ),
      error: Type.Optional(Type.Object({ code: Type.String(), message: Bilingual })),
    }),
  ),
});

export const FeedbackBody = Type.Object(
  {
    measure: Type.String({ minLength: 1, maxLength: 40 }),
    applied: Type.Boolean(),
    reason: Type.String({ minLength: 1, maxLength: 2000 }),
    subject: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
  },
  { additionalProperties: false },
);

export const FeedbackSchema = Type.Object({
  id: Type.Integer(),
  checkId: Type.String(),
  measure: Type.String(),
  subjectRef: Type.String(),
  applied: Type.Boolean(),
});

export const FeedbackStatsSchema = Type.Object({
  measure: Type.String(),
  checksReturningIt: Type.Integer(),
  feedback: Type.Integer(),
  applied: Type.Integer(),
  notApplied: Type.Integer(),
  appliedRate: Nullable(Type.Number()),
  reasonsNotApplied: Type.Array(Type.Object({ reason: Type.String(), count: Type.Integer() })),
});
