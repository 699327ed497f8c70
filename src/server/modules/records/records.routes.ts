import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { actorDepartment } from '../../platform/context';
import { AppError } from '../../platform/errors';
import { parseInstant, sendJsonBody } from '../../platform/http';
import { inTx, readCtx } from '../../platform/platform';
import { findByIdentifier } from '../subjects';
import { statedPurpose } from '../audit';
import { logDataRead, nonPublicFields } from '../me/me.reads';
import { RecordErrors } from './records.errors';
import { browseDisclosed, publicProfile, publicStats } from './records.profile';
import { ProfileCache } from './records.cache';
import { publicDepartments } from './records.departments';
import { Type } from 'typebox';
import type { RecordHeadRow } from './records.repository';
import {
  AtQuery,
  BatchResult,
  BrowseQuerySchema,
  BrowseResponse,
  CodeParams,
  CorrectBody,
  IdParams,
  ListQuery,
  PublicDepartmentsResponse,
  PublicProfileSchema,
  RecordDetailSchema,
  RecordHeadSchema,
  RowOutcomeSchema,
  StopBody,
  SubmitBatchBody,
  SubmitRecordBody,
} from './records.schemas';
import * as svc from './records.service';
import { Nullable } from '../../platform/schema';

const civilToday = svc.civilToday;

