import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from '../../../test/support/db';
import { SYSTEM } from './context';
import { withTransaction } from './db';
import { appendEvents } from './events';

let db: TestDb;
beforeAll(async () => {
  db = await createTestDb();
});
afterAll(async () => db?.drop());

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('event log numbering', () => {
  it('numbers events densely in commit order while writers race, so a reader never sees a gap', async () => {
    let writing = true;
    const gaps: string[] = [];
    let reads = 0;
    // A reader that polls all the while: whenever it sees seq N it must see every seq below N.
    const reader = (async () => {
      while (writing) {
        const { rows } = await db.pool.query<{ n: number; max: number | null }>(
          'SELECT count(*)::int8 AS n, max(seq)::int8 AS max FROM events',
        );
        const { n, max } = rows[0]!;
        if (max !== null && Number(n) !== Number(max)) gaps.push(`saw max ${max} with ${n} events`);
        reads++;
        await sleep(1);
      }
    })();
    const writers = Array.from({ length: 24 }, (_, w) =>
      withTransaction(db.pool, async (tx) => {
        await sleep((w * 7) % 11);
        const ctx = { db: tx, actor: SYSTEM, requestId: `w${w}`, now: new Date() };
        const seqs = await appendEvents(
          ctx,
          Array.from({ length: 1 + (w % 4) }, (_, i) => ({
            type: 'test.event',
            entityType: 'test',
            entityId: `${w}-${i}`,
            payload: { w, i },
          })),
        );
        await sleep(w % 3); // hold the transaction open after numbering, as real use cases do
        return seqs;
      }),
    );
    const all = await Promise.all(writers);
    writing = false;
    await reader;
    expect(gaps).toEqual([]);
    expect(reads).toBeGreaterThan(0);
    // Each writer's events are consecutive and in its own order; together they are exactly 1..N.
    for (const seqs of all) seqs.forEach((s, i) => expect(s).toBe(seqs[0]! + i));
    const flat = all.flat().sort((a, b) => a - b);
    expect(flat).toEqual(Array.from({ length: flat.length }, (_, i) => i + 1));
    const { rows } = await db.pool.query<{ entity_id: string; seq: number }>(
      "SELECT entity_id, seq FROM events WHERE type = 'test.event' ORDER BY seq",
    );
    all.forEach((seqs, w) =>
      seqs.forEach((seq, i) => expect(rows.find((r) => Number(r.seq) === seq)?.entity_id).toBe(`${w}-${i}`)),
    );
  });
});
