import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Gauge } from 'prom-client';
import { Type, type Static } from 'typebox';
import { inTx, readCtx } from '../../platform/platform';
import { logNonPublicRead, statedPurpose, subjectIdsOfRefs } from '../audit';
import { checkConsistency } from './feed.consistency';
import { cursorCodec } from './feed.cursor';
import { startDeliveryWorker, type DeliveryWorker } from './feed.delivery';
import { startFeedJob, type FeedJob } from './feed.project';
import { feedRepo } from './feed.repository';
import {
  ConsistencyBody,
  ConsistencySchema,
  DeliverySchema,
  FeedPageSchema,
  FeedQuery,
  HeadSchema,
  IdParams,
  PurposeBody,
  SubscriptionBody,
  SubscriptionSchema,
} from './feed.schemas';
import { decodeCursor, readPage, scopeOf, sharedPageRead, type FeedDeps } from './feed.service';
import { feedSigner } from './feed.sign';
import * as hooks from './feed.webhooks';

declare module 'fastify' {
  interface FastifyInstance {
    /** The feed's background work, reachable for tests and the benchmark. */
    feed: { job: FeedJob; worker: DeliveryWorker; deps: FeedDeps };
  }
}

/**
 * The change feed: pull (signed pages with a signed cursor), push (webhooks, delivered by a worker
 * in this process), a consistency check, and the job that turns closed disclosure windows into
 * events. Public keys: /.well-known/xinyong/log-keys (the audit module's, the same key).
 */
