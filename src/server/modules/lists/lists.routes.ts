import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { parseInstant } from '../../platform/http';
import { inTx, readCtx } from '../../platform/platform';
import { logNonPublicRead, statedPurpose, subjectIdsOfRefs } from '../audit';
import * as entries from './lists.entries';
import * as queries from './lists.queries';
import {
  AtQuery,
  CodeParams,
  DecideBody,
  EndBody,
  EntryListQuery,
  EntryPageSchema,
  EntryViewSchema,
  IdParams,
  ListTypeBody,
  ListTypeDepartmentsBody,
  ListTypeSchema,
  NotifyBody,
  ProposeBody,
  PublicListTypeSchema,
  PublicSearchQuery,
  RefParams,
  StatementBody,
  WithdrawBody,
} from './lists.schemas';
import * as types from './lists.types';
import { startPeriodJob, type PeriodJob } from './lists.periods';

/**
 * Lists: list types (configuration, with the legal-basis gate), the listing procedure for
 * departments, the subject's view of its own entries, and the public lists.
 */
export async function listsRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const p = app.platform;
  const tags = ['lists'];
  const department = ['dept_officer', 'dept_reviewer', 'apikey'] as const;
  const readers = ['dept_officer', 'dept_reviewer', 'platform_admin', 'auditor', 'apikey'] as const;

  // Periods that end and reviews that come are steps of their own (lists.periods.ts).
  let periods: PeriodJob | null = null;
  fastify.addHook('onReady', async () => {
    periods = startPeriodJob({
      pool: p.pool,
      clock: p.clock,
      intervalMs: p.config.listsJobMs,
      log: fastify.log,
    });
  });
  fastify.addHook('onClose', async () => periods?.stop());

  // ---- public ----

  app.get(
    '/api/v1/public/lists',
    {
      config: { access: ['public'] },
      schema: {
        tags: ['public'],
        summary: '公开的名单 / Public lists',
        description:
          '名单的设列依据、列入与退出条件、期限，以及当前在列数。/ Basis, conditions, period and entries on the list.',
        querystring: AtQuery,
        response: { 200: Type.Array(PublicListTypeSchema) },
      },
    },
    async (request) =>
      queries.publicListTypes(readCtx(p, request), parseInstant(request.query.at, request.now)),
  );

  app.get(
    '/api/v1/public/lists/:code/entries',
    {
      config: { access: ['public'] },
      schema: {
        tags: ['public'],
        summary: '查询名单 / Search a public list',
        description:
          '组织按名称（至少 2 字）或代码查询；自然人只能按身份证号码精确查询。/ Organisations by name (2+ characters) or code; natural persons only by exact ID number.',
        params: CodeParams,
        querystring: PublicSearchQuery,
        response: {
          200: Type.Object({
            listType: ListTypeSchema,
            items: Type.Array(EntryViewSchema),
            more: Type.Boolean(),
          }),
        },
      },
    },
    async (request) => {
      const q = request.query;
      return queries.searchPublished(readCtx(p, request), p.crypto, request.params.code, {
        q: q.q,
        at: parseInstant(q.at, request.now),
        limit: q.limit,
        offset: q.offset,
      });
    },
  );

  app.get(
    '/api/v1/public/lists/entries/:id',
    {
      config: { access: ['public'] },
      schema: {
        tags: ['public'],
        summary: '名单公示详情（依据、期限）/ A published entry with basis and period',
        params: IdParams,
        querystring: AtQuery,
        response: { 200: EntryViewSchema },
      },
    },
    async (request) =>
      queries.publishedEntry(
        readCtx(p, request),
        request.params.id,
        parseInstant(request.query.at, request.now),
      ),
  );

  app.get(
    '/api/v1/public/subjects/:code/list-entries',
    {
      config: { access: ['public'] },
      schema: {
        tags: ['public'],
        summary: '主体当前在列的公示名单 / A subject’s published entries now on a public list',
        description:
          '主体页“名单信息”标签：已公示且在 at 时点仍在列的名单记录（待决、已退出和不公开的名单不显示）。/ The subject page’s lists tab: entries published and on the list at `at`; pending, ended and non-public entries never appear.',
        params: CodeParams,
        querystring: AtQuery,
        response: {
          200: Type.Object({ at: Type.String(), items: Type.Array(EntryViewSchema) }),
        },
      },
    },
    async (request) =>
      queries.publicEntriesOfSubject(
        readCtx(p, request),
        p.crypto,
        request.params.code,
        parseInstant(request.query.at, request.now),
      ),
  );

  // ---- list types ----

  app.get(
    '/api/v1/list-types',
    {
      config: { access: ['user', 'apikey'] },
      schema: {
        tags,
        summary: '名单类型（含草稿）/ List types, drafts included',
        response: { 200: Type.Array(ListTypeSchema) },
      },
    },
    async (request) => types.listListTypes(readCtx(p, request)),
  );

  app.get(
    '/api/v1/list-types/:code',
    {
      config: { access: ['user', 'apikey'] },
      schema: {
        tags,
        summary: '名单类型（当前或指定版本）/ A list type (current or given version)',
        params: CodeParams,
        querystring: Type.Object({ version: Type.Optional(Type.Integer({ minimum: 1 })) }),
        response: { 200: ListTypeSchema },
      },
    },
    async (request) => types.getListType(readCtx(p, request), request.params.code, request.query.version),
  );

  app.post(
    '/api/v1/list-types',
    {
      config: { access: ['platform_admin'] },
      schema: {
        tags,
        summary: '新设名单类型（依据位阶与公开条件审查）/ Create a list type (legal-basis gate)',
        body: ListTypeBody,
        response: { 201: ListTypeSchema },
      },
    },
    async (request, reply) => {
      const t = await inTx(p, request, (ctx) => types.createListType(ctx, request.body));
      return reply.status(201).send(t);
    },
  );

  app.put(
    '/api/v1/list-types/:code',
    {
      config: { access: ['platform_admin'] },
      schema: {
        tags,
        summary: '修订名单类型（新版本）/ Revise a list type (new version)',
        params: CodeParams,
        body: ListTypeBody,
        response: { 200: ListTypeSchema },
      },
    },
    async (request) =>
      inTx(p, request, (ctx) => types.versionListType(ctx, request.params.code, request.body)),
  );

  app.put(
    '/api/v1/list-types/:code/departments',
    {
      config: { access: ['platform_admin'] },
      schema: {
        tags,
        summary: '指定名单的认定部门 / Bind a list type to its listing authority departments',
        description:
          '绑定后只有这些部门可以提出、送达和决定该名单的列入；空数组解除绑定。/ Once bound, only these departments may propose, notify and decide entries on the list; an empty array removes the binding.',
        params: CodeParams,
        body: ListTypeDepartmentsBody,
        response: { 200: ListTypeSchema },
      },
    },
    async (request) =>
      inTx(p, request, (ctx) =>
        types.setListTypeDepartments(ctx, request.params.code, request.body.departments),
      ),
  );

  // ---- the procedure ----

  app.get(
    '/api/v1/list-entries',
    {
      config: { access: [...readers] },
      schema: {
        tags,
        summary: '名单记录（部门只见本部门）/ Entries (departments see their own)',
        querystring: EntryListQuery,
        response: { 200: EntryPageSchema },
      },
    },
    async (request) => {
      const purpose = statedPurpose(request);
      const page = await queries.listEntries(readCtx(p, request), request.query);
      // Entries include pending and non-public ones: every such read is an event.
      if (page.items.length > 0)
        await logNonPublicRead(p, request, {
          what: 'list_entries',
          entity: `list_entries:${page.items.map((e) => e.id).join(',')}`,
          subjectIds: subjectIdsOfRefs(page.items.map((e) => e.subject.ref)),
          fields: ['list_entry'],
          purpose,
          detail: { entries: page.items.map((e) => e.id) },
        });
      return page;
    },
  );

  app.get(
    '/api/v1/list-entries/:id',
    {
      config: { access: [...readers, 'subject'] },
      schema: {
        tags,
        summary: '名单记录及全部程序步骤 / An entry with every step',
        params: IdParams,
        response: { 200: EntryViewSchema },
      },
    },
    async (request) => {
      const purpose = statedPurpose(request);
      const entry = await queries.getEntry(readCtx(p, request), request.params.id);
      await logNonPublicRead(p, request, {
        what: 'list_entry',
        entity: `list_entry:${entry.id}`,
        subjectIds: subjectIdsOfRefs([entry.subject.ref]),
        fields: ['list_entry'],
        purpose,
        detail: { entries: [entry.id] },
      });
      return entry;
    },
  );

  app.post(
    '/api/v1/list-entries',
    {
      config: { access: ['dept_officer', 'apikey'], scopes: ['lists:write'] },
      schema: {
        tags,
        summary: '提出列入建议（须引用失信事实）/ Propose an entry, citing the facts',
        body: ProposeBody,
        response: { 201: EntryViewSchema },
      },
    },
    async (request, reply) => {
      const view = await inTx(p, request, (ctx) => entries.proposeEntry(ctx, p.crypto, request.body));
      return reply.status(201).send(view);
    },
  );

  app.post(
    '/api/v1/list-entries/:id/notify',
    {
      config: { access: ['dept_officer', 'apikey'], scopes: ['lists:write'] },
      schema: {
        tags,
        summary:
          '告知（列入告知书与信用修复告知书同时送达）/ Notify: the notice and the credit-repair notice together',
        params: IdParams,
        body: NotifyBody,
        response: { 200: EntryViewSchema },
      },
    },
    async (request) => inTx(p, request, (ctx) => entries.notifyEntry(ctx, request.params.id, request.body)),
  );

  app.post(
    '/api/v1/list-entries/:id/statement',
    {
      config: { access: ['subject', 'dept_reviewer', 'apikey'], scopes: ['lists:write'] },
      schema: {
        tags,
        summary:
          '当事人陈述申辩或放弃（本人账户，或由认定部门审核人员、接口代为提交）/ The subject’s statement or waiver (its own account, or a reviewer or system of the deciding department on its behalf)',
        params: IdParams,
        body: StatementBody,
        response: { 200: EntryViewSchema },
      },
    },
    async (request) =>
      inTx(p, request, (ctx) => entries.submitStatement(ctx, request.params.id, request.body)),
  );

  app.post(
    '/api/v1/list-entries/:id/decision',
    {
      config: { access: ['dept_officer', 'dept_reviewer', 'apikey'], scopes: ['lists:write'] },
      schema: {
        tags,
        summary: '作出决定（附理由）/ Decide, with reasons',
        params: IdParams,
        body: DecideBody,
        response: { 200: EntryViewSchema },
      },
    },
    async (request) => inTx(p, request, (ctx) => entries.decideEntry(ctx, request.params.id, request.body)),
  );

  app.post(
    '/api/v1/list-entries/:id/withdrawal',
    {
      config: { access: ['dept_officer', 'apikey'], scopes: ['lists:write'] },
      schema: {
        tags,
        summary: '撤回建议 / Withdraw a proposal',
        params: IdParams,
        body: WithdrawBody,
        response: { 200: EntryViewSchema },
      },
    },
    async (request) =>
      inTx(p, request, (ctx) => entries.withdrawEntry(ctx, request.params.id, request.body.reason)),
  );

  app.post(
    '/api/v1/list-entries/:id/end',
    {
      config: { access: [...department], scopes: ['lists:write'] },
      schema: {
        tags,
        summary:
          '移出名单（提前退出、修复、履行、法院裁判等）/ End an entry (early exit, repair, performance, court …)',
        params: IdParams,
        body: EndBody,
        response: { 200: EntryViewSchema },
      },
    },
    async (request) => inTx(p, request, (ctx) => entries.endEntry(ctx, request.params.id, request.body)),
  );

  app.get(
    '/api/v1/me/list-entries',
    {
      config: { access: ['subject'] },
      schema: {
        tags,
        summary:
          '本主体的全部名单记录及每一步程序（含待决）/ Every entry on my subject, pending ones included, with every step',
        querystring: AtQuery,
        response: {
          200: Type.Object({
            subject: Type.Object({ ref: Type.String(), name: Type.String(), type: Type.String() }),
            at: Type.String(),
            items: Type.Array(EntryViewSchema),
          }),
        },
      },
    },
    async (request) =>
      queries.myEntries(readCtx(p, request), p.crypto, parseInstant(request.query.at, request.now)),
  );

  app.get(
    '/api/v1/subjects/:ref/list-entries',
    {
      config: { access: ['dept_reviewer', 'platform_admin', 'auditor', 'apikey'] },
      schema: {
        tags,
        summary:
          '主体的全部名单记录及每一步程序（含待决）/ Every entry on a subject, pending ones included, with every step',
        params: RefParams,
        querystring: AtQuery,
        response: {
          200: Type.Object({
            subject: Type.Object({ ref: Type.String(), name: Type.String(), type: Type.String() }),
            at: Type.String(),
            items: Type.Array(EntryViewSchema),
          }),
        },
      },
    },
    // A read of non-public data about a subject: recorded as an event, like every such read.
    async (request) => {
      const purpose = statedPurpose(request);
      return inTx(p, request, (ctx) =>
        queries.viewEntriesOfSubject(
          ctx,
          p.crypto,
          request.params.ref,
          parseInstant(request.query.at, request.now),
          purpose,
        ),
      );
    },
  );
}
