import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { actorDepartment, SYSTEM } from '../../platform/context';
import { readCtx } from '../../platform/platform';
import { logNonPublicRead, optionalPurpose } from '../audit';
import { getItemVersion, isProvider } from '../catalog';
import { IngestErrors } from './ingest.errors';
import { rejectedCsv, rejectedXlsx } from './ingest.export';
import {
  BatchIdParams,
  BatchList,
  BatchSchema,
  ItemCodeParams,
  ListQuery,
  RowsQuery,
  RowsResponse,
  StreamQuery,
  SubmitResponse,
  UploadQuery,
} from './ingest.schemas';
import {
  batchEnded,
  batchRows,
  batchView,
  getBatch,
  listBatches,
  locateSpool,
  sweepAbandoned,
  type Caller,
  type IngestDeps,
} from './ingest.batches';
import { batchDepartment, ingest, type IngestResult } from './ingest.service';
import { templateCsv, templateXlsx } from './ingest.template';
import { AppError } from '../../platform/errors';
import { limitStream, lingerThenClose, spool, tooLarge, type Spooled } from './ingest.upload';
import { startSpoolSweep, type SpoolSweep } from './ingest.resume';
import { rejectedRowsRead, subjectsOfRows } from './ingest.subjects';
import { acknowledge, discard, ensureSpoolDir, partPath, spooledBatches } from './ingest.spool';

const WRITERS = ['dept_officer', 'platform_admin', 'apikey'] as const;
const READERS = ['dept_officer', 'dept_reviewer', 'platform_admin', 'auditor', 'apikey'] as const;
/** Room for the multipart envelope and the text fields around the file. */
const MULTIPART_SLACK = 64 * 1024;
/** Bodies the streaming endpoint takes as they come (never parsed by Fastify). */
const STREAM_TYPES = [
  'application/x-ndjson',
  'application/jsonl',
  'application/x-jsonlines',
  'application/json',
  'text/plain',
  'application/octet-stream',
];

const caller = (request: FastifyRequest): Caller => ({
  actor: request.actor,
  requestId: request.id,
  now: request.now,
});
const yes = (v: string | undefined) => v === '1' || v === 'true';

function attachment(reply: FastifyReply, type: string, ascii: string, utf8?: string): FastifyReply {
  const star = utf8 ? `; filename*=UTF-8''${encodeURIComponent(utf8)}` : '';
  return reply
    .header('content-type', type)
    .header('content-disposition', `attachment; filename="${ascii}"${star}`);
}

/**
 * The collection hub's HTTP API: file uploads (multipart), streamed NDJSON from department
 * systems, batch history and rows, rejected-row downloads, and templates per catalogue item.
 */
