import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/support/app';
import { makeUscc } from '../../../domain/identifiers';
import { createRng } from '../../../cli/seed/prng';
import { pinyinKeys } from '../../../domain/search-text';
import { SYSTEM } from '../../platform/context';
import { createFieldCrypto, type FieldCrypto } from '../../platform/crypto';
import { withTransaction } from '../../platform/db';
import { registerSubject, searchSubjects, updateSubject } from './subjects.service';

// Names from a ten-character alphabet overlap heavily: every term matches many names, at the start,
// inside and both, through current and former names. The top-k search must answer exactly what a
// brute-force ranking of the same names answers (exact > prefix > inside, then shorter, then id).
const ALPHABET = [...'重庆鸿药有限公司渝中'];
let t: TestApp;
let crypto: FieldCrypto;
const names = new Map<number, string[]>(); // subject id -> every name it has had
const sparse = new Set<number>(); // the few subjects of region 500104: filtered searches are sparse

beforeAll(async () => {
  t = await createTestApp(new Date('2026-03-01T02:00:00Z'));
  crypto = createFieldCrypto(t.config.fieldKey, t.config.blindIndexKey);
  const rng = createRng(7);
  const word = (min: number, max: number) =>
    Array.from({ length: rng.int(min, max) }, () => rng.pick(ALPHABET)).join('');
  await withTransaction(t.db.pool, async (tx) => {
    const ctx = { db: tx, actor: SYSTEM, requestId: 'topk', now: t.clock.now };
    // The last 300 all start with 重庆, so that key's read window is long and mostly filtered out.
    for (let i = 0; i < 700; i++) {
      const s = await registerSubject(ctx, crypto, {
        uscc: makeUscc('91', '500103', `MA${String(i).padStart(6, '0')}`),
        name: i < 400 ? word(2, 9) : `重庆${word(0, 6)}`,
        region: i % 25 === 3 ? '500104' : '500103',
        origin: 'registry',
      });
      names.set(s.id, [s.name]);
      if (i % 25 === 3) sparse.add(s.id);
      if (i % 7 === 0) {
        const renamed = await updateSubject(ctx, s.id, { name: word(3, 9), reason: 'renamed' });
        names.get(s.id)!.push(renamed.name);
      }
    }
    await tx.query('ANALYZE subject_name_grams');
  });
});
afterAll(async () => t?.close());

function expected(term: string, only?: Set<number>): number[] {
  const ranked: Array<{ id: number; rank: number; len: number }> = [];
  for (const [id, list] of names) {
    if (only && !only.has(id)) continue;
    let best: { rank: number; len: number } | null = null;
    for (const n of list) {
      if (!n.includes(term)) continue;
      const rank = n === term ? 0 : n.startsWith(term) ? 1 : 2;
      const len = [...n].length;
      if (!best || rank < best.rank || (rank === best.rank && len < best.len)) best = { rank, len };
    }
    if (best) ranked.push({ id, ...best });
  }
  ranked.sort((a, b) => a.rank - b.rank || a.len - b.len || a.id - b.id);
  return ranked.map((r) => r.id);
}

/** The same brute-force ranking for a pinyin query: initials or (3+ letters) full pinyin. */
function expectedPinyin(term: string): number[] {
  const ranked: Array<{ id: number; rank: number; len: number }> = [];
  for (const [id, list] of names) {
    let best: { rank: number; len: number } | null = null;
    for (const n of list) {
      const k = pinyinKeys(n);
      let rank: number | null = null;
      if (k.initials === term || (term.length >= 3 && k.pinyin === term)) rank = 0;
      else if (k.initials.startsWith(term) || (term.length >= 3 && k.pinyin.startsWith(term))) rank = 1;
      else if (term.length >= 3 && k.pinyin.includes(term)) rank = 2;
      if (rank === null) continue;
      const len = [...n].length;
      if (!best || rank < best.rank || (rank === best.rank && len < best.len)) best = { rank, len };
    }
    if (best) ranked.push({ id, ...best });
  }
  ranked.sort((a, b) => a.rank - b.rank || a.len - b.len || a.id - b.id);
  return ranked.map((r) => r.id);
}

/**
 * Searches each term page by page and compares every page and its `more` flag with the brute-force
 * ranking `want(term)`; returns how many hits were compared.
 */
async function comparePages(
  terms: Iterable<string>,
  want: (term: string) => number[],
  page: { limit: number; offsets: number[]; region?: string },
): Promise<number> {
  const ctx = { db: t.db.pool, actor: SYSTEM, requestId: 'topk', now: t.clock.now };
  let compared = 0;
  for (const term of terms) {
    const ids = want(term);
    for (const offset of page.offsets) {
      const res = await searchSubjects(ctx, crypto, {
        q: term,
        at: t.clock.now,
        ...(page.region ? { region: page.region } : {}),
        limit: page.limit,
        offset,
      });
      expect(
        res.items.map((x) => Number(x.ref.slice(1))),
        `${term} @${offset}`,
      ).toEqual(ids.slice(offset, offset + page.limit));
      expect(res.more, `${term} @${offset} more`).toBe(ids.length > offset + page.limit);
      compared += res.items.length;
    }
  }
  return compared;
}

describe('top-k name search', () => {
  it('ranks pinyin and initials queries as a brute-force ranking does', async () => {
    // cq: 重庆 initials (dense); chongq/qing: pinyin prefix and inside; yaoyou: only inside (rank 2).
    const terms = ['cq', 'yz', 'cqhy', 'chongq', 'qing', 'yaoyou', 'hongyaoyou', 'gongsi', 'zz'];
    expect(await comparePages(terms, expectedPinyin, { limit: 10, offsets: [0, 10] })).toBeGreaterThan(50);
  });

  it('ranks exactly as a brute-force ranking does, page by page, for common and rare terms', async () => {
    const rng = createRng(11);
    const terms = new Set<string>(['重庆', '有限公司', '鸿药', '渝中区']);
    for (let i = 0; i < 40; i++) {
      terms.add(Array.from({ length: rng.int(2, 4) }, () => rng.pick(ALPHABET)).join(''));
    }
    // > 200: the terms really matched something
    expect(await comparePages(terms, expected, { limit: 10, offsets: [0, 10, 30] })).toBeGreaterThan(200);
  });

  it('stays exact when filters leave few matches in each read window (windows grow and read again)', async () => {
    const terms = ['重庆', '有限', '公司', '鸿药', '渝中', '庆有', '药公司'];
    const compared = await comparePages(terms, (term) => expected(term, sparse), {
      limit: 2,
      offsets: [0, 2],
      region: '500104',
    });
    expect(compared).toBeGreaterThan(5);
  });

  it('finds a subject by a former name and answers with the current one', async () => {
    const ctx = { db: t.db.pool, actor: SYSTEM, requestId: 'topk', now: t.clock.now };
    const [id, list] = [...names].find(([, l]) => l.length > 1)!;
    const res = await searchSubjects(ctx, crypto, { q: list[0]!, at: t.clock.now, limit: 50, offset: 0 });
    const hit = res.items.find((x) => x.ref === `S${id}`);
    expect(hit?.name).toBe(list[1]);
  });
});
