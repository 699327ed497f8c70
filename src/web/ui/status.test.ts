import { describe, expect, it } from 'vitest';
import { statusTagColor, statusText } from './status';

describe('statuses on the console', () => {
  it('names every status of accounts, departments and list types instead of showing its key', () => {
    for (const s of ['active', 'disabled', 'draft', 'suspended', 'retired']) {
      expect(statusText(s).zh, s).toMatch(/[\u4e00-\u9fff]/);
      expect(statusText(s).en, s).not.toBe(s);
    }
    expect(statusText('active')).toEqual({ zh: '启用', en: 'Active' });
    expect(statusText('new_state')).toEqual({ zh: 'new_state', en: 'new_state' });
    expect(statusTagColor('active')).toBe('green');
    expect(statusTagColor('retired')).toBeUndefined();
  });
});
