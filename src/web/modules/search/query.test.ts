import { describe, expect, it } from 'vitest';
import {
  looksLikeCode,
  queryHint,
  readSearchParams,
  searchHref,
  shouldSuggest,
  subjectHref,
  writeSearchParams,
} from './query';

describe('search box', () => {
  it('asks for suggestions from two Chinese characters or two letters on', () => {
    expect(shouldSuggest('重')).toBe(false);
    expect(shouldSuggest('重庆')).toBe(true);
    expect(shouldSuggest(' c ')).toBe(false);
    expect(shouldSuggest('cq')).toBe(true);
    expect(shouldSuggest('chongqing')).toBe(true);
    expect(shouldSuggest('   ')).toBe(false);
  });

  it('explains why a code cannot be found instead of showing an empty list', () => {
    expect(looksLikeCode('91500103MA5U00003N')).toBe(true);
    expect(looksLikeCode('重庆火锅')).toBe(false);
    expect(looksLikeCode('cqhg')).toBe(false);
    expect(queryHint('91500103MA5U00003N')).toBeNull();
    const hint = queryHint('91500103MA5U00003M');
    expect(hint?.zh).toMatch(/校验/);
    expect(hint?.en).toMatch(/check/i);
    expect(queryHint('9150010')).toBeNull();
  });

  it('keeps filters and page in the URL and drops nonsense', () => {
    const p = new URLSearchParams('q=重庆&type=ENTERPRISE&type=BOGUS&region=500103&category=ADM&page=3');
    const s = readSearchParams(p);
    expect(s).toEqual({
      q: '重庆',
      types: ['ENTERPRISE'],
      region: '500103',
      category: 'ADM',
      at: null,
      page: 3,
    });
    expect(writeSearchParams(s).toString()).toBe(
      'q=%E9%87%8D%E5%BA%86&type=ENTERPRISE&region=500103&category=ADM&page=3',
    );
    expect(readSearchParams(new URLSearchParams('q=x&page=-2&region=abc&category=a%27b'))).toMatchObject({
      page: 1,
      region: null,
      category: null,
    });
    expect(readSearchParams(new URLSearchParams('q=x&page=9999')).page).toBe(51);
  });

  // 2026-06-01 01:00 in Beijing is still 31 May in UTC: "today" is China's date.
  const now = new Date('2026-05-31T17:00:00Z');

  it('keeps a past "as of" date in the URL, with the filters', () => {
    const s = readSearchParams(new URLSearchParams('q=重庆&at=2025-01-01&region=500103&page=2'), now);
    expect(s).toMatchObject({ q: '重庆', region: '500103', at: '2025-01-01', page: 2 });
    expect(writeSearchParams(s).toString()).toBe('q=%E9%87%8D%E5%BA%86&region=500103&at=2025-01-01&page=2');
    // Changing the date goes back to the first page, as the page does for every filter.
    expect(writeSearchParams({ ...s, page: 1, at: '2024-12-31' }).toString()).toBe(
      'q=%E9%87%8D%E5%BA%86&region=500103&at=2024-12-31',
    );
    expect(writeSearchParams({ ...s, at: null }).has('at')).toBe(false);
    // An instant as the API takes it is kept as given.
    expect(readSearchParams(new URLSearchParams('q=x&at=2025-03-04T02:00:00Z'), now).at).toBe(
      '2025-03-04T02:00:00Z',
    );
  });

  it('drops today, future and impossible dates from the state (they mean now)', () => {
    const at = (v: string) => readSearchParams(new URLSearchParams({ q: 'x', at: v }), now).at;
    expect(at('2026-06-01')).toBeNull();
    expect(at('2026-06-02')).toBeNull();
    expect(at('2027-01-01T00:00:00Z')).toBeNull();
    expect(at('2025-02-30')).toBeNull();
    expect(at('yesterday')).toBeNull();
    expect(at('2026-05-31')).toBe('2026-05-31');
    expect(
      writeSearchParams(readSearchParams(new URLSearchParams('q=x&at=2026-06-02'), now)).toString(),
    ).toBe('q=x');
  });

  it('carries the "as of" date to a new search and to the subject opened', () => {
    expect(searchHref('重庆 火锅')).toBe('/search?q=%E9%87%8D%E5%BA%86+%E7%81%AB%E9%94%85');
    expect(searchHref('cqhg', '2025-01-01')).toBe('/search?q=cqhg&at=2025-01-01');
    expect(subjectHref('S12')).toBe('/subjects/S12');
    expect(subjectHref('S12', '2025-01-01')).toBe('/subjects/S12?at=2025-01-01');
    expect(subjectHref('a/b', '2025-03-04T02:00:00Z')).toBe('/subjects/a%2Fb?at=2025-03-04T02%3A00%3A00Z');
  });
});