function view(r: RecordHeadRow, now: Date) {
  return {
    id: r.id,
    subjectId: r.subject_id,
    itemCode: r.item_code,
    itemVersion: r.item_version,
    categoryCode: r.category_code,
    departmentId: r.department_id,
    docNo: r.doc_no,
    decisionDate: r.decision_date,
    severity: r.severity,
    payload: r.payload,
    windowFrom: r.window_from,
    windowUntil: r.window_until,
    version: r.version,
    stopKind: r.stop_kind,
    stoppedAt: r.stopped_at?.toISOString() ?? null,
    disclosedNow: svc.isDisclosedOn(r, svc.civilToday(now), now),
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

function counts(results: svc.RowOutcome[]) {
  const c = { created: 0, updated: 0, unchanged: 0, rejected: 0 };
  for (const r of results) c[r.outcome]++;
  return c;
}

export async function recordsRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const p = app.platform;
  const tags = ['records'];
  const writers = ['dept_officer', 'platform_admin', 'apikey'] as const;
  const cache = new ProfileCache<Buffer>(p.config.profileCacheEntries, 60_000);
  if (p.config.profileCacheEntries > 0) {
    fastify.addHook('onReady', () => cache.start(p.pool, p.config.cachePollMs));
    fastify.addHook('onClose', async () => cache.stop());
  }

  app.get(
    '/api/v1/public/subjects/:code',
    {
      config: { access: ['public'] },
      schema: {
        tags: ['public'],
        summary: '主体公开信用信息 / Public credit profile',
        description:
          '按统一社会信用代码、身份证号码（精确）或平台编号 S<n> 查询；?at= 重现某一时刻的公示状态。/ ' +
          'By USCC, exact citizen ID or platform ref S<n>; ?at= answers as the platform would have at that instant.',
        params: CodeParams,
        querystring: AtQuery,
        response: { 200: PublicProfileSchema },
      },
    },
    async (request, reply) => {
      // The profile is built field by field as its schema's type (records.profile.ts), so plain
      // JSON.stringify writes only what the schema names (a test checks every form of the answer
      // against it), in a third less time and with far less garbage than the generated serializer.
      const at = parseInstant(request.query.at, request.now);
      if (request.query.at)
        return sendJsonBody(
          reply,
          JSON.stringify(await publicProfile(readCtx(p, request), p.crypto, request.params.code, at)),
        );
      const key = request.params.code.trim().toUpperCase();
      const day = civilToday(at);
      const nowMs = Date.now();
      const hit = cache.get(key, day, nowMs);
      // A cached profile is its body after the leading `{"at":"…",`; the instant is written fresh.
      if (hit) return sendJsonBody(reply, Buffer.concat([Buffer.from(`{"at":"${at.toISOString()}",`), hit]));
      const profile = await publicProfile(readCtx(p, request), p.crypto, request.params.code, at);
      const body = Buffer.from(JSON.stringify(profile));
      if (cache.admits(key)) {
        const head = Buffer.from(`{"at":"${profile.at}",`);
        if (body.subarray(0, head.length).equals(head))
          // A copy: a small body may be a slice of Node's shared buffer pool, which a view would pin.
          cache.set(
            key,
            Number(profile.subject.ref.slice(1)),
            day,
            Buffer.from(body.subarray(head.length)),
            nowMs,
          );
      }
      return sendJsonBody(reply, body);
    },
  );

  app.get(
    '/api/v1/public/stats',
    {
      config: { access: ['public'] },
      schema: {
        tags: ['public'],
        summary: '平台概况 / Headline figures',
        response: {
          200: Type.Object({
            subjects: Type.Integer(),
            disclosedRecords: Type.Integer(),
            departments: Type.Integer(),
            updatedAt: Nullable(Type.String()),
          }),
        },
      },
    },
    async (request) => publicStats(readCtx(p, request)),
  );

  app.get(
    '/api/v1/public/departments',
    {
      config: { access: ['public'] },
      schema: {
        tags: ['public'],
        summary:
          '信息提供部门及其提供的目录事项、公示信息条数 / Providing departments, their catalogue items and disclosed record counts',
        description:
          '计数为当前公示的信息，每分钟更新。/ Counts are of records disclosed now, refreshed every minute.',
        response: { 200: PublicDepartmentsResponse },
      },
    },
    async (request) => publicDepartments(readCtx(p, request)),
  );

  app.get(
    '/api/v1/public/records',
    {
      config: { access: ['public'] },
      schema: {
        tags: ['public'],
        summary: '双公示查询（行政许可、行政处罚）/ Licences and penalties across organisations',
        querystring: BrowseQuerySchema,
        response: { 200: BrowseResponse },
      },
    },
    async (request) => {
      const q = request.query;
      const at = parseInstant(q.at, request.now);
      return browseDisclosed(readCtx(p, request), {
        itemCodes: q.item ? [q.item] : ['XZXK', 'XZCF'],
        departmentId: q.department,
        from: q.from,
        to: q.to,
        q: q.q,
        at,
        limit: q.limit,
        offset: q.offset,
      });
    },
  );

  app.post(
    '/api/v1/records',
    {
      config: { access: [...writers], scopes: ['records:write'] },
      schema: {
        tags,
        summary:
          '提交一条信用记录（按决定文书号幂等）/ Submit one credit record (idempotent by document number)',
        body: SubmitRecordBody,
        response: { 200: RowOutcomeSchema, 201: RowOutcomeSchema },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const result = await inTx(p, request, async (ctx) => {
        const dept = svc.writingDepartment(ctx, body.departmentId);
        const [outcome] = await svc.submitRecords(ctx, p.crypto, dept, [
          { itemCode: body.itemCode, payload: body.payload, severity: body.severity ?? null },
        ]);
        if (outcome?.outcome === 'rejected') throw rowError(outcome.errors, outcome.cause);
        return outcome as svc.RowOutcome;
      });
      return reply.status(result.outcome === 'created' ? 201 : 200).send(result);
    },
  );

  app.post(
    '/api/v1/records/batch',
    {
      config: { access: [...writers], scopes: ['records:write'] },
      schema: {
        tags,
        summary:
          '批量提交（最多 1000 条，逐条返回结果，接受的记录一并提交）/ Submit up to 1,000 records; accepted rows commit together',
        body: SubmitBatchBody,
        response: { 200: BatchResult },
      },
    },
    async (request) => {
      const body = request.body;
      return inTx(p, request, async (ctx) => {
        const dept = svc.writingDepartment(ctx, body.departmentId);
        const results = await svc.submitRecords(
          ctx,
          p.crypto,
          dept,
          body.records.map((r) => ({
            itemCode: r.itemCode,
            payload: r.payload,
            severity: r.severity ?? null,
          })),
        );
        return { results, counts: counts(results) };
      });
    },
  );

  app.get(
    '/api/v1/records',
    {
      config: { access: ['dept_officer', 'dept_reviewer', 'platform_admin', 'auditor', 'apikey'] },
      schema: {
        tags,
        summary: '记录列表（部门只见本部门）/ List records (departments see their own)',
        querystring: ListQuery,
      },
    },
    async (request) => {
      const ctx = readCtx(p, request);
      const purpose = statedPurpose(request);
      const q = request.query;
      const own = actorDepartment(ctx.actor);
      const departmentId = own ?? q.departmentId ?? null;
      let subjectId: number | undefined;
      if (q.subject) {
        const s = await findByIdentifier(ctx, p.crypto, q.subject);
        if (!s) return { items: [], more: false };
        subjectId = s.id;
      }
      const { rows, more } = await svc.listRecords(ctx, {
        departmentId,
        itemCode: q.itemCode,
        docNo: q.docNo,
        subjectId,
        limit: q.limit,
        offset: q.offset,
      });
      // Every non-public read is an event (issue 7): one per request, naming every subject listed.
      await logDataRead(p, request, {
        what: 'records',
        subjectIds: rows.map((r) => r.subject_id),
        recordIds: rows.map((r) => r.id),
        fields: await nonPublicFields(ctx, rows),
        purpose,
      });
      return { items: rows.map((r) => view(r, request.now)), more };
    },
  );

  app.get(
    '/api/v1/records/:id',
    {
      config: { access: ['dept_officer', 'dept_reviewer', 'platform_admin', 'auditor', 'apikey'] },
      schema: {
        tags,
        summary: '记录详情及历史 / Record with history',
        params: IdParams,
        response: { 200: RecordDetailSchema },
      },
    },
    async (request) => {
      const ctx = readCtx(p, request);
      const purpose = statedPurpose(request);
      const h = await svc.getRecordHistory(ctx, request.params.id);
      const own = actorDepartment(ctx.actor);
      if (own !== null && own !== h.head.department_id) throw RecordErrors.NOT_OWN_RECORD();
      await logDataRead(p, request, {
        what: 'record',
        subjectIds: [h.head.subject_id],
        recordIds: [h.head.id],
        fields: await nonPublicFields(ctx, [
          h.head,
          ...h.versions.map((v) => ({ ...v, item_code: h.head.item_code })),
        ]),
        purpose,
      });
      return { record: view(h.head, request.now), versions: h.versions, stops: h.stops };
    },
  );

  app.post(
    '/api/v1/records/:id/corrections',
    {
      config: { access: [...writers], scopes: ['records:write'] },
      schema: {
        tags,
        summary: '更正记录（生成新版本）/ Correct a record (new version)',
        params: IdParams,
        body: CorrectBody,
        response: { 200: RowOutcomeSchema },
      },
    },
    async (request) =>
      inTx(p, request, async (ctx) => {
        const outcome = await svc.correctRecord(ctx, p.crypto, request.params.id, request.body);
        if (outcome.outcome === 'rejected') throw rowError(outcome.errors, outcome.cause);
        if (outcome.outcome === 'unchanged') throw RecordErrors.NO_CHANGE({ field: 'payload' });
        return outcome;
      }),
  );

  app.post(
    '/api/v1/records/:id/stops',
    {
      config: { access: [...writers], scopes: ['records:write'] },
      schema: {
        tags,
        summary:
          '撤回或停止公示（撤回限提供部门；法院裁定等限平台管理员）/ Withdraw (provider) or stop (admin: court order, other)',
        params: IdParams,
        body: StopBody,
        response: { 200: RecordHeadSchema },
      },
    },
    async (request) =>
      inTx(p, request, async (ctx) => {
        const body = request.body;
        if (
          body.kind !== 'withdrawn' &&
          !(ctx.actor.kind === 'user' && ctx.actor.roles.includes('platform_admin'))
        )
          throw RecordErrors.NOT_OWN_RECORD();
        const head = await svc.stopRecord(ctx, request.params.id, {
          kind: body.kind,
          reason: body.reason,
          effectiveAt: body.effectiveAt ? new Date(body.effectiveAt) : undefined,
        });
        return view(head, request.now);
      }),
  );
}

/** A single rejected row becomes a 4xx carrying every field error, the first one's field on top. */
function rowError(errors: svc.FieldError[], cause?: unknown): AppError {
  if (cause instanceof AppError) return cause;
  const first = errors[0];
  return RecordErrors.PAYLOAD_INVALID(
    { field: first?.field, errors, first: first?.message.zh ?? '', firstEn: first?.message.en ?? '' },
    first ? { zh: first.message.zh, en: first.message.en } : undefined,
  );
}
