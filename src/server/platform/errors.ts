import type { Bilingual } from '../../domain/i18n';

/**
 * Coded domain errors. Domain and service code throws these with no HTTP in them; the single
 * error handler in app.ts maps each code's declared status to the response.
 */
export type ErrorKind =
  | 'bad_request'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'unprocessable'
  | 'too_large'
  | 'rate_limited'
  | 'unavailable';

export const STATUS_OF_KIND: Record<ErrorKind, number> = {
  bad_request: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  unprocessable: 422,
  too_large: 413,
  rate_limited: 429,
  unavailable: 503,
};

export interface ErrorDetails {
  field?: string;
  [key: string]: unknown;
}

export class AppError extends Error {
  readonly code: string;
  readonly kind: ErrorKind;
  readonly text: Bilingual;
  readonly details: ErrorDetails;

  constructor(code: string, kind: ErrorKind, text: Bilingual, details: ErrorDetails = {}) {
    super(`${code}: ${text.en}`);
    this.name = 'AppError';
    this.code = code;
    this.kind = kind;
    this.text = text;
    this.details = details;
  }
}

export interface ErrorDefinition {
  kind: ErrorKind;
  zh: string;
  en: string;
}

type Factory = (details?: ErrorDetails, text?: Partial<Bilingual>) => AppError;

/**
 * Declares a module's error codes once; each becomes a factory. Messages may carry `{name}`
 * placeholders filled from details, so the text stays specific to the input.
 */
export function defineErrors<K extends string>(defs: Record<K, ErrorDefinition>): Record<K, Factory> {
  const out = {} as Record<K, Factory>;
  for (const code of Object.keys(defs) as K[]) {
    const def = defs[code];
    out[code] = (details = {}, text) =>
      new AppError(
        code,
        def.kind,
        { zh: text?.zh ?? fill(def.zh, details), en: text?.en ?? fill(def.en, details) },
        details,
      );
  }
  return out;
}

function fill(template: string, details: ErrorDetails): string {
  return template.replace(/\{(\w+)\}/g, (m, key: string) => {
    const v = details[key];
    return v === undefined || v === null ? m : String(v);
  });
}

export const CommonErrors = defineErrors({
  VALIDATION_FAILED: { kind: 'bad_request', zh: '请求参数不合法：{reason}', en: 'Invalid request: {reason}' },
  UNAUTHENTICATED: { kind: 'unauthenticated', zh: '请先登录', en: 'Authentication required' },
  FORBIDDEN: { kind: 'forbidden', zh: '无权执行此操作', en: 'You are not allowed to do this' },
  NOT_FOUND: { kind: 'not_found', zh: '未找到：{what}', en: 'Not found: {what}' },
  ROUTE_NOT_FOUND: { kind: 'not_found', zh: '接口不存在', en: 'No such endpoint' },
  BODY_TOO_LARGE: { kind: 'too_large', zh: '请求体超过大小限制', en: 'Request body is too large' },
  INSTANT_INVALID: {
    kind: 'bad_request',
    zh: '时间点格式不正确，应为 ISO 8601 时间',
    en: 'The instant must be an ISO 8601 date-time',
  },
  INSTANT_IN_FUTURE: {
    kind: 'bad_request',
    zh: '不能查询未来时间点的状态',
    en: 'The instant must not be in the future',
  },
  CONFLICT: { kind: 'conflict', zh: '数据已被修改，请刷新后重试', en: 'Concurrent change; reload and retry' },
  BUSY: {
    kind: 'unavailable',
    zh: '服务器繁忙（数据库连接已用尽），请稍后重试',
    en: 'The server is busy (no database connection free); retry shortly',
  },
  INTERNAL: { kind: 'unavailable', zh: '服务器内部错误', en: 'Internal server error' },
});
