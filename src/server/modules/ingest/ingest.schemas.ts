import { Type } from 'typebox';
import { Nullable } from '../../platform/schema';

const Bilingual = Type.Object({ zh: Type.String(), en: Type.String() });

export const BatchIdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });
export const ItemCodeParams = Type.Object({ code: Type.String({ minLength: 1, maxLength: 64 }) });

export const UploadQuery = Type.Object({
  async: Type.Optional(
    Type.Union([Type.Literal('1'), Type.Literal('0'), Type.Literal('true'), Type.Literal('false')]),
  ),
});

export const StreamQuery = Type.Object({
  itemCode: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  layout: Type.Optional(Type.Enum(['current', 'legacy2016'])),
  departmentId: Type.Optional(
    Type.Integer({ minimum: 1, description: '仅平台管理员代报送时使用 / only for an admin' }),
  ),
  async: Type.Optional(
    Type.Union([Type.Literal('1'), Type.Literal('0'), Type.Literal('true'), Type.Literal('false')]),
  ),
});

export const ListQuery = Type.Object({
  departmentId: Type.Optional(Type.Integer({ minimum: 1 })),
  itemCode: Type.Optional(Type.String({ maxLength: 64 })),
  status: Type.Optional(Type.Enum(['processing', 'done', 'failed'])),
  limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
  offset: Type.Integer({ minimum: 0, default: 0 }),
});

export const RowsQuery = Type.Object({
  outcome: Type.Optional(Type.Enum(['created', 'updated', 'unchanged', 'rejected'])),
  after: Type.Integer({
    minimum: 0,
    default: 0,
    description: '从该行号之后开始 / rows after this row number',
  }),
  limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
});

const Counts = Type.Object({
  accepted: Type.Integer({ description: '新增 / created' }),
  updated: Type.Integer({ description: '更正（新版本）/ corrected, new version' }),
  unchanged: Type.Integer(),
  rejected: Type.Integer(),
  skipped: Type.Integer({ description: '模板说明行、示例行 / template rows' }),
});

const RowError = Type.Object({
  row: Type.Integer(),
  field: Type.String(),
  code: Type.String(),
  message: Bilingual,
});

export const BatchSchema = Type.Object({
  id: Type.Integer(),
  status: Type.Enum(['processing', 'done', 'failed']),
  departmentId: Type.Integer(),
  itemCode: Type.String(),
  itemVersion: Type.Integer(),
  channel: Type.String(),
  submittedBy: Type.String(),
  fileName: Nullable(Type.String()),
  sizeBytes: Nullable(Type.Integer()),
  sha256: Nullable(Type.String()),
  format: Type.String(),
  encoding: Nullable(Type.String()),
  layout: Nullable(Type.String()),
  headers: Type.Union([Type.Array(Type.String()), Type.Null()]),
  ignoredHeaders: Type.Array(Type.String()),
  counts: Counts,
  subjectsRegistered: Type.Integer(),
  progress: Type.Object({ rows: Type.Integer(), total: Type.Null() }),
  createdAt: Type.String(),
  finishedAt: Nullable(Type.String()),
  durationMs: Nullable(Type.Integer()),
  error: Type.Union([
    Type.Object({
      code: Type.String(),
      message: Type.String(),
      messages: Type.Object({ 'zh-CN': Type.String(), en: Type.String() }),
    }),
    Type.Null(),
  ]),
  errors: Type.Optional(
    Type.Array(RowError, { description: '前 100 个被拒绝行的错误 / errors of the first 100 rejected rows' }),
  ),
  duplicateOf: Type.Optional(Nullable(Type.Integer())),
});

export const SubmitResponse = Type.Object({
  batchId: Type.Integer(),
  status: Type.Enum(['processing', 'done', 'failed']),
  counts: Counts,
  duplicateOf: Nullable(
    Type.Integer({
      description:
        '同一文件已处理过时为原批次 / the earlier batch when this exact file was already processed',
    }),
  ),
  batch: BatchSchema,
});

export const BatchList = Type.Object({ items: Type.Array(BatchSchema), more: Type.Boolean() });

export const RowsResponse = Type.Object({
  items: Type.Array(
    Type.Object({
      row: Type.Integer(),
      outcome: Type.String(),
      recordId: Nullable(Type.Integer()),
      subjectRegistered: Type.Boolean(),
      errors: Type.Array(Type.Object({ field: Type.String(), code: Type.String(), message: Bilingual })),
      cells: Type.Unknown(),
    }),
  ),
  more: Type.Boolean(),
});
