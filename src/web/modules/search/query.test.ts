import { describe, expect, it } from 'vitest';
import { looksLikeCode, queryHint, readSearchParams, shouldSuggest, writeSearchParams } from './query';

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
    expect(s).toEqual({ q: '重庆', types: ['ENTERPRISE'], region: '500103', category: 'ADM', page: 3 });
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
});
