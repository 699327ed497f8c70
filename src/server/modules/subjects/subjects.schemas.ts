import { Type } from 'typebox';
import { SUBJECT_TYPES } from '../../../domain/subject-types';
import { Nullable } from '../../platform/schema';

export const SubjectTypeSchema = Type.Enum([...SUBJECT_TYPES]);
const Bilingual = Type.Object({ zh: Type.String(), en: Type.String() });

export const SearchQuerystring = Type.Object(
  {
    q: Type.String({
      minLength: 1,
      maxLength: 100,
      description: '名称、代码、拼音或首字母 / name, code, pinyin or initials',
    }),
    at: Type.Optional(Type.String({ description: '按某一时刻作答（ISO 8601）/ answer as of this instant' })),
    type: Type.Optional(Type.Array(SubjectTypeSchema, { maxItems: 8 })),
    region: Type.Optional(Type.String({ pattern: '^\\d{6}$' })),
    category: Type.Optional(
      Type.String({
        pattern: '^[A-Z0-9_]{1,20}$',
        description:
          '目录类别代码：仅返回在该时刻有该类公示信息的主体 / catalogue category code: only subjects with records of it disclosed at that instant',
      }),
    ),
    limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
    offset: Type.Integer({ minimum: 0, maximum: 1000, default: 0 }),
  },
  { additionalProperties: false },
);

export const SearchResponse = Type.Object({
  items: Type.Array(
    Type.Object({
      ref: Type.String({
        description: '平台主体编号，用于打开主体页 / platform reference for the profile URL',
      }),
      type: SubjectTypeSchema,
      typeLabel: Bilingual,
      uscc: Nullable(Type.String()),
      name: Type.String(),
      matchedName: Type.String(),
      region: Nullable(Type.String()),
      status: Type.String(),
    }),
  ),
  more: Type.Boolean(),
  match: Type.Enum(['identifier', 'name', 'pinyin']),
  at: Type.String(),
});

export const SubjectSchema = Type.Object({
  id: Type.Integer(),
  type: SubjectTypeSchema,
  uscc: Nullable(Type.String()),
  orgCode: Nullable(Type.String()),
  regNo: Nullable(Type.String()),
  name: Type.String(),
  region: Nullable(Type.String()),
  legalRep: Nullable(Type.String()),
  status: Type.String(),
  establishedOn: Nullable(Type.String()),
  idMasked: Nullable(Type.String()),
  origin: Type.String(),
  version: Type.Integer(),
  createdAt: Type.String(),
});

export const CreateSubjectBody = Type.Object(
  {
    type: Type.Optional(SubjectTypeSchema),
    uscc: Type.Optional(Type.String({ maxLength: 40 })),
    citizenId: Type.Optional(Type.String({ maxLength: 40 })),
    orgCode: Type.Optional(Type.String({ maxLength: 20 })),
    regNo: Type.Optional(Type.String({ maxLength: 20 })),
    name: Type.String({ minLength: 1, maxLength: 200 }),
    formerNames: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { maxItems: 20 })),
    region: Type.Optional(Type.String({ pattern: '^\\d{6}$' })),
    legalRep: Type.Optional(Type.String({ maxLength: 100 })),
    status: Type.Optional(Type.Enum(['active', 'deregistered', 'revoked', 'cancelled'])),
    establishedOn: Type.Optional(Type.String({ format: 'date' })),
  },
  { additionalProperties: false },
);

export const UpdateSubjectBody = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    region: Type.Optional(Type.String({ pattern: '^\\d{6}$' })),
    legalRep: Type.Optional(Type.String({ maxLength: 100 })),
    status: Type.Optional(Type.Enum(['active', 'deregistered', 'revoked', 'cancelled'])),
    reason: Type.String({ minLength: 1, maxLength: 500 }),
  },
  { additionalProperties: false },
);

export const RefParams = Type.Object({ ref: Type.String({ minLength: 1, maxLength: 40 }) });

export const OverrideBody = Type.Object(
  {
    code: Type.String({ minLength: 9, maxLength: 18 }),
    kind: Type.Enum(['uscc', 'org_code']),
    reason: Type.String({ minLength: 4, maxLength: 500 }),
  },
  { additionalProperties: false },
);