export async function feedRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const p = app.platform;
  const settings = p.config.feed;
  const deps: FeedDeps = {
    signer: feedSigner(p.config.signingKey, p.config.audit.origin),
    cursors: cursorCodec(p.config.signingKey),
  };
  const log = {
    info: (o: object, m: string) => app.log.info(o, m),
    error: (o: object, m: string) => app.log.error(o, m),
  };
  const tags = ['feed'];
  const subscribers = ['platform_admin', 'apikey'] as const;

  let job: FeedJob | null = null;
  let worker: DeliveryWorker | null = null;
  fastify.decorate('feed', {
    get job() {
      return job as FeedJob;
    },
    get worker() {
      return worker as DeliveryWorker;
    },
    deps,
  });
  fastify.addHook('onReady', async () => {
    job = startFeedJob({ pool: p.pool, clock: p.clock, intervalMs: settings.jobMs, log });
    worker = startDeliveryWorker({ pool: p.pool, feed: deps, settings, clock: p.clock, log });
  });
  fastify.addHook('onClose', async () => {
    await worker?.stop();
    await job?.stop();
  });

  const dead = new Gauge({
    name: 'xinyong_webhook_dead_letters',
    help: 'Webhook subscriptions dead-lettered after repeated failures',
    registers: [fastify.metrics],
    async collect() {
      this.set(await feedRepo.deadCount(p.pool).catch(() => 0));
    },
  });
  const lag = new Gauge({
    name: 'xinyong_webhook_lag_events',
    help: 'Events in the log after a subscription cursor (not all of them are for the subscriber)',
    labelNames: ['subscription'],
    registers: [fastify.metrics],
    async collect() {
      this.reset();
      for (const r of await feedRepo.lagOf(p.pool).catch(() => []))
        this.set({ subscription: String(r.id) }, Number(r.lag));
    },
  });
  void dead;
  void lag;

  // Untyped instance: the page goes out as the exact string that was signed, which the typed reply
  // (expecting the schema's object) would not accept.
  fastify.get<{ Querystring: Static<typeof FeedQuery> }>(
    '/api/v1/feed',
    {
      config: { access: ['public'] },
      schema: {
        tags,
        summary: '变更流（拉取）/ The change feed (pull)',
        description:
          '按日志顺序返回影响公开或共享信息的变更：主体新增与更名；记录新增、更正、撤回、修复、到期；名单列入、公示、移出；异议。' +
          '匿名或普通密钥只得公开数据（不含自然人）；持 feed:shared 的密钥得共享数据。用返回的 next 游标续读。/ ' +
          'Changes to public or shared information, in log order. Public callers get public data (never natural persons); keys with feed:shared get shared data. Resume with `next`.',
        querystring: FeedQuery,
        response: { 200: FeedPageSchema },
      },
    },
    async (request, reply) => {
      const scope = scopeOf(request.actor);
      // The shared scope is non-public data: a key states its purpose before anything is read.
      const purpose = scope === 'shared' ? statedPurpose(request) : null;
      const after = decodeCursor(deps, request.query.after);
      const page = await readPage(p.pool, deps, {
        scope,
        after,
        limit: request.query.limit,
        now: request.now,
      });
      const { nextSeq: _n, ...body } = page;
      // Shared data (keys with feed:shared, administrators, auditors) is non-public: each page
      // read is an event naming the subjects it carried.
      if (page.scope === 'shared' && page.events.length > 0)
        await logNonPublicRead(p, request, sharedPageRead(page, { after, upTo: page.nextSeq }, purpose));
      // Sent as serialised here: what was signed goes out byte for byte.
      return reply.type('application/json; charset=utf-8').send(JSON.stringify(body));
    },
  );

  app.get(
    '/api/v1/feed/head',
    {
      config: { access: ['public'] },
      schema: {
        tags,
        summary: '当前末尾游标（从现在开始跟随）/ A cursor at the end, to follow from now',
        response: { 200: HeadSchema },
      },
    },
    async (request) => {
      const seq = await feedRepo.head(p.pool);
      return {
        cursor: deps.cursors.encode(seq),
        seq,
        scope: scopeOf(request.actor),
        keysUrl: '/.well-known/xinyong/log-keys',
      };
    },
  );

  app.post(
    '/api/v1/feed/consistency',
    {
      config: { access: ['public'] },
      schema: {
        tags,
        summary: '一致性核对 / Consistency check',
        description:
          '提交所持有主体的记录（id、版本、状态），返回与平台不一致之处及处理方式（add / update / remove）。/ Post the (id, version, state) held for a set of subjects; get every difference and what to do.',
        body: ConsistencyBody,
        response: { 200: ConsistencySchema },
      },
    },
    async (request) => {
      const scope = scopeOf(request.actor);
      const purpose = scope === 'shared' ? statedPurpose(request) : null;
      await (job as FeedJob).runOnce({ wait: true });
      const result = await checkConsistency(readCtx(p, request), p.crypto, scope, request.body);
      // In the shared scope the answer tells what the platform holds beyond the public: a read event.
      if (scope === 'shared' && result.subjects.length > 0)
        await logNonPublicRead(p, request, {
          what: 'feed_consistency',
          entity: `consistency:${result.asOfSeq}`,
          subjectIds: subjectIdsOfRefs(result.subjects.map((x) => x.ref)),
          fields: ['shared'],
          purpose,
          detail: { asOfSeq: result.asOfSeq, differences: result.differences.length },
        });
      return result;
    },
  );

  app.post(
    '/api/v1/feed/subscriptions',
    {
      config: { access: [...subscribers] },
      schema: {
        tags,
        summary: '登记推送订阅 / Register a webhook',
        description:
          '按订阅顺序至少投递一次；失败按指数退避重试，多次失败后进入死信。默认拒绝内网、本机和保留地址。共享范围须在 purpose 中说明用途（否则 400 PURPOSE_REQUIRED），每次推送记为一次载明该用途的非公开读取。/ ' +
          'In order, at least once; exponential backoff; dead letter after repeated failures. Private, loopback and reserved targets are refused by default. ' +
          'The shared scope requires a `purpose` (400 PURPOSE_REQUIRED otherwise); every delivery is logged as a non-public read carrying it.',
        body: SubscriptionBody,
        response: { 201: SubscriptionSchema },
      },
    },
    async (request, reply) => {
      const b = request.body;
      const after = b.after !== undefined ? decodeCursor(deps, b.after) : undefined;
      const row = await inTx(p, request, (ctx) =>
        hooks.createSubscription(
          ctx,
          { ...b, after },
          { allowPrivate: settings.allowPrivate, cursors: deps.cursors },
        ),
      );
      return reply.status(201).send(hooks.subscriptionView(row, deps.cursors));
    },
  );

  app.get(
    '/api/v1/feed/subscriptions',
    {
      config: { access: [...subscribers, 'auditor'] },
      schema: {
        tags,
        summary: '推送订阅 / Webhook subscriptions',
        response: { 200: Type.Array(SubscriptionSchema) },
      },
    },
    async (request) =>
      (await hooks.listSubscriptions(readCtx(p, request))).map((s) =>
        hooks.subscriptionView(s, deps.cursors),
      ),
  );

  app.get(
    '/api/v1/feed/subscriptions/:id',
    {
      config: { access: [...subscribers, 'auditor'] },
      schema: {
        tags,
        summary: '订阅详情 / A subscription',
        params: IdParams,
        response: { 200: SubscriptionSchema },
      },
    },
    async (request) =>
      hooks.subscriptionView(
        await hooks.ownSubscription(readCtx(p, request), request.params.id),
        deps.cursors,
      ),
  );

  app.get(
    '/api/v1/feed/subscriptions/:id/deliveries',
    {
      config: { access: [...subscribers, 'auditor'] },
      schema: {
        tags,
        summary: '投递日志（含死信）/ Delivery log, dead letters included',
        params: IdParams,
        response: { 200: Type.Array(DeliverySchema) },
      },
    },
    async (request) => {
      const ctx = readCtx(p, request);
      await hooks.ownSubscription(ctx, request.params.id);
      return (await feedRepo.deliveries(ctx.db, request.params.id, 200)).map(hooks.deliveryView);
    },
  );

  app.post(
    '/api/v1/feed/subscriptions/:id/resume',
    {
      config: { access: [...subscribers] },
      schema: {
        tags,
        summary: '从死信恢复（先重投卡住的批次）/ Resume from the dead letter (the stuck batch first)',
        params: IdParams,
        response: { 200: SubscriptionSchema },
      },
    },
    async (request) =>
      hooks.subscriptionView(
        await inTx(p, request, (ctx) => hooks.resumeSubscription(ctx, request.params.id)),
        deps.cursors,
      ),
  );

  app.put(
    '/api/v1/feed/subscriptions/:id/purpose',
    {
      config: { access: [...subscribers] },
      schema: {
        tags,
        summary: '说明或更改共享订阅的用途 / State or change the purpose of a shared subscription',
        description:
          '此后每次推送的读取记录载明新的用途；更改记为事件。公开范围的订阅无需用途。/ ' +
          'From the next delivery on, read events carry the new purpose; the change is an event. Public subscriptions state none.',
        params: IdParams,
        body: PurposeBody,
        response: { 200: SubscriptionSchema },
      },
    },
    async (request) =>
      hooks.subscriptionView(
        await inTx(p, request, (ctx) => hooks.changePurpose(ctx, request.params.id, request.body.purpose)),
        deps.cursors,
      ),
  );

  app.post(
    '/api/v1/feed/subscriptions/:id/disable',
    {
      config: { access: [...subscribers] },
      schema: {
        tags,
        summary: '停用订阅 / Disable a subscription',
        params: IdParams,
        response: { 200: SubscriptionSchema },
      },
    },
    async (request) =>
      hooks.subscriptionView(
        await inTx(p, request, (ctx) => hooks.disableSubscription(ctx, request.params.id)),
        deps.cursors,
      ),
  );
}
