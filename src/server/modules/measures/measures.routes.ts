import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { parseInstant } from '../../platform/http';
import { inTx, readCtx } from '../../platform/platform';
import { checkLogFor } from './measures.checklog';
import { runBatch, runCheck } from './measures.checks';
import { feedbackStats, submitFeedback } from './measures.feedback';
import { checkIndexEnabled, checkIndexFor } from './measures.index';
import * as inv from './measures.inventory';
import {
  BatchBody,
  BatchResultSchema,
  CheckBody,
  CheckIdParams,
  CheckResultSchema,
  CodeParams,
  FeedbackBody,
  FeedbackSchema,
  FeedbackStatsSchema,
  MeasureBody,
  MeasureSchema,
  ScenarioSchema,
} from './measures.schemas';

/**
 * The measures inventory (public with its bases; changed only by the credit office through the
 * gate), the joint check for department systems, and execution feedback.
 */
export async function measuresRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const p = app.platform;
  const tags = ['measures'];
  const checkers = ['apikey', 'dept_officer', 'dept_reviewer', 'platform_admin'] as const;
  const index = checkIndexEnabled()
    ? checkIndexFor(p.pool, () => ({
        clock: p.clock,
        triggerItems: async () => (await inv.inventoryCache.get(p.pool)).triggerItems,
        onConfigChange: async () => void (await inv.inventoryCache.refresh(p.pool)),
      }))
    : null;
  const deps = { pool: p.pool, crypto: p.crypto, index };

  // Loading a million subjects takes seconds: the server answers from SQL until the index is ready.
  if (index)
    app.addHook('onReady', async () => {
      index.start().catch((err: unknown) => app.log.error({ err }, 'check index failed to load'));
    });
  // Pending check records are written before the pool closes.
  app.addHook('onClose', async () => {
    await index?.stop();
    await checkLogFor(p.pool).drain();
  });

  app.get(
    '/api/v1/public/measures',
    {
      config: { access: ['public'] },
      schema: {
        tags: ['public'],
        summary: '失信惩戒和守信激励措施清单（含依据）/ The measures inventory with legal bases',
        response: {
          200: Type.Object({ scenarios: Type.Array(ScenarioSchema), measures: Type.Array(MeasureSchema) }),
        },
      },
    },
    async (request) => {
      const ctx = readCtx(p, request);
      const [scenarios, measures] = await Promise.all([inv.listScenarios(ctx), inv.listMeasures(ctx)]);
      return { scenarios, measures: measures.filter((m) => m.status === 'active') };
    },
  );

  app.get(
    '/api/v1/measures',
    {
      config: { access: ['user', 'apikey'] },
      schema: {
        tags,
        summary: '措施清单（含已停用）/ The inventory, retired measures included',
        response: { 200: Type.Array(MeasureSchema) },
      },
    },
    async (request) => inv.listMeasures(readCtx(p, request)),
  );

  app.get(
    '/api/v1/measures/scenarios',
    {
      config: { access: ['public'] },
      schema: { tags, summary: '适用场景 / Scenarios', response: { 200: Type.Array(ScenarioSchema) } },
    },
    async (request) => inv.listScenarios(readCtx(p, request)),
  );

  app.post(
    '/api/v1/measures/scenarios',
    {
      config: { access: ['platform_admin'] },
      schema: {
        tags,
        summary: '新增场景 / Add a scenario',
        body: ScenarioSchema,
        response: { 201: ScenarioSchema },
      },
    },
    async (request, reply) => {
      const s = await inTx(p, request, (ctx) => inv.createScenario(ctx, request.body));
      return reply.status(201).send(s);
    },
  );

  app.get(
    '/api/v1/measures/:code',
    {
      config: { access: ['public'] },
      schema: {
        tags,
        summary: '措施（当前或指定版本）/ A measure (current or given version)',
        params: CodeParams,
        querystring: Type.Object({ version: Type.Optional(Type.Integer({ minimum: 1 })) }),
        response: { 200: MeasureSchema },
      },
    },
    async (request) => inv.getMeasure(readCtx(p, request), request.params.code, request.query.version),
  );

  app.post(
    '/api/v1/measures',
    {
      config: { access: ['platform_admin'] },
      schema: {
        tags,
        summary: '新增措施（依据位阶、触发条件审查）/ Add a measure (legal-basis and trigger gate)',
        body: MeasureBody,
        response: { 201: MeasureSchema },
      },
    },
    async (request, reply) => {
      const m = await inTx(p, request, (ctx) => inv.createMeasure(ctx, request.body));
      return reply.status(201).send(m);
    },
  );

  app.put(
    '/api/v1/measures/:code',
    {
      config: { access: ['platform_admin'] },
      schema: {
        tags,
        summary: '修订或停用措施（新版本）/ Revise or retire a measure (new version)',
        params: CodeParams,
        body: MeasureBody,
        response: { 200: MeasureSchema },
      },
    },
    async (request) => inTx(p, request, (ctx) => inv.versionMeasure(ctx, request.params.code, request.body)),
  );

  app.get(
    '/api/v1/measures/:code/feedback-stats',
    {
      config: { access: ['user', 'apikey'] },
      schema: {
        tags,
        summary: '措施执行反馈统计 / Execution feedback per measure',
        params: CodeParams,
        response: { 200: FeedbackStatsSchema },
      },
    },
    async (request) => feedbackStats(readCtx(p, request), request.params.code),
  );

  app.post(
    '/api/v1/checks',
    {
      config: { access: [...checkers], scopes: ['checks'] },
      schema: {
        tags: ['checks'],
        summary: '联合奖惩核查 / Joint reward and punishment check',
        description:
          '返回该场景下适用的措施、触发事实（名单或记录、日期、认定机关）、依据，以及总体结论 allow | restrict | review；at 可重现任一过去时点。/ ' +
          'The measures that apply in the scenario, each with its trigger, dates, deciding body and basis, and the outcome; `at` replays any past instant.',
        body: CheckBody,
        response: { 200: CheckResultSchema },
      },
    },
    async (request) => {
      const b = request.body;
      const at = parseInstant(b.at, request.now);
      return runCheck(readCtx(p, request), deps, {
        subject: b.subject,
        scenario: b.scenario,
        at,
        explicitAt: b.at !== undefined && b.at !== '',
      });
    },
  );

  app.post(
    '/api/v1/checks/batch',
    {
      config: { access: [...checkers], scopes: ['checks'] },
      bodyLimit: 4 * 1024 * 1024,
      schema: {
        tags: ['checks'],
        summary: '批量核查（最多 10000 个主体）/ Batch check of up to 10,000 subjects',
        body: BatchBody,
        response: { 200: BatchResultSchema },
      },
    },
    async (request) => {
      const b = request.body;
      const at = parseInstant(b.at, request.now);
      return runBatch(readCtx(p, request), deps, {
        subjects: b.subjects,
        scenario: b.scenario,
        at,
        explicitAt: b.at !== undefined && b.at !== '',
      });
    },
  );

  app.post(
    '/api/v1/checks/:checkId/feedback',
    {
      config: { access: ['apikey', 'dept_officer', 'dept_reviewer'], scopes: ['checks'] },
      schema: {
        tags: ['checks'],
        summary: '措施执行反馈（已执行 / 未执行及原因）/ Report back: applied, or not and why',
        params: CheckIdParams,
        body: FeedbackBody,
        response: { 201: FeedbackSchema },
      },
    },
    async (request, reply) => {
      const f = await inTx(p, request, (ctx) =>
        submitFeedback(ctx, p.crypto, request.params.checkId, request.body),
      );
      return reply.status(201).send(f);
    },
  );
}
