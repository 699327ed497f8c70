import { describe, expect, it } from 'vitest';
import { reachesText, triggerText } from './labels';

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

  it('names the related parties a measure reaches', () => {
    const pick = (zh: string, en: string) => en || zh;
    expect(reachesText([], pick)).toBe('');
    expect(reachesText(['legal_representative'], pick)).not.toContain('legal_representative');
  });
});
