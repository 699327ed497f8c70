import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { AppError } from '../../platform/errors';
import { readCtx } from '../../platform/platform';
import { logSigner } from './audit.crypto';
import { startCheckpointScheduler, type CheckpointScheduler } from './audit.scheduler';
import {
  CheckpointQuery,
  CheckpointSchema,
  CheckpointsQuery,
  ConsistencyQuery,
  ConsistencySchema,
  EntriesQuery,
  EntriesSchema,
  InclusionQuery,
  InclusionSchema,
  LogKeysSchema,
} from './audit.schemas';
import * as svc from './audit.service';

/**
 * The transparency log's public API: anyone can fetch checkpoints and proofs and verify them with the
 * published key, without trusting this server. Nothing here reveals event payloads.
 */
export async function auditRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const p = app.platform;
  const settings = p.config.audit;
  // The configured suite (XINYONG_LOG_SUITE) builds the tree and signs; loadConfig checked the keys.
  const signer = logSigner(settings.suite, settings.origin, p.config.signingKey);
  const tags = ['audit'];
  const access = ['public'] as const;

  app.get(
    '/.well-known/xinyong/log-keys',
    {
      config: { access },
      schema: { tags, summary: '日志公钥 / Log verification keys', response: { 200: LogKeysSchema } },
    },
    // The current key first, then the keys a rotation retired (checkpoints they signed still verify).
    async () => ({
      origin: settings.origin,
      suite: signer.suite,
      keys: [
        signer,
        ...p.config.previousSigningKeys.map((k) => logSigner(settings.suite, settings.origin, k)),
      ].map(svc.publishedKey),
    }),
  );

  app.get(
    '/api/v1/log/checkpoint',
    {
      config: { access },
      schema: {
        tags,
        summary: '最新签名检查点 / Latest signed checkpoint',
        description:
          '默认返回 C2SP 签名检查点文本（text/plain）；?format=json 返回 JSON。/ ' +
          'A C2SP signed note as text/plain by default; ?format=json for JSON.',
        querystring: CheckpointQuery,
        response: {
          200: {
            content: {
              'text/plain': { schema: { type: 'string' } },
              'application/json': { schema: CheckpointSchema },
            },
          },
        },
      },
    },
    async (request, reply) => {
      const cp = await svc.latestCheckpoint(readCtx(p, request).db);
      if (request.query.format === 'json') return reply.type('application/json').send(cp);
      return reply.type('text/plain; charset=utf-8').send(cp.note);
    },
  );

  app.get(
    '/api/v1/log/checkpoints',
    {
      config: { access },
      schema: {
        tags,
        summary: '检查点列表 / Checkpoints',
        querystring: CheckpointsQuery,
        response: { 200: { type: 'array', items: CheckpointSchema } },
      },
    },
    async (request) => svc.listCheckpoints(readCtx(p, request).db, request.query.from, request.query.limit),
  );

  app.get(
    '/api/v1/log/proof/inclusion',
    {
      config: { access },
      schema: {
        tags,
        summary: '包含性证明 / Inclusion proof',
        querystring: InclusionQuery,
        response: { 200: InclusionSchema },
      },
    },
    async (request) =>
      svc.inclusionProof(readCtx(p, request).db, request.query.seq, request.query.treeSize, request.actor),
  );

  app.get(
    '/api/v1/log/proof/consistency',
    {
      config: { access },
      schema: {
        tags,
        summary: '一致性证明 / Consistency proof',
        querystring: ConsistencyQuery,
        response: { 200: ConsistencySchema },
      },
    },
    async (request) =>
      svc.consistencyProof(readCtx(p, request).db, request.query.first, request.query.second),
  );

  app.get(
    '/api/v1/log/entries',
    {
      // Leaves carry event metadata (types, subject and actor ids) that could reveal who looked at
      // a natural person's data: listing them is for auditors; proofs stay public, with the leaf
      // itself shown only to whom mayReadLeaf allows (else its hash alone is proved).
      config: { access: ['auditor', 'platform_admin'] },
      schema: {
        tags,
        summary: '日志条目（仅元数据与内容哈希）/ Log entries (metadata and payload hash only)',
        querystring: EntriesQuery,
        response: { 200: EntriesSchema },
      },
    },
    async (request) => svc.entries(readCtx(p, request).db, request.query.from, request.query.limit),
  );

  // A stored tree of the other suite refuses the start, in both languages (never mixed).
  app.addHook('onReady', async () => {
    try {
      await svc.checkLogSuite(p.pool, signer.suite);
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      throw new Error(`${err.code}: ${err.text.zh} / ${err.text.en}`, { cause: err });
    }
  });

  if (settings.scheduler) {
    let scheduler: CheckpointScheduler | null = null;
    app.addHook('onReady', async () => {
      scheduler = startCheckpointScheduler({
        pool: p.pool,
        signer,
        origin: settings.origin,
        intervalMs: settings.checkpointMs,
        log: app.log,
      });
    });
    app.addHook('onClose', async () => {
      await scheduler?.stop();
    });
  }
}
