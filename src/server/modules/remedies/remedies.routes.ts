import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import multipart from '@fastify/multipart';
import { Gauge } from 'prom-client';
import { Type } from 'typebox';
import { civilDate } from '../../../domain/periods';
import { inTx, readCtx } from '../../platform/platform';
import { logNonPublicRead, statedPurpose, subjectIdsOfRefs } from '../audit';
import { setDisputeLookup } from '../records';
import { FILES_PER_REQUEST, readUploads, refuseOversized } from './remedies.files';
import { myRecords } from './remedies.mine';
import * as objections from './remedies.objections';
import { repairPolicy, setRepairPolicy } from './remedies.policy';
import * as repair from './remedies.repair';
import { remediesRepo } from './remedies.repository';
import {
  ApplicationSchema,
  CodeParams,
  DecisionBody,
  DraftBody,
  EligibilityResponse,
  FileParams,
  IdParams,
  MyRecordsSchema,
  NoteBody,
  ObjectionBody,
  ObjectionQueueQuery,
  ObjectionSchema,
  PolicyBody,
  PolicySchema,
  PublicStatusSchema,
  QueueQuery,
  ReasonBody,
  ResolveBody,
  SubmitBody,
  TargetQuery,
} from './remedies.schemas';

/**
 * Credit repair and objections: the subject applies and objects, the platform forwards, the deciding
 * department decides within its working-day clock, anyone follows an application by its query code.
 * Repair is a free public service: no route here charges or takes payment details.
 */
