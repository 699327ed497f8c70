import { describe, expect, it } from 'vitest';
import { listNameMap, reachesText, triggerText } from './labels';

describe('measure triggers in the reader language', () => {
  it('names the clean-record condition instead of showing its key', () => {
    expect(triggerText({ kind: 'clean_record' }, 'zh-CN')).toBe('无严重失信');
    expect(triggerText({ kind: 'clean_record' }, 'en')).toBe('No serious dishonesty');
  });

  it('labels the least severity of a record trigger', () => {
    expect(triggerText({ kind: 'record', itemCode: 'XZCF', minSeverity: 'SERIOUS' }, 'zh-CN')).toBe(
      'XZCF ≥ 严重',
    );
    expect(triggerText({ kind: 'record', itemCode: 'XZCF', minSeverity: 'SERIOUS' }, 'en')).toBe(
      'XZCF ≥ Serious',
    );
    expect(triggerText({ kind: 'record', itemCode: 'XZCF' }, 'en')).toBe('XZCF');
    expect(triggerText({ kind: 'list', listType: 'SAMR_SERIOUS_VIOLATION' }, 'en')).toBe(
      'SAMR_SERIOUS_VIOLATION',
    );
  });

  it('names a list trigger by the list name, falling back to its code', () => {
    const lists = listNameMap([
      {
        code: 'SAMR_SERIOUS_VIOLATION',
        nameZh: '市场监督管理严重违法失信名单',
        nameEn: 'Serious violations list',
      },
      { code: 'NO_EN', nameZh: '只有中文名', nameEn: '' },
    ]);
    const tr = { kind: 'list', listType: 'SAMR_SERIOUS_VIOLATION' };
    expect(triggerText(tr, 'zh-CN', lists)).toBe('市场监督管理严重违法失信名单');
    expect(triggerText(tr, 'en', lists)).toBe('Serious violations list');
    expect(triggerText({ kind: 'list', listType: 'NO_EN' }, 'en', lists)).toBe('只有中文名');
    expect(triggerText({ kind: 'list', listType: 'COURT_DISHONEST_DEBTORS' }, 'zh-CN', lists)).toBe(
      'COURT_DISHONEST_DEBTORS',
    );
    expect(triggerText(tr, 'zh-CN', listNameMap(undefined))).toBe('SAMR_SERIOUS_VIOLATION');
  });

  it('names the related parties a measure reaches', () => {
    const pick = (zh: string, en: string) => en || zh;
    expect(reachesText([], pick)).toBe('');
    expect(reachesText(['legal_representative'], pick)).not.toContain('legal_representative');
  });
});
