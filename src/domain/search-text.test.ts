import { describe, expect, it } from 'vitest';
import { gramSources, likeEscape, nameGrams, pinyinKeys, queryShape } from './search-text';

describe('search text', () => {
  it('reads polyphones in place names right', () => {
    expect(pinyinKeys('重庆长寿化工有限公司')).toEqual({
      pinyin: 'chongqingchangshouhuagongyouxiangongsi',
      initials: 'cqcshgyxgs',
    });
  });
  it('keeps letters and digits of mixed names', () => {
    expect(pinyinKeys('渝中区A8餐厅').initials).toBe('yzqa8ct');
  });
  it('classifies queries', () => {
    expect(queryShape('鸿药')).toEqual({ kind: 'name', term: '鸿药', chars: 2 });
    expect(queryShape(' CQ ')).toEqual({ kind: 'pinyin', term: 'cq' });
    expect(queryShape('   ')).toEqual({ kind: 'empty' });
    expect(queryShape('１２３')).toEqual({ kind: 'name', term: '123', chars: 3 });
  });
  it('escapes LIKE wildcards', () => {
    expect(likeEscape('50%_off\\')).toBe('50\\%\\_off\\\\');
  });
});

describe('top-k name search keys', () => {
  it('stores a name under ^ + its first bigram and every later distinct bigram', () => {
    expect(nameGrams('重庆重庆')).toEqual(['^重庆', '庆重', '重庆']);
    expect(nameGrams('渝中区烧烤')).toEqual(['^渝中', '中区', '区烧', '烧烤']);
    expect(nameGrams('渝')).toEqual([]);
    expect(nameGrams('𠀀𠀁𠀂')).toEqual(['^𠀀𠀁', '𠀁𠀂']); // astral characters count as one
  });

  it('reads a term through its rarest usable bigram', () => {
    const freq: Record<string, number> = {
      '^重庆': 0.5,
      重庆: 0.01,
      庆鸿: 0.0001,
      鸿药: 0.001,
      有限: 0.3,
      限公: 0.3,
      公司: 0.3,
    };
    const f = (g: string) => freq[g] ?? 0.00001;
    // Prefix matches hold 庆鸿 at a later position, a far smaller range than every name starting 重庆.
    expect(gramSources('重庆鸿药', f)).toEqual({ prefix: '庆鸿', inner: '庆鸿' });
    // Nobody's name starts with 有限: the ^ range is empty and cheapest.
    expect(gramSources('有限公司', f)).toEqual({ prefix: '^有限', inner: '有限' });
    // A two-character term has one choice each way.
    expect(gramSources('重庆', f)).toEqual({ prefix: '^重庆', inner: '重庆' });
    // Every stored key a match can have is a candidate, so the choice never loses a match.
    for (const name of ['重庆鸿药医药有限公司', '鸿药重庆鸿药']) {
      const keys = new Set(nameGrams(name));
      const { prefix, inner } = gramSources('鸿药', f);
      if (name.startsWith('鸿药')) expect(keys.has(prefix)).toBe(true);
      if (name.slice(1).includes('鸿药')) expect(keys.has(inner)).toBe(true);
    }
  });
});