export async function remediesRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const p = app.platform;
  const deps: repair.RepairDeps = { crypto: p.crypto };
  const tags = ['remedies'];

  await app.register(multipart, { throwFileSizeLimit: false });

  // The public profile marks records under objection review (records cannot import this module).
  setDisputeLookup(async (ctx, ids, at) => new Set(await remediesRepo.disputedAt(ctx.db, ids, at)));

  const overdue = new Gauge({
    name: 'xinyong_remedies_overdue',
    help: 'Repair applications and objections past their working-day deadline, by stage',
    labelNames: ['stage'],
    registers: [fastify.metrics],
    async collect() {
      try {
        const c = await remediesRepo.overdueCounts(p.pool, civilDate(p.clock()));
        this.set({ stage: 'forward' }, c.forward);
        this.set({ stage: 'decide' }, c.decide);
        this.set({ stage: 'objection' }, c.objections);
      } catch {
        // A scrape during a database restart reports the last values.
      }
    },
  });
  void overdue;

  // ---- public ----

  app.get(
    '/api/v1/public/repairs/:code',
    {
      config: { access: ['public'] },
      schema: {
        tags: ['public'],
        summary: '凭查询码查询信用修复进度 / Follow a repair application by its query code',
        description: '不显示任何个人信息。/ Shows no personal data.',
        params: CodeParams,
        response: { 200: PublicStatusSchema },
      },
    },
    async (request) => repair.publicStatus(readCtx(p, request), request.params.code),
  );

  app.get(
    '/api/v1/public/remedies/policy',
    {
      config: { access: ['public'] },
      schema: {
        tags: ['public'],
        summary: '信用修复规则（时限、不可修复情形）/ Repair rules: clocks and non-repairable information',
        response: { 200: PolicySchema },
      },
    },
    async (request) => repairPolicy(readCtx(p, request)),
  );

  app.put(
    '/api/v1/remedies/policy',
    {
      config: { access: ['platform_admin'] },
      schema: {
        tags,
        summary: '修改信用修复规则 / Change the repair rules',
        body: PolicyBody,
        response: { 200: PolicySchema },
      },
    },
    async (request) =>
      inTx(p, request, (ctx) => setRepairPolicy(ctx, request.body as Parameters<typeof setRepairPolicy>[1])),
  );

  // ---- the subject ----

  app.get(
    '/api/v1/me/records',
    {
      config: { access: ['subject'] },
      schema: {
        tags,
        summary: '本主体的全部信用记录及可否修复 / All records held on my subject, with repair eligibility',
        response: { 200: MyRecordsSchema },
      },
    },
    async (request) => myRecords(readCtx(p, request)),
  );

  app.get(
    '/api/v1/repairs/eligibility',
    {
      config: { access: ['user'] },
      schema: {
        tags,
        summary: '能否申请修复、自何日起 / Whether it can be repaired now, or from when',
        querystring: TargetQuery,
        response: { 200: EligibilityResponse },
      },
    },
    async (request) => repair.checkEligibility(readCtx(p, request), request.query),
  );

  app.post(
    '/api/v1/repairs',
    {
      config: { access: ['subject'] },
      schema: {
        tags,
        summary: '起草修复申请（生成承诺书）/ Start an application (the commitment letter is generated)',
        description:
          '指明一条信用记录或一条名单记录；代他人申请时填写 agent 并在提交前上传授权委托书。/ One record or one list entry; an agent fills `agent` and uploads an authorisation letter before submitting.',
        body: DraftBody,
        response: { 201: ApplicationSchema },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await inTx(p, request, (ctx) => repair.createDraft(ctx, deps, request.body))),
  );

  app.get(
    '/api/v1/repairs/mine',
    {
      config: { access: ['subject'] },
      schema: {
        tags,
        summary: '我的修复申请 / My repair applications',
        response: { 200: Type.Array(ApplicationSchema) },
      },
    },
    async (request) => repair.myApplications(readCtx(p, request)),
  );

  app.post(
    '/api/v1/repairs/:id/files',
    {
      config: { access: ['subject'] },
      schema: {
        tags,
        summary: '上传材料（PDF、JPG、PNG）/ Upload materials (PDF, JPG, PNG)',
        description: `multipart/form-data：字段 kind（evidence 证明材料 | authorisation 授权委托书）写在文件之前；每次最多 ${FILES_PER_REQUEST} 个文件，每个不超过 10 MB（按政策配置）。/ A kind field before the files; up to ${FILES_PER_REQUEST} files per request, 10 MB each by default.`,
        consumes: ['multipart/form-data'],
        params: IdParams,
        response: { 200: ApplicationSchema },
      },
    },
    async (request, reply) => {
      const policy = await repairPolicy(readCtx(p, request));
      try {
        refuseOversized(request, policy.maxFileBytes);
      } catch (err) {
        // Refused before a byte of the body is read; the connection closes behind the answer.
        reply.header('connection', 'close');
        throw err;
      }
      let files;
      try {
        files = await readUploads(request, policy.maxFileBytes);
      } catch (err) {
        // The rest of a refused upload is not read: close the connection behind the answer.
        reply.header('connection', 'close');
        throw err;
      }
      return inTx(p, request, (ctx) => repair.addFiles(ctx, request.params.id, files));
    },
  );

  app.post(
    '/api/v1/repairs/:id/submit',
    {
      config: { access: ['subject'] },
      schema: {
        tags,
        summary:
          '接受承诺书并提交（开始计时，发放查询码）/ Accept the commitment and submit (clock starts, query code issued)',
        params: IdParams,
        body: SubmitBody,
        response: { 200: ApplicationSchema },
      },
    },
    async (request) =>
      inTx(p, request, (ctx) => repair.submitApplication(ctx, request.params.id, request.body)),
  );

  app.post(
    '/api/v1/repairs/:id/withdraw',
    {
      config: { access: ['subject'] },
      schema: {
        tags,
        summary: '撤回申请 / Withdraw the application',
        params: IdParams,
        body: ReasonBody,
        response: { 200: ApplicationSchema },
      },
    },
    async (request) =>
      inTx(p, request, (ctx) => repair.withdrawApplication(ctx, request.params.id, request.body.reason)),
  );

  // ---- the platform and the deciding department ----

  app.get(
    '/api/v1/repairs/queue',
    {
      config: { access: ['platform_admin', 'dept_reviewer', 'auditor'] },
      schema: {
        tags,
        summary: '待办修复申请及期限（平台：待转办；部门：待决定）/ Applications to act on, with deadlines',
        querystring: QueueQuery,
        response: { 200: Type.Array(ApplicationSchema) },
      },
    },
    async (request) => {
      const purpose = statedPurpose(request);
      const queue = await repair.repairQueue(readCtx(p, request), request.query);
      // Applications carry the subject's statements and file names: every such read is an event.
      if (queue.length > 0)
        await logNonPublicRead(p, request, {
          what: 'repair_applications',
          entity: `repair_applications:${queue.map((a) => a.id).join(',')}`,
          subjectIds: subjectIdsOfRefs(queue.map((a) => a.subject.ref)),
          fields: ['repair_application'],
          purpose,
          detail: { applications: queue.map((a) => a.id) },
        });
      return queue;
    },
  );

  app.get(
    '/api/v1/repairs/:id',
    {
      config: { access: ['user'] },
      schema: {
        tags,
        summary: '修复申请详情 / An application',
        params: IdParams,
        response: { 200: ApplicationSchema },
      },
    },
    async (request) => {
      const purpose = statedPurpose(request);
      const application = await repair.getApplication(readCtx(p, request), request.params.id);
      await logNonPublicRead(p, request, {
        what: 'repair_application',
        entity: `repair_application:${application.id}`,
        subjectIds: subjectIdsOfRefs([application.subject.ref]),
        fields: ['repair_application'],
        purpose,
      });
      return application;
    },
  );

  app.get(
    '/api/v1/repairs/:id/files/:fileId',
    {
      config: { access: ['user'] },
      schema: { tags, summary: '下载材料 / Download a file', params: FileParams },
    },
    async (request, reply) => {
      const purpose = statedPurpose(request);
      const f = await repair.fileOf(readCtx(p, request), request.params.id, request.params.fileId);
      // Evidence files are non-public: whoever downloads one is recorded.
      await logNonPublicRead(p, request, {
        what: 'repair_file',
        entity: `repair_file:${f.id}`,
        subjectIds: [f.subject_id],
        fields: ['evidence_file'],
        purpose,
        detail: { application: request.params.id, file: f.id, sha256: f.sha256.toString('hex') },
      });
      return reply
        .header('content-type', f.media_type)
        .header(
          'content-disposition',
          `attachment; filename="file-${f.id}.${f.filename.split('.').pop() ?? 'bin'}"; filename*=UTF-8''${encodeURIComponent(f.filename)}`,
        )
        .header('x-content-sha256', f.sha256.toString('hex'))
        .header('x-content-type-options', 'nosniff')
        .send(f.content);
    },
  );

  app.post(
    '/api/v1/repairs/:id/forward',
    {
      config: { access: ['platform_admin'] },
      schema: {
        tags,
        summary: '转办认定部门（答复申请人）/ Forward to the deciding department',
        params: IdParams,
        body: NoteBody,
        response: { 200: ApplicationSchema },
      },
    },
    async (request) =>
      inTx(p, request, (ctx) => repair.forwardApplication(ctx, request.params.id, request.body.note)),
  );

  app.post(
    '/api/v1/repairs/:id/reject',
    {
      config: { access: ['platform_admin'] },
      schema: {
        tags,
        summary: '不予受理（说明理由）/ Not admissible, with the reason',
        params: IdParams,
        body: ReasonBody,
        response: { 200: ApplicationSchema },
      },
    },
    async (request) =>
      inTx(p, request, (ctx) => repair.rejectApplication(ctx, request.params.id, request.body.reason)),
  );

  app.post(
    '/api/v1/repairs/:id/extension',
    {
      config: { access: ['dept_reviewer'] },
      schema: {
        tags,
        summary: '延长办理期限（仅一次，说明理由）/ Extend the deadline once, with a reason',
        params: IdParams,
        body: ReasonBody,
        response: { 200: ApplicationSchema },
      },
    },
    async (request) =>
      inTx(p, request, (ctx) => repair.extendApplication(ctx, request.params.id, request.body.reason)),
  );

  app.post(
    '/api/v1/repairs/:id/decision',
    {
      config: { access: ['dept_reviewer'] },
      schema: {
        tags,
        summary:
          '作出修复决定（准予修复时一并终止公示、停止共享、移出名单）/ Decide; a grant stops disclosure and sharing and ends entries, in one transaction',
        description:
          '超过期限仍可决定，但须填写 lateReason，并记为逾期。/ After the deadline a decision needs lateReason and is recorded as overdue.',
        params: IdParams,
        body: DecisionBody,
        response: { 200: ApplicationSchema },
      },
    },
    async (request) =>
      inTx(p, request, (ctx) => repair.decideApplication(ctx, deps, request.params.id, request.body)),
  );

  // ---- objections ----

  app.post(
    '/api/v1/objections',
    {
      config: { access: ['subject'] },
      schema: {
        tags,
        summary:
          '提出异议（内容、分类、期限或修复决定）/ Object to a record (content, classification, period) or a repair decision',
        body: ObjectionBody,
        response: { 201: ObjectionSchema },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await inTx(p, request, (ctx) => objections.openObjection(ctx, request.body))),
  );

  app.get(
    '/api/v1/objections/mine',
    {
      config: { access: ['subject'] },
      schema: {
        tags,
        summary: '我的异议及处理结果 / My objections and their outcomes',
        response: { 200: Type.Array(ObjectionSchema) },
      },
    },
    async (request) => objections.myObjections(readCtx(p, request)),
  );

  app.get(
    '/api/v1/objections',
    {
      config: { access: ['dept_officer', 'dept_reviewer', 'platform_admin', 'auditor'] },
      schema: {
        tags,
        summary: '异议核查队列及期限 / Objections to answer, with deadlines',
        querystring: ObjectionQueueQuery,
        response: { 200: Type.Array(ObjectionSchema) },
      },
    },
    async (request) => {
      const purpose = statedPurpose(request);
      const queue = await objections.objectionQueue(readCtx(p, request), request.query);
      // Objections carry the subject's grounds and statement: every such read is an event.
      if (queue.length > 0)
        await logNonPublicRead(p, request, {
          what: 'objections',
          entity: `objections:${queue.map((o) => o.id).join(',')}`,
          subjectIds: subjectIdsOfRefs(queue.map((o) => o.subject.ref)),
          fields: ['objection'],
          purpose,
          detail: { objections: queue.map((o) => o.id) },
        });
      return queue;
    },
  );

  app.post(
    '/api/v1/objections/:id/resolution',
    {
      config: { access: ['dept_officer', 'dept_reviewer'] },
      schema: {
        tags,
        summary:
          '答复异议：维持、更正（新版本）或撤回 / Answer: confirm, correct (a new version) or withdraw',
        params: IdParams,
        body: ResolveBody,
        response: { 200: ObjectionSchema },
      },
    },
    async (request) =>
      inTx(p, request, (ctx) => objections.resolveObjection(ctx, p.crypto, request.params.id, request.body)),
  );
}
