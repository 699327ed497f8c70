import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { readCtx } from '../../platform/platform';
import { myCredit, myReads } from './me.service';
import { Nullable } from '../../platform/schema';

const ReadsQuery = Type.Object(
  {
    limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
    before: Type.Optional(
      Type.Integer({ minimum: 1, description: '只返回 seq 小于此值的读取 / only reads with seq below this' }),
    ),
  },
  { additionalProperties: false },
);

const ReadSchema = Type.Object({
  seq: Type.Integer(),
  at: Type.String(),
  type: Type.String(),
  who: Type.Object({
    kind: Type.String(),
    name: Nullable(Type.String()),
    department: Nullable(Type.String()),
    departmentEn: Nullable(
      Type.String({ description: '部门英文名称（未登记时为 null）/ English name, null when none' }),
    ),
    /** `webhook`: data delivered to this subscriber's webhook (the reader is the subscriber). */
    via: Type.Optional(Type.Literal('webhook')),
  }),
  purpose: Nullable(Type.String()),
  scenario: Type.Optional(
    Type.Object(
      { code: Type.String(), nameZh: Type.String(), nameEn: Type.String() },
      { description: '联合奖惩核查的场景 / the scenario of a joint check' },
    ),
  ),
  fields: Type.Array(Type.String()),
  recordIds: Type.Array(Type.Integer()),
});

const FieldSchema = Type.Object({
  key: Type.String(),
  label: Type.String(),
  visibility: Type.String(),
  value: Type.Unknown(),
  masked: Type.Boolean(),
});

const CreditSchema = Type.Object({
  at: Type.String(),
  subject: Type.Object({
    ref: Type.String(),
    type: Type.String(),
    name: Type.String(),
    uscc: Nullable(Type.String()),
    orgCode: Nullable(Type.String()),
    regNo: Nullable(Type.String()),
    idMasked: Nullable(Type.String()),
    region: Nullable(Type.String()),
    legalRep: Nullable(Type.String()),
    status: Type.String(),
    establishedOn: Nullable(Type.String()),
    origin: Type.String(),
    createdAt: Type.String(),
  }),
  records: Type.Array(
    Type.Object({
      id: Type.Integer(),
      item: Type.Object({
        code: Type.String(),
        version: Type.Integer(),
        nameZh: Type.String(),
        nameEn: Type.String(),
      }),
      categoryCode: Type.String(),
      departmentId: Type.Integer(),
      docNo: Type.String(),
      decisionDate: Type.String(),
      severity: Nullable(Type.String()),
      windowFrom: Type.String(),
      windowUntil: Nullable(Type.String()),
      version: Type.Integer(),
      stopKind: Nullable(Type.String()),
      stoppedAt: Nullable(Type.String()),
      fields: Type.Array(FieldSchema),
      versions: Type.Array(
        Type.Object({
          version: Type.Integer(),
          decisionDate: Type.String(),
          severity: Nullable(Type.String()),
          windowFrom: Type.String(),
          windowUntil: Nullable(Type.String()),
          changeKind: Type.String(),
          changeReason: Nullable(Type.String()),
          recordedAt: Type.String(),
          fields: Type.Array(FieldSchema),
        }),
      ),
      stops: Type.Array(
        Type.Object({
          kind: Type.String(),
          reason: Type.String(),
          effectiveAt: Type.String(),
          recordedAt: Type.String(),
          liftedAt: Nullable(Type.String()),
        }),
      ),
    }),
  ),
  moreRecords: Type.Boolean(),
  lists: Type.Array(Type.Unknown()),
});

/** A subject's own account: what is held on it, and who read its non-public data. */
export async function meRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const p = app.platform;
  const tags = ['me'];

  app.get(
    '/api/v1/me/reads',
    {
      config: { access: ['subject'] },
      schema: {
        tags,
        summary: '谁读取了本主体的非公开数据 / Who read my non-public data',
        querystring: ReadsQuery,
        response: {
          200: Type.Object({
            items: Type.Array(ReadSchema),
            more: Type.Boolean(),
            nextBefore: Nullable(Type.Integer()),
          }),
        },
      },
    },
    async (request) =>
      myReads(readCtx(p, request), { limit: request.query.limit, before: request.query.before }),
  );

  app.get(
    '/api/v1/me/credit',
    {
      config: { access: ['subject'] },
      schema: {
        tags,
        summary: '平台掌握的本主体全部信息 / Everything held on my subject',
        response: { 200: CreditSchema },
      },
    },
    async (request) => myCredit(readCtx(p, request), p.crypto),
  );
}
