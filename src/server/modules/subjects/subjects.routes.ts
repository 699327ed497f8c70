import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { parseInstant } from '../../platform/http';
import { inTx, readCtx } from '../../platform/platform';
import { statedPurpose } from '../audit';
import { logDataRead } from '../me/me.reads';
import { SubjectErrors } from './subjects.errors';
import {
  CreateSubjectBody,
  OverrideBody,
  RefParams,
  SearchQuerystring,
  SearchResponse,
  SubjectSchema,
  UpdateSubjectBody,
} from './subjects.schemas';
import * as svc from './subjects.service';

/** Registry fields the public profile does not show. */
const REGISTRY_SHARED_FIELDS = ['regNo', 'origin'] as const;

export async function subjectsRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const p = app.platform;
  const tags = ['subjects'];

  app.get(
    '/api/v1/public/subjects',
    {
      config: { access: ['public'] },
      schema: {
        tags: ['public'],
        summary: '查询主体 / Search subjects',
        description:
          '按统一社会信用代码等精确代码查找任何主体；按名称（≥2 个汉字）、全拼或首字母查找组织。自然人只能按身份证号码精确查找。/ ' +
          'Exact codes find any subject; names (≥ 2 Chinese characters), full pinyin or initials find organisations. ' +
          'Natural persons are found by exact ID number only.',
        querystring: SearchQuerystring,
        response: { 200: SearchResponse },
      },
    },
    async (request) => {
      const q = request.query;
      const at = parseInstant(q.at, request.now);
      const result = await svc.searchSubjects(readCtx(p, request), p.crypto, {
        q: q.q,
        at,
        types: q.type,
        region: q.region,
        category: q.category,
        limit: q.limit,
        offset: q.offset,
      });
      return { ...result, at: at.toISOString() };
    },
  );

  app.post(
    '/api/v1/subjects',
    {
      config: { access: ['platform_admin', 'dept_officer', 'apikey'], scopes: ['subjects:write'] },
      schema: {
        tags,
        summary: '登记主体 / Register a subject',
        body: CreateSubjectBody,
        response: { 201: SubjectSchema },
      },
    },
    async (request, reply) => {
      const origin = request.actor.kind === 'apikey' ? 'api' : 'registry';
      const subject = await inTx(p, request, (ctx) =>
        svc.registerSubject(ctx, p.crypto, { ...request.body, origin }),
      );
      return reply.status(201).send(subject);
    },
  );

  app.get(
    '/api/v1/subjects/:ref',
    {
      config: { access: ['platform_admin', 'dept_officer', 'dept_reviewer', 'auditor'] },
      schema: {
        tags,
        summary: '主体登记信息 / Subject registry entry',
        params: RefParams,
        response: { 200: SubjectSchema },
      },
    },
    async (request) => {
      const purpose = statedPurpose(request);
      const s = await svc.findByIdentifier(readCtx(p, request), p.crypto, request.params.ref);
      if (!s) throw SubjectErrors.SUBJECT_NOT_FOUND({ code: request.params.ref });
      // The registry entry beyond the public profile (registration number, origin): a logged read.
      await logDataRead(p, request, {
        what: 'subject',
        subjectIds: [s.id],
        fields: REGISTRY_SHARED_FIELDS.filter((f) => s[f] !== null),
        purpose,
      });
      return s;
    },
  );

  app.post(
    '/api/v1/subjects/:ref/identifier-reads',
    {
      config: { access: ['dept_reviewer', 'platform_admin'] },
      schema: {
        tags,
        summary:
          "查看自然人完整身份证号码（须说明用途，记入日志）/ Read a natural person's full ID number (purpose required, logged)",
        params: RefParams,
        body: Type.Object(
          { purpose: Type.String({ minLength: 4, maxLength: 500 }) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ citizenId: Type.String() }) },
      },
    },
    async (request) =>
      inTx(p, request, async (ctx) => {
        const s = await svc.findByIdentifier(ctx, p.crypto, request.params.ref);
        if (!s || s.type !== 'NATURAL_PERSON')
          throw SubjectErrors.SUBJECT_NOT_FOUND({ code: request.params.ref });
        return { citizenId: await svc.revealIdentifier(ctx, p.crypto, s.id, request.body.purpose) };
      }),
  );

  app.patch(
    '/api/v1/subjects/:ref',
    {
      config: { access: ['platform_admin'] },
      schema: {
        tags,
        summary: '更新主体（更名等）/ Update a subject (rename, …)',
        params: RefParams,
        body: UpdateSubjectBody,
        response: { 200: SubjectSchema },
      },
    },
    async (request) =>
      inTx(p, request, async (ctx) => {
        const s = await svc.findByIdentifier(ctx, p.crypto, request.params.ref);
        if (!s) throw SubjectErrors.SUBJECT_NOT_FOUND({ code: request.params.ref });
        return svc.updateSubject(ctx, s.id, request.body);
      }),
  );

  app.post(
    '/api/v1/identifier-overrides',
    {
      config: { access: ['platform_admin'] },
      schema: {
        tags,
        summary: '登记校验不通过但真实存在的历史代码 / Record a legacy code that fails its checksum',
        body: OverrideBody,
        response: { 200: Type.Object({ code: Type.String(), created: Type.Boolean() }) },
      },
    },
    async (request) => inTx(p, request, (ctx) => svc.addIdentifierOverride(ctx, request.body)),
  );
}
