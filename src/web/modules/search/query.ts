import { checkId } from '../../../domain/identifiers/classify';
import { isSubjectType, type SubjectType } from '../../../domain/subject-types';
import type { Msg } from '../../i18n/lang';
import { parseAtParam } from '../../ui/asOf';

export const PAGE_SIZE = 20;
/** The API pages up to offset 1000. */
export const MAX_PAGE = Math.floor(1000 / PAGE_SIZE) + 1;

const CJK = /[\u3400-\u9fff\uf900-\ufaff]/;

/**
 * Whether a typed text is worth asking the server for suggestions: two Chinese characters, two
 * letters of pinyin initials, or something that looks like the start of a code. Shorter input is
 * refused by the API (QUERY_TOO_SHORT) and would only flood it.
 */
export function shouldSuggest(raw: string): boolean {
  const q = raw.trim();
  if (!q) return false;
  const cjk = [...q].filter((c) => CJK.test(c)).length;
  if (cjk > 0) return cjk >= 2;
  return q.replace(/\s+/g, '').length >= 2;
}

/** Input that is meant as an identifier: 9+ characters of digits and capitals with at least 6 digits. */
export function looksLikeCode(raw: string): boolean {
  const q = raw.replace(/[\s-]/g, '');
  return q.length >= 9 && /^[0-9A-Za-z]+$/.test(q) && (q.match(/\d/g)?.length ?? 0) >= 6;
}

/**
 * A hint shown under the search box when the text is an identifier that cannot be valid (wrong
 * length, wrong check character): the server would find nothing, the hint says why.
 */
export function queryHint(raw: string): Msg | null {
  if (!looksLikeCode(raw)) return null;
  const r = checkId(raw);
  if (r.valid || !r.message) return null;
  return { zh: r.message.zh, en: r.message.en };
}

export interface SearchState {
  q: string;
  types: SubjectType[];
  region: string | null;
  /** Catalogue category code: subjects with disclosed records of that category. */
  category: string | null;
  /**
   * The "as of" `?at=` value (a past civil date, or an instant as the API takes it) the results
   * answer for; null means now. Invalid or future values are dropped (the page says so).
   */
  at: string | null;
  page: number;
}

export function readSearchParams(params: URLSearchParams, now = new Date()): SearchState {
  const page = Number(params.get('page') ?? '1');
  const region = params.get('region');
  const category = params.get('category');
  const at = (params.get('at') ?? '').trim();
  return {
    q: (params.get('q') ?? '').trim(),
    types: params.getAll('type').filter(isSubjectType),
    region: region && /^\d{6}$/.test(region) ? region : null,
    category: category && /^[A-Z0-9_]{1,20}$/.test(category) ? category : null,
    at: parseAtParam(at, now).kind === 'past' ? at : null,
    page: Number.isInteger(page) && page >= 1 ? Math.min(page, MAX_PAGE) : 1,
  };
}

export function writeSearchParams(s: SearchState): URLSearchParams {
  const p = new URLSearchParams();
  if (s.q) p.set('q', s.q);
  for (const t of s.types) p.append('type', t);
  if (s.region) p.set('region', s.region);
  if (s.category) p.set('category', s.category);
  if (s.at) p.set('at', s.at);
  if (s.page > 1) p.set('page', String(s.page));
  return p;
}

/** The results page for a query, keeping the "as of" date of the page it is typed on. */
export function searchHref(q: string, at: string | null = null): string {
  const p = new URLSearchParams({ q });
  if (at) p.set('at', at);
  return `/search?${p.toString()}`;
}

/** A subject's page as of the same date as the results it was opened from. */
export function subjectHref(ref: string, at: string | null = null): string {
  const path = `/subjects/${encodeURIComponent(ref)}`;
  return at ? `${path}?${new URLSearchParams({ at }).toString()}` : path;
}
