import { Type } from 'typebox';
import { Nullable } from '../../platform/schema';

export const FeedQuery = Type.Object(
  {
    after: Type.Optional(
      Type.String({
        maxLength: 64,
        description:
          '上一页返回的 next 游标；省略则从头开始 / the `next` cursor of the previous page; omit to start at the beginning',
      }),
    ),
    limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
  },
  { additionalProperties: false },
);

const FeedEventSchema = Type.Object(
  {
    v: Type.Literal(1),
    seq: Type.Integer(),
    type: Type.String(),
    at: Type.String(),
    subject: Type.Object({}, { additionalProperties: true }),
    record: Type.Optional(Type.Object({}, { additionalProperties: true })),
    listEntry: Type.Optional(Type.Object({}, { additionalProperties: true })),
    objection: Type.Optional(Type.Object({}, { additionalProperties: true })),
    keyId: Type.String(),
    sig: Type.String(),
  },
  { additionalProperties: true },
);

export const FeedPageSchema = Type.Object(
  {
    v: Type.Literal(1),
    origin: Type.String(),
    scope: Type.String(),
    after: Nullable(Type.String()),
    next: Type.String(),
    more: Type.Boolean(),
    issuedAt: Type.String(),
    events: Type.Array(FeedEventSchema),
    keyId: Type.String(),
    sig: Type.String(),
  },
  { description: '每个事件和整页均有 Ed25519 签名 / every event and the page are Ed25519-signed' },
);

export const HeadSchema = Type.Object({
  cursor: Type.String(),
  seq: Type.Integer(),
  scope: Type.String(),
  keysUrl: Type.String(),
});

const PurposeField = Type.String({
  description:
    '读取共享数据的用途，4–200 个字符；共享范围（scope=shared，持 feed:shared 的密钥默认即是）必填，每次推送的读取记录载明该用途，主体可见；公开范围忽略 / ' +
    'Why the shared data is read, 4–200 characters: required in the shared scope (the default for keys with feed:shared); ' +
    "every delivery's read event carries it and the subject sees it; ignored in the public scope",
});

export const SubscriptionBody = Type.Object(
  {
    url: Type.String({
      minLength: 8,
      maxLength: 2000,
      description: 'https://… 接收推送的地址 / where pages are POSTed',
    }),
    description: Type.String({ minLength: 2, maxLength: 500 }),
    scope: Type.Optional(Type.Enum(['public', 'shared'])),
    purpose: Type.Optional(PurposeField),
    from: Type.Optional(Type.Enum(['now', 'beginning'])),
    after: Type.Optional(
      Type.String({ maxLength: 64, description: '从该游标之后开始 / start after this cursor' }),
    ),
  },
  { additionalProperties: false },
);

export const PurposeBody = Type.Object({ purpose: PurposeField }, { additionalProperties: false });

export const SubscriptionSchema = Type.Object({
  id: Type.Integer(),
  url: Type.String(),
  scope: Type.String(),
  description: Type.String(),
  purpose: Nullable(Type.String(), {
    description:
      '共享范围的读取用途；公开范围为 null / the purpose of a shared-scope subscription; null for public',
  }),
  purposeStated: Type.Boolean({
    description:
      '用途由订阅者说明（false：升级前创建的共享订阅，尚未说明）/ stated by the subscriber (false: a shared subscription from before the upgrade that has not stated one)',
  }),
  status: Type.String(),
  cursor: Type.String(),
  cursorSeq: Type.Integer(),
  attempts: Type.Integer(),
  nextAttemptAt: Type.String(),
  lastError: Nullable(Type.String()),
  lastSuccessAt: Nullable(Type.String()),
  deadAt: Nullable(Type.String()),
  createdBy: Type.String(),
  createdAt: Type.String(),
});

export const DeliverySchema = Type.Object({
  id: Type.Integer(),
  firstSeq: Type.Integer(),
  lastSeq: Type.Integer(),
  events: Type.Integer(),
  attempt: Type.Integer(),
  outcome: Type.String(),
  statusCode: Nullable(Type.Integer()),
  error: Nullable(Type.String()),
  durationMs: Type.Integer(),
  at: Type.String(),
});

export const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });

export const ConsistencyBody = Type.Object(
  {
    subjects: Type.Array(Type.String({ minLength: 1, maxLength: 40 }), { minItems: 1, maxItems: 1000 }),
    records: Type.Array(
      Type.Object(
        {
          id: Type.Integer({ minimum: 1 }),
          version: Type.Integer({ minimum: 1 }),
          state: Type.String({ minLength: 1, maxLength: 40 }),
        },
        { additionalProperties: false },
      ),
      { maxItems: 20000 },
    ),
  },
  { additionalProperties: false },
);

export const ConsistencySchema = Type.Object({
  at: Type.String(),
  asOfSeq: Type.Integer(),
  consistent: Type.Boolean(),
  subjects: Type.Array(Type.Object({ ref: Type.String(), records: Type.Integer() })),
  differences: Type.Array(Type.Object({}, { additionalProperties: true })),
});
