import { describe, expect, it } from 'vitest';
import { auditSettings } from './audit.settings';

describe('transparency-log settings', () => {
  it('signs at least every minute: a longer checkpoint interval is refused, 0 turns it off', () => {
    expect(auditSettings({ NODE_ENV: 'production' }).checkpointMs).toBe(60_000);
    expect(auditSettings({ XINYONG_CHECKPOINT_MS: '60000' }).checkpointMs).toBe(60_000);
    expect(auditSettings({ XINYONG_CHECKPOINT_MS: '0' }).scheduler).toBe(false);
    expect(() => auditSettings({ XINYONG_CHECKPOINT_MS: '120000' })).toThrow(/0–60000.*0\.\.60000/s);
  });
});
