import { describe, expect, it } from 'vitest';
import { changeKindText, stopRows, versionRows } from './history';

describe('a record history in the detail drawer', () => {
  it('reads the versions the API gives (stored columns) into rows', () => {
    const rows = versionRows([
      {
        version: 1,
        item_version: 1,
        decision_date: '2026-03-01',
        severity: 'GENERAL',
        payload: { a: 1 },
        window_from: '2026-03-01',
        window_until: null,
        change_kind: 'created',
        change_reason: null,
        recorded_at: '2026-03-02T02:00:00.000Z',
        recorded_by: 'user:7',
      },
      {
        version: 2,
        change_kind: 'corrected',
        change_reason: '文书号笔误',
        recorded_at: '2026-03-05T02:00:00.000Z',
        recorded_by: 'apikey:3',
      },
    ]);
    expect(rows).toEqual([
      {
        version: 1,
        changeKind: 'created',
        reason: null,
        recordedAt: '2026-03-02T02:00:00.000Z',
        recordedBy: 'user:7',
      },
      {
        version: 2,
        changeKind: 'corrected',
        reason: '文书号笔误',
        recordedAt: '2026-03-05T02:00:00.000Z',
        recordedBy: 'apikey:3',
      },
    ]);
    expect(versionRows(undefined)).toEqual([]);
  });

  it('reads the stops, a column not given as null', () => {
    expect(
      stopRows([
        {
          kind: 'withdrawn',
          reason: '报送错误',
          effective_at: '2026-04-01T00:00:00.000Z',
          recorded_at: '2026-04-01T00:00:01.000Z',
          recorded_by: 'user:7',
          lifted_at: null,
        },
        { kind: 'court_order', reason: '裁定', effective_at: '2026-05-01T00:00:00.000Z' },
      ]),
    ).toEqual([
      {
        kind: 'withdrawn',
        reason: '报送错误',
        effectiveAt: '2026-04-01T00:00:00.000Z',
        recordedAt: '2026-04-01T00:00:01.000Z',
        recordedBy: 'user:7',
        liftedAt: null,
      },
      {
        kind: 'court_order',
        reason: '裁定',
        effectiveAt: '2026-05-01T00:00:00.000Z',
        recordedAt: null,
        recordedBy: null,
        liftedAt: null,
      },
    ]);
  });

  it('names how a version came to be in both languages', () => {
    expect(changeKindText('created', 'zh-CN')).toBe('首次报送');
    expect(changeKindText('corrected', 'zh-CN')).toBe('更正');
    expect(changeKindText('created', 'en')).toBe('Created');
    expect(changeKindText('corrected', 'en')).toBe('Corrected');
    expect(changeKindText('merged', 'en')).toBe('merged');
  });
});
