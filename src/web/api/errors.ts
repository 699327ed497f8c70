import type { Lang } from '../i18n/lang';

/** Text in both languages, keyed as the server's error body keys them. */
export interface ErrorMessages {
  'zh-CN': string;
  en: string;
}

/** One problem that concerns a field of the request, e.g. `legalBasis` or `payload.CF_WSH`. */
export interface FieldProblem {
  /** The path as the server gave it, without the `body.` / `querystring.` prefix. */
  field: string;
  path: (string | number)[];
  code: string;
  messages: ErrorMessages;
}

/**
 * An error answered by the API (or a network failure), parsed from the body
 * `{ error: { code, message, messages, details: { field?, errors?, problems? } }, requestId }`.
 */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly messages: ErrorMessages;
  readonly details: Record<string, unknown>;
  readonly requestId: string | null;
  /** Every field-level problem: `details.field`, `details.errors[]` and `details.problems[]`. */
  readonly problems: FieldProblem[];

  constructor(init: {
    status: number;
    code: string;
    messages: ErrorMessages;
    details?: Record<string, unknown>;
    requestId?: string | null;
  }) {
    super(`${init.code}: ${init.messages.en}`);
    this.name = 'ApiError';
    this.status = init.status;
    this.code = init.code;
    this.messages = init.messages;
    this.details = init.details ?? {};
    this.requestId = init.requestId ?? null;
    this.problems = collectProblems(this.code, this.messages, this.details);
  }

  /** The main message in the user's language. */
  text(lang: Lang): string {
    return lang === 'en' ? this.messages.en : this.messages['zh-CN'];
  }

  /** The field the error is about (the first one when there are several). */
  get field(): string | undefined {
    return this.problems[0]?.field;
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Bilingual text as found in the API: `{ 'zh-CN', en }` or the domain's `{ zh, en }`. */
export function readMessages(v: unknown): ErrorMessages | null {
  if (!isRecord(v)) return null;
  const zh = typeof v['zh-CN'] === 'string' ? v['zh-CN'] : typeof v.zh === 'string' ? v.zh : null;
  const en = typeof v.en === 'string' ? v.en : null;
  if (zh === null && en === null) return null;
  return { 'zh-CN': zh ?? en ?? '', en: en ?? zh ?? '' };
}

const CONTEXT_PREFIX = /^(body|querystring|params|headers)(\.|$)/;

/**
 * `body.legalBasis[0].rank` → `['legalBasis', 0, 'rank']`. Validation errors carry the request part
 * (`body.`, `querystring.`) first; forms only know their own names.
 */
export function normalizeFieldPath(raw: string): (string | number)[] {
  const trimmed = raw.trim().replace(CONTEXT_PREFIX, '');
  if (!trimmed) return [];
  const out: (string | number)[] = [];
  for (const part of trimmed.split('.')) {
    const m = /^([^[\]]*)((?:\[\d+\])*)$/.exec(part);
    if (!m) {
      out.push(part);
      continue;
    }
    if (m[1]) out.push(m[1]);
    for (const idx of (m[2] ?? '').matchAll(/\[(\d+)\]/g)) out.push(Number(idx[1]));
  }
  return out;
}

export function pathToString(path: readonly (string | number)[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

function collectProblems(
  code: string,
  messages: ErrorMessages,
  details: Record<string, unknown>,
): FieldProblem[] {
  const out: FieldProblem[] = [];
  const push = (field: unknown, itemCode: unknown, msg: ErrorMessages | null, prefix = '') => {
    if (typeof field !== 'string' || !field) return;
    const path = normalizeFieldPath(field);
    if (path.length === 0) return;
    const full = prefix && path[0] !== prefix ? [prefix, ...path] : path;
    out.push({
      field: pathToString(full),
      path: full,
      code: typeof itemCode === 'string' ? itemCode : code,
      messages: msg ?? messages,
    });
  };
  for (const key of ['problems', 'errors'] as const) {
    const list = details[key];
    if (!Array.isArray(list)) continue;
    // Record row errors name payload fields (CF_WSH); they live under `payload` in forms.
    const prefix = key === 'errors' && code === 'PAYLOAD_INVALID' ? 'payload' : '';
    for (const p of list) if (isRecord(p)) push(p.field, p.code, readMessages(p.message), prefix);
  }
  if (out.length === 0) push(details.field, code, messages);
  return out;
}

/** Builds an ApiError from any response: the API's error body, or a plain HTTP failure. */
export function toApiError(status: number, body: unknown, requestId: string | null = null): ApiError {
  if (isRecord(body) && isRecord(body.error)) {
    const e = body.error;
    const fallback = typeof e.message === 'string' ? e.message : `HTTP ${status}`;
    return new ApiError({
      status,
      code: typeof e.code === 'string' ? e.code : `HTTP_${status}`,
      messages: readMessages(e.messages) ?? { 'zh-CN': fallback, en: fallback },
      details: isRecord(e.details) ? e.details : {},
      requestId: typeof body.requestId === 'string' ? body.requestId : requestId,
    });
  }
  return new ApiError({
    status,
    code: `HTTP_${status}`,
    messages: {
      'zh-CN': status >= 500 ? `服务暂时不可用（HTTP ${status}）` : `请求失败（HTTP ${status}）`,
      en:
        status >= 500 ? `The service is unavailable (HTTP ${status})` : `The request failed (HTTP ${status})`,
    },
    requestId,
  });
}

export function networkError(): ApiError {
  return new ApiError({
    status: 0,
    code: 'NETWORK',
    messages: {
      'zh-CN': '无法连接服务器，请检查网络后重试',
      en: 'Cannot reach the server; check the connection and retry',
    },
  });
}

/** True when the endpoint itself does not exist (a capability not installed yet). */
export function isMissingEndpoint(err: unknown): boolean {
  return (
    err instanceof ApiError &&
    (err.code === 'ROUTE_NOT_FOUND' || (err.status === 404 && err.code === 'HTTP_404'))
  );
}

export type FormPath = (string | number)[];

/** Errors for a form, grouped by the form field they belong to, plus those no field claims. */
export interface FormErrors {
  fields: { name: FormPath; errors: string[] }[];
  general: string[];
}

/**
 * Maps an API error onto a form. `resolve` turns a server path into the form's field path (or null
 * when the form has no such field); the default takes the longest prefix found in `known`.
 * Messages come out in `lang`; an error that concerns no field of the form goes to `general`.
 */
export type FieldResolver = (path: FormPath, code: string) => FormPath | null;

export function mapErrorToForm(
  err: ApiError,
  lang: Lang,
  resolve: FieldResolver | readonly FormPath[],
): FormErrors {
  const resolver = typeof resolve === 'function' ? resolve : longestKnownPrefix(resolve);
  const byField = new Map<string, { name: FormPath; errors: string[] }>();
  const general: string[] = [];
  const say = (m: ErrorMessages) => (lang === 'en' ? m.en : m['zh-CN']);
  for (const p of err.problems) {
    const name = resolver(p.path, p.code);
    if (!name) {
      general.push(say(p.messages));
      continue;
    }
    const key = JSON.stringify(name);
    const entry = byField.get(key) ?? { name, errors: [] };
    const text = say(p.messages);
    if (!entry.errors.includes(text)) entry.errors.push(text);
    byField.set(key, entry);
  }
  if (err.problems.length === 0) general.push(err.text(lang));
  return { fields: [...byField.values()], general: [...new Set(general)] };
}

export function longestKnownPrefix(known: readonly FormPath[]): (path: FormPath) => FormPath | null {
  return (path) => {
    let best: FormPath | null = null;
    for (const k of known) {
      if (k.length > path.length) continue;
      if (!k.every((seg, i) => seg === path[i])) continue;
      if (!best || k.length > best.length) best = k;
    }
    return best;
  };
}