export async function ingestRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const p = app.platform;
  const limit = p.config.uploadLimitBytes;
  const deps: IngestDeps = {
    pool: p.pool,
    crypto: p.crypto,
    log: (err, msg) => app.log.error({ err }, msg),
    maxBatches: p.config.ingestBatches,
    idleTimeoutMs: p.config.ingestIdleMs,
  };
  const background = new Set<Promise<unknown>>();
  const tags = ['ingest'];

  await app.register(multipart, {
    limits: { fileSize: limit, files: 1, fields: 10, fieldSize: 1024, parts: 12 },
    throwFileSizeLimit: false,
  });
  app.removeContentTypeParser('application/json');
  app.removeContentTypeParser('text/plain');
  app.addContentTypeParser(STREAM_TYPES, (_request, payload, done) => done(null, payload));

  const track = (work: Promise<unknown>): Promise<unknown> => {
    const tracked = work.catch(() => undefined);
    background.add(tracked);
    void tracked.finally(() => background.delete(tracked));
    return tracked;
  };

  // A batch whose process died is 'processing' until someone looks: at start, those acknowledged
  // (?async=1) are resumed from the spool in the background, the others settled as abandoned; and
  // every XINYONG_INGEST_SWEEP_MS the spool, shared by the servers of the database, is swept again
  // for acknowledged batches of servers that died since (ingest.resume.ts).
  let sweep: SpoolSweep | null = null;
  app.addHook('onReady', async () => {
    try {
      // Created on the first acknowledged upload.
      const dir = await locateSpool(p.pool, p.config.dataDir);
      deps.spoolDir = dir;
      const spooled = await spooledBatches(dir);
      await sweepAbandoned(deps, { actor: SYSTEM, requestId: 'startup', now: p.clock() });
      sweep = startSpoolSweep(
        { ...deps, spoolDir: dir },
        { clock: p.clock, intervalMs: p.config.ingestSweepMs, log: app.log },
      );
      if (spooled.length) track(sweep.runOnce(spooled));
    } catch (err) {
      app.log.error({ err }, 'ingest: settling or resuming unfinished batches failed');
    }
  });
  app.addHook('onClose', async () => {
    await sweep?.stop();
    await Promise.allSettled([...background]);
  });

  const refuseLarge = (request: FastifyRequest, slack: number): void => {
    const declared = Number(request.headers['content-length'] ?? 0);
    if (declared > limit + slack) {
      // Refused before a byte of the body is read; the connection is closed behind the answer.
      lingerThenClose(request.raw);
      throw tooLarge(limit);
    }
  };

  const respond = async (reply: FastifyReply, result: IngestResult, cleanup: () => Promise<void>) => {
    if (result.running) {
      track(result.running.catch(() => undefined).finally(() => cleanup()));
      reply.status(202);
    } else await cleanup();
    const b = result.batch;
    if (b.status === 'failed' && b.error?.code === 'NO_VALID_ROWS')
      throw IngestErrors.NO_VALID_ROWS({
        field: 'file',
        batchId: b.id,
        rejected: b.counts.rejected,
        counts: b.counts,
      });
    return {
      batchId: b.id,
      status: b.status,
      counts: b.counts,
      duplicateOf: result.duplicateOf,
      batch: { ...b, duplicateOf: result.duplicateOf },
    };
  };

  app.post(
    '/api/v1/ingest/batches',
    {
      config: { access: [...WRITERS], scopes: ['records:write'] },
      schema: {
        tags,
        summary: '上传一个文件（XLSX、CSV、NDJSON、JSON）作为一个批次 / Upload a file as one batch',
        description:
          'multipart/form-data：file（必填），itemCode（表头可识别事项时可省略），encoding（utf-8、gb18030），layout（current、legacy2016），' +
          'departmentId（仅平台管理员）。处理完成并提交后返回；?async=1 时开始处理即返回 202，进度见 GET /batches/:id。/ ' +
          'Fields: file, itemCode (optional when the headers identify the item), encoding, layout, departmentId (admin only). ' +
          'Answers after COMMIT; with ?async=1 answers 202 once started.',
        consumes: ['multipart/form-data'],
        querystring: UploadQuery,
        response: { 200: SubmitResponse, 202: SubmitResponse },
      },
    },
    async (request, reply) => {
      refuseLarge(request, MULTIPART_SLACK);
      if (!request.isMultipart()) throw IngestErrors.FILE_REQUIRED({ field: 'file' });
      // Answered before the batch is processed: the upload goes to the spool, which survives a crash.
      const dir = yes(request.query.async) ? (deps.spoolDir ?? null) : null;
      const fields: Record<string, string> = {};
      let file: (Spooled & { name: string }) | null = null;
      try {
        for await (const part of request.parts()) {
          if (part.type === 'file') {
            if (file || part.fieldname !== 'file') {
              part.file.resume();
              continue;
            }
            const target = dir ? partPath(await ensureSpoolDir(dir)) : undefined;
            file = { ...(await spool(part.file, limit, target)), name: part.filename };
          } else if (typeof part.value === 'string') fields[part.fieldname] = part.value;
        }
      } catch (err) {
        lingerThenClose(request.raw);
        await file?.remove();
        throw err;
      }
      if (!file) throw IngestErrors.FILE_REQUIRED({ field: 'file' });
      const spooled = file;
      try {
        const departmentId = batchDepartment(
          request.actor,
          /^\d{1,15}$/.test(fields.departmentId ?? '') ? Number(fields.departmentId) : undefined,
        );
        const result = await ingest(deps, caller(request), {
          departmentId,
          itemCode: fields.itemCode?.trim() || null,
          encoding: fields.encoding?.trim() || null,
          layout: fields.layout?.trim() || null,
          fileName: spooled.name || null,
          channel: 'upload',
          input: createReadStream(spooled.path),
          sha256: spooled.sha256,
          sizeBytes: spooled.size,
          // Without a spool (it could not be located) nothing is acknowledged before COMMIT.
          background: dir !== null,
        });
        if (!result.running || !dir) return await respond(reply, result, spooled.remove);
        // Durable before the 202: the upload and a manifest in the spool (ingest.spool.ts).
        const batchId = result.batch.id;
        try {
          await acknowledge(dir, spooled.path, {
            batchId,
            departmentId,
            itemCode: fields.itemCode?.trim() || null,
            encoding: fields.encoding?.trim() || null,
            layout: fields.layout?.trim() || null,
            fileName: spooled.name || null,
            actor: request.actor,
            requestId: request.id,
            acceptedAt: request.now.toISOString(),
            attempts: 0,
          });
        } catch (err) {
          // Not durable: no 202. The answer waits for the batch's COMMIT instead.
          app.log.error({ err }, 'ingest: spooling an acknowledged upload failed; answering after COMMIT');
          const batch = await result.running.finally(() => discard(dir, batchId).then(spooled.remove));
          return await respond(reply, { batch, duplicateOf: null }, async () => undefined);
        }
        // The spool files go once the batch has ended; if it could not even be marked failed, they
        // stay and the next start finishes it.
        const cleanup = async () => {
          if (await batchEnded(p.pool, batchId)) await discard(dir, batchId);
        };
        return await respond(reply, result, cleanup);
      } catch (err) {
        await spooled.remove();
        throw err;
      }
    },
  );

  app.post(
    '/api/v1/ingest/batches/ndjson',
    {
      config: { access: [...WRITERS], scopes: ['records:write'] },
      schema: {
        tags,
        summary: '以流的方式提交 NDJSON（或 JSON 数组）/ Stream NDJSON (or a JSON array) as one batch',
        description:
          '请求体为 NDJSON（每行一个 JSON 对象，键为字段代码或中文名称；也可为 {"payload": {...}, "severity": ...}），边读边处理，不整体缓存。/ ' +
          'The body is NDJSON, one record per line (keys are field codes or Chinese names; or {"payload", "severity"}), processed as it arrives.',
        consumes: STREAM_TYPES,
        querystring: StreamQuery,
        response: { 200: SubmitResponse },
      },
    },
    async (request, reply) => {
      refuseLarge(request, 0);
      const body = request.body as Readable | undefined;
      if (!body || typeof body.pipe !== 'function') throw IngestErrors.FILE_REQUIRED({ field: 'body' });
      const q = request.query;
      const departmentId = batchDepartment(request.actor, q.departmentId);
      const limited = limitStream(limit);
      body.on('error', (err) => limited.destroy(err));
      const result = await ingest(deps, caller(request), {
        departmentId,
        itemCode: q.itemCode ?? null,
        layout: q.layout ?? null,
        channel: 'stream',
        input: body.pipe(limited),
        format: String(request.headers['content-type'] ?? '').startsWith('application/json')
          ? 'json'
          : 'ndjson',
      }).catch((err: unknown) => {
        if (err instanceof AppError && err.code === 'FILE_TOO_LARGE') lingerThenClose(request.raw);
        throw err;
      });
      return respond(reply, result, async () => undefined);
    },
  );

  app.get(
    '/api/v1/ingest/batches',
    {
      config: { access: [...READERS] },
      schema: {
        tags,
        summary: '批次列表（部门只见本部门）/ Batches (departments see their own)',
        querystring: ListQuery,
        response: { 200: BatchList },
      },
    },
    async (request) => {
      const q = request.query;
      const { rows, more } = await listBatches(readCtx(p, request), q);
      return { items: rows.map(batchView), more };
    },
  );

  app.get(
    '/api/v1/ingest/batches/:id',
    {
      config: { access: [...READERS] },
      schema: {
        tags,
        summary: '批次状态、计数、进度与错误 / Batch status, counts, progress and errors',
        params: BatchIdParams,
        response: { 200: BatchSchema },
      },
    },
    async (request) => {
      const ctx = readCtx(p, request);
      const batch = await getBatch(ctx, deps, request.params.id);
      const rejected =
        batch.rejected > 0
          ? await batchRows(ctx, p.crypto, batch.id, { outcome: 'rejected', limit: 100 })
          : [];
      const errors = rejected.flatMap((r) =>
        (r.errors ?? []).map((e) => ({ row: r.row_no, field: e.field, code: e.code, message: e.message })),
      );
      return { ...batchView(batch), errors };
    },
  );

  app.get(
    '/api/v1/ingest/batches/:id/rows',
    {
      config: { access: [...READERS] },
      schema: {
        tags,
        summary: '批次各行的结果 / Row outcomes of a batch',
        params: BatchIdParams,
        querystring: RowsQuery,
        response: { 200: RowsResponse },
      },
    },
    async (request) => {
      const ctx = readCtx(p, request);
      const batch = await getBatch(ctx, deps, request.params.id);
      const q = request.query;
      const rows = await batchRows(ctx, p.crypto, batch.id, {
        outcome: q.outcome,
        afterRow: q.after,
        limit: q.limit + 1,
      });
      const page = rows.slice(0, q.limit);
      // The rows' cells are the uploaded data as it came in: a non-public read, naming the subjects
      // of the rows' records and the registered subjects whose codes the rows' cells hold.
      if (page.length > 0)
        await logNonPublicRead(p, request, {
          what: 'ingest_rows',
          entity: `ingest_batch:${batch.id}`,
          subjectIds: await subjectsOfRows(ctx, p.crypto, batch, page),
          recordIds: page.flatMap((r) => (r.record_id ? [r.record_id] : [])),
          fields: ['upload_row'],
          purpose: optionalPurpose(request),
          detail: { batchId: batch.id, fromRow: page[0]?.row_no, toRow: page[page.length - 1]?.row_no },
        });
      return {
        items: page.map((r) => ({
          row: r.row_no,
          outcome: r.outcome,
          recordId: r.record_id,
          subjectRegistered: r.subject_registered,
          errors: r.errors ?? [],
          cells: r.cells,
        })),
        more: rows.length > q.limit,
      };
    },
  );

  for (const format of ['csv', 'xlsx'] as const)
    app.get(
      `/api/v1/ingest/batches/:id/rejected.${format}`,
      {
        config: { access: [...READERS] },
        schema: {
          tags,
          summary: `被拒绝的行（${format.toUpperCase()}，原样列 + 错误说明，可修改后直接重新上传）/ Rejected rows as ${format.toUpperCase()}, re-submittable`,
          params: BatchIdParams,
        },
      },
      async (request, reply) => {
        const ctx = readCtx(p, request);
        const batch = await getBatch(ctx, deps, request.params.id);
        // Rejected rows are uploaded data as it came in (identifiers included): the download is a
        // non-public read, naming the registered subjects whose codes the rows hold.
        const read = await rejectedRowsRead(ctx, p.crypto, batch, format, optionalPurpose(request));
        const body =
          format === 'csv'
            ? await rejectedCsv(p.pool, p.crypto, batch)
            : await rejectedXlsx(p.pool, p.crypto, batch);
        await logNonPublicRead(p, request, read);
        const type =
          format === 'csv'
            ? 'text/csv; charset=utf-8'
            : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
        return attachment(reply, type, `batch-${batch.id}-rejected.${format}`).send(body);
      },
    );

  for (const format of ['csv', 'xlsx'] as const)
    app.get(
      `/api/v1/catalog/items/:code/template.${format}`,
      {
        config: { access: ['dept_officer', 'dept_reviewer', 'platform_admin', 'apikey'] },
        schema: {
          tags: ['catalog', ...tags],
          summary: `报送模板（${format.toUpperCase()}：表头、说明行、示例行）/ Submission template (headers, description row, example row)`,
          params: ItemCodeParams,
        },
      },
      async (request, reply) => {
        const ctx = readCtx(p, request);
        const code = request.params.code;
        const item = await getItemVersion(ctx, code).catch(() => {
          throw IngestErrors.ITEM_UNKNOWN({ field: 'code', item: code });
        });
        const own = actorDepartment(ctx.actor);
        if (own !== null && !(await isProvider(ctx, item.code, own)))
          throw IngestErrors.NOT_PROVIDER({ field: 'code', item: item.code });
        const name = `${item.code}-template.${format}`;
        const utf8 = `${item.nameZh}-模板.${format}`;
        if (format === 'csv')
          return attachment(reply, 'text/csv; charset=utf-8', name, utf8).send(templateCsv(item));
        return attachment(
          reply,
          'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
          name,
          utf8,
        ).send(await templateXlsx(item));
      },
    );
}
