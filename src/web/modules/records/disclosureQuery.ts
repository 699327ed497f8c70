import { isRealDate } from '../../ui/asOf';

export const DISCLOSURE_PAGE_SIZE = 20;

/** The 双公示 items: administrative licences and penalties (national item codes). */
export const SHUANG_GONGSHI_ITEMS: readonly string[] = ['XZXK', 'XZCF'];

/** The API wants at least 2 characters for a name or document-number search. */
export function queryTooShort(q: string): boolean {
  const n = [...q.trim()].length;
  return n > 0 && n < 2;
}

export interface DisclosureFilters {
  q: string;
  item: string | null;
  department: number | null;
  from: string | null;
  to: string | null;
  page: number;
}

const date = (v: string | null) => (v && isRealDate(v) ? v : null);

export function readDisclosureParams(p: URLSearchParams): DisclosureFilters {
  const page = Number(p.get('page') ?? '1');
  const dept = Number(p.get('department') ?? '');
  let from = date(p.get('from'));
  let to = date(p.get('to'));
  // A reversed range is a slip of the hand, not a request for nothing.
  if (from && to && from > to) [from, to] = [to, from];
  return {
    q: queryTooShort(p.get('q') ?? '') ? '' : (p.get('q') ?? '').trim(),
    item: p.get('item') || null,
    department: Number.isInteger(dept) && dept > 0 ? dept : null,
    from,
    to,
    page: Number.isInteger(page) && page >= 1 ? Math.min(page, 10000 / DISCLOSURE_PAGE_SIZE + 1) : 1,
  };
}

export function writeDisclosureParams(f: DisclosureFilters): URLSearchParams {
  const p = new URLSearchParams();
  if (f.q) p.set('q', f.q);
  if (f.item) p.set('item', f.item);
  if (f.department) p.set('department', String(f.department));
  if (f.from) p.set('from', f.from);
  if (f.to) p.set('to', f.to);
  if (f.page > 1) p.set('page', String(f.page));
  return p;
}

/** The query of GET /api/v1/public/records for the filters. */
export function disclosureApiQuery(f: DisclosureFilters): Record<string, string | number | undefined> {
  return {
    q: f.q || undefined,
    item: f.item ?? undefined,
    department: f.department ?? undefined,
    from: f.from ?? undefined,
    to: f.to ?? undefined,
    limit: DISCLOSURE_PAGE_SIZE,
    offset: (f.page - 1) * DISCLOSURE_PAGE_SIZE,
  };
}
