import { describe, expect, it } from 'vitest';
import { ProfileCache } from './records.cache';

describe('ProfileCache', () => {
  it('admits a key on its second request only', () => {
    const c = new ProfileCache<string>(10, 60_000);
    expect(c.admits('A')).toBe(false);
    expect(c.admits('B')).toBe(false);
    expect(c.admits('A')).toBe(true);
    expect(c.admits('A')).toBe(false); // the mark is used up: a later miss starts over
  });

  it('forgets the keys seen once when their set is full, and admits nothing when disabled', () => {
    const c = new ProfileCache<string>(2, 60_000);
    for (const k of ['a', 'b', 'c', 'd']) expect(c.admits(k)).toBe(false);
    expect(c.admits('e')).toBe(false); // the set (2 × entries) was full: it starts over with e
    expect(c.admits('a')).toBe(false);
    expect(c.admits('e')).toBe(true);
    const off = new ProfileCache<string>(0, 60_000);
    expect(off.admits('x')).toBe(false);
    expect(off.admits('x')).toBe(false);
  });

  it('drops entries by subject, by civil day, by age and by recency', () => {
    const c = new ProfileCache<string>(2, 1000);
    c.set('A', 1, '2026-06-01', 'a', 0);
    c.set('A2', 1, '2026-06-01', 'a2', 0);
    expect(c.get('A', '2026-06-01', 10)).toBe('a');
    c.evictSubjects([1]);
    expect(c.get('A', '2026-06-01', 10)).toBeUndefined();
    expect(c.get('A2', '2026-06-01', 10)).toBeUndefined();
    c.set('B', 2, '2026-06-01', 'b', 0);
    expect(c.get('B', '2026-06-02', 10)).toBeUndefined(); // another day
    c.set('C', 3, '2026-06-01', 'c', 0);
    expect(c.get('C', '2026-06-01', 1001)).toBeUndefined(); // older than the TTL
    c.set('D', 4, '2026-06-01', 'd', 0);
    c.set('E', 5, '2026-06-01', 'e', 0);
    expect(c.get('D', '2026-06-01', 1)).toBe('d'); // D is now the most recent
    c.set('F', 6, '2026-06-01', 'f', 0); // over 2 entries: the coldest (E) goes
    expect(c.get('E', '2026-06-01', 1)).toBeUndefined();
    expect(c.get('D', '2026-06-01', 1)).toBe('d');
    expect(c.size).toBe(2);
  });
});
