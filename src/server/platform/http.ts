import type { FastifyReply, FastifyRequest } from 'fastify';
import { type Bilingual, pickLang, say } from '../../domain/i18n';
import { AppError, CommonErrors, STATUS_OF_KIND } from './errors';

export interface ErrorBody {
  error: {
    code: string;
    message: string;
    messages: { 'zh-CN': string; en: string };
    details: Record<string, unknown>;
  };
  requestId: string;
}

export function errorBody(request: FastifyRequest, err: AppError): ErrorBody {
  const lang = pickLang(request.headers['accept-language']);
  return {
    error: {
      code: err.code,
      message: say(err.text, lang),
      messages: { 'zh-CN': err.text.zh, en: err.text.en },
      details: err.details,
    },
    requestId: request.id,
  };
}

interface FastifyValidationIssue {
  instancePath?: string;
  keyword?: string;
  message?: string;
  params?: Record<string, unknown>;
}

interface FastifyLikeError {
  code?: string;
  statusCode?: number;
  validation?: FastifyValidationIssue[];
  validationContext?: string;
  message?: string;
}

/** Maps any thrown value to a coded error; unknown errors never leak their message or stack. */
export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  const e = (err ?? {}) as FastifyLikeError;
  if (e.validation && e.validation.length) {
    const issue = e.validation[0] as FastifyValidationIssue;
    const missing = issue.keyword === 'required' ? String(issue.params?.missingProperty ?? '') : '';
    const extra =
      issue.keyword === 'additionalProperties' ? String(issue.params?.additionalProperty ?? '') : '';
    const path = (issue.instancePath ?? '').replace(/^\//, '').replace(/\//g, '.');
    const field = [e.validationContext, path, missing || extra].filter(Boolean).join('.');
    return CommonErrors.VALIDATION_FAILED(
      { field, reason: issue.message ?? '' },
      validationText(issue, field),
    );
  }
  switch (e.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return CommonErrors.BODY_TOO_LARGE();
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return CommonErrors.VALIDATION_FAILED(
        { reason: e.code },
        { zh: '请求体格式不正确', en: 'The request body is malformed' },
      );
  }
  // PostgreSQL "data exception" (SQLSTATE class 22): a value the database cannot hold, such as a
  // NUL character in text or a number beyond int8. The input is at fault, not the server.
  if (typeof e.code === 'string' && /^22[0-9A-Z]{3}$/.test(e.code) && 'routine' in (err as object)) {
    return CommonErrors.VALIDATION_FAILED(
      { reason: e.code },
      {
        zh: '请求中含有无法处理的数据（如空字符或超出范围的数字）',
        en: 'The request holds a value that cannot be processed (such as a NUL character or an out-of-range number)',
      },
    );
  }
  if (e.statusCode === 400 || (err instanceof SyntaxError && e.statusCode)) {
    return CommonErrors.VALIDATION_FAILED(
      { reason: 'malformed' },
      { zh: '请求体不是合法的 JSON', en: 'The request body is not valid JSON' },
    );
  }
  // pg-pool gave up waiting for a free connection (createPool's connection timeout): the server
  // is overloaded, the request itself is fine.
  if (err instanceof Error && err.message === 'timeout exceeded when trying to connect')
    return CommonErrors.BUSY();
  return CommonErrors.INTERNAL();
}

function validationText(issue: FastifyValidationIssue, field: string): Bilingual {
  const f = field || '(body)';
  switch (issue.keyword) {
    case 'required':
      return { zh: `缺少必填字段 ${f}`, en: `Missing required field ${f}` };
    case 'additionalProperties':
      return { zh: `不允许的字段 ${f}`, en: `Field ${f} is not allowed` };
    case 'enum':
    case 'const':
    case 'anyOf':
      return { zh: `字段 ${f} 的取值不在允许范围内`, en: `Field ${f} has a value that is not allowed` };
    case 'format':
      return {
        zh: `字段 ${f} 格式不正确（应为 ${String(issue.params?.format ?? '')}）`,
        en: `Field ${f} has the wrong format (expected ${String(issue.params?.format ?? '')})`,
      };
    case 'maxLength':
      return { zh: `字段 ${f} 过长`, en: `Field ${f} is too long` };
    case 'minLength':
      return { zh: `字段 ${f} 过短或为空`, en: `Field ${f} is too short or empty` };
    case 'pattern':
      return { zh: `字段 ${f} 格式不正确`, en: `Field ${f} does not match the expected pattern` };
    case 'type':
      return {
        zh: `字段 ${f} 类型错误（应为 ${String(issue.params?.type ?? '')}）`,
        en: `Field ${f} has the wrong type (expected ${String(issue.params?.type ?? '')})`,
      };
    default:
      return {
        zh: `字段 ${f} 不合法：${issue.message ?? ''}`,
        en: `Field ${f} is invalid: ${issue.message ?? ''}`,
      };
  }
}

export function sendError(request: FastifyRequest, reply: FastifyReply, err: unknown): FastifyReply {
  const appErr = toAppError(err);
  const status = STATUS_OF_KIND[appErr.kind] ?? 500;
  if (appErr.code === 'INTERNAL') request.log.error({ err }, 'unhandled error');
  return reply.status(appErr.code === 'INTERNAL' ? 500 : status).send(errorBody(request, appErr));
}

/** Parses `?at=`: an ISO instant not in the future. */
export function parseInstant(raw: string | undefined, now: Date): Date {
  if (raw === undefined || raw === '') return now;
  const d = new Date(raw);
  if (!/^\d{4}-\d{2}-\d{2}/.test(raw) || Number.isNaN(d.getTime()))
    throw CommonErrors.INSTANT_INVALID({ field: 'at' });
  if (d.getTime() > now.getTime()) throw CommonErrors.INSTANT_IN_FUTURE({ field: 'at' });
  return d;
}

/**
 * Sends a body that is already JSON (written by the route itself, or kept in a cache) as is. Hooks
 * (security headers) still run; the route's schema serializer does not, so the route must hold the
 * body to its response schema itself (the public profile does, tested in records.test.ts).
 */
export function sendJsonBody(reply: FastifyReply, body: string | Buffer): FastifyReply {
  return reply.type('application/json; charset=utf-8').send(body);
}
