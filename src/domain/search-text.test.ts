import { describe, expect, it } from 'vitest';
import { likeEscape, pinyinKeys, queryShape } from './search-text';

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
