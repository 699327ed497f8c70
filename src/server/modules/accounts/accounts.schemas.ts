import { Type, type Static } from 'typebox';
import { ROLES } from '../../platform/context';
import { Nullable } from '../../platform/schema';

export const RoleSchema = Type.Enum([...ROLES]);

export const DepartmentSchema = Type.Object({
  id: Type.Integer(),
  uscc: Type.String(),
  name: Type.String(),
  nameEn: Nullable(Type.String()),
  region: Type.String(),
  status: Type.String(),
});

export const CreateDepartmentBody = Type.Object(
  {
    uscc: Type.String({ minLength: 1, maxLength: 40 }),
    name: Type.String({ minLength: 1, maxLength: 200 }),
    nameEn: Type.Optional(Nullable(Type.String({ maxLength: 300 }))),
    region: Type.String({ pattern: '^\\d{6}$' }),
  },
  { additionalProperties: false },
);

export const UserSchema = Type.Object({
  id: Type.Integer(),
  username: Type.String(),
  displayName: Type.String(),
  departmentId: Nullable(Type.Integer()),
  subjectId: Nullable(Type.Integer()),
  roles: Type.Array(RoleSchema),
  status: Type.String(),
});

export const CreateUserBody = Type.Object(
  {
    username: Type.String({ pattern: '^[A-Za-z0-9_.-]{3,64}$' }),
    displayName: Type.String({ minLength: 1, maxLength: 100 }),
    password: Type.String({ minLength: 1, maxLength: 256 }),
    roles: Type.Array(RoleSchema, { minItems: 1, maxItems: 5 }),
    departmentId: Type.Optional(Nullable(Type.Integer())),
    subjectId: Type.Optional(Nullable(Type.Integer())),
  },
  { additionalProperties: false },
);

export const LoginBody = Type.Object(
  {
    username: Type.String({ minLength: 1, maxLength: 64 }),
    password: Type.String({ minLength: 1, maxLength: 256 }),
    /** The 6-digit TOTP code: required for admins, reviewers, auditors and anyone enrolled. */
    totp: Type.Optional(Type.String({ pattern: '^\\d{6}$' })),
  },
  { additionalProperties: false },
);

export const TotpEnrolmentSchema = Type.Object({
  secret: Type.String({ description: 'base32' }),
  otpauthUri: Type.String({ description: 'otpauth://totp/… for an authenticator app (QR code)' }),
});

export const RotateApiKeyBody = Type.Object(
  { graceHours: Type.Integer({ minimum: 0, maximum: 720, default: 24 }) },
  { additionalProperties: false },
);

export const MeSchema = Type.Object({
  user: UserSchema,
  csrfToken: Type.String(),
  department: Type.Union([DepartmentSchema, Type.Null()]),
});

export const ApiKeySchema = Type.Object({
  id: Type.Integer(),
  departmentId: Type.Integer(),
  name: Type.String(),
  prefix: Type.String(),
  scopes: Type.Array(Type.String()),
  createdAt: Type.String(),
  expiresAt: Nullable(Type.String()),
  revokedAt: Nullable(Type.String()),
  replacedBy: Nullable(Type.Integer()),
});

export const CreateApiKeyBody = Type.Object(
  {
    departmentId: Type.Integer(),
    name: Type.String({ minLength: 1, maxLength: 100 }),
    scopes: Type.Array(Type.String({ pattern: '^[a-z.:_-]{1,64}$' }), { maxItems: 32, default: [] }),
    expiresAt: Type.Optional(Nullable(Type.String({ format: 'date-time' }))),
  },
  { additionalProperties: false },
);

export const IdParams = Type.Object({ id: Type.Integer() });

export type CreateDepartmentInput = Static<typeof CreateDepartmentBody>;
