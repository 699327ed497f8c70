import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from '../../../test/support/db';
import { canonicalJson } from '../../domain/canonical-json';
import { MAX_NOTED_SUBJECTS, onCommitted, type Committed } from './commit-bus';
import { SYSTEM } from './context';
import { commitHeld, rollbackHeld, withTransaction } from './db';
import { appendEvents, appendEventsWith, appendStagedEvents, stageEvents } from './events';

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
    // Writers without a transaction of their own: one statement on the pool (the check log's way).
    const poolWriters = Array.from({ length: 8 }, async (_, w) => {
      await sleep((w * 5) % 7);
      return appendEventsWith(
        db.pool,
        Array.from({ length: 1 + (w % 3) }, (_, i) => ({
          type: 'test.event',
          entityType: 'test',
          entityId: `${24 + w}-${i}`,
          payload: { w: 24 + w, i },
          actor: SYSTEM,
          requestId: `p${w}`,
          now: new Date(),
        })),
        { text: 'SELECT 1', values: [] },
      );
    });
    const all = await Promise.all([...writers, ...poolWriters]);
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

  it('appends stamped events together with another write, in one transaction on the pool', async () => {
    await db.pool.query('CREATE TABLE IF NOT EXISTS test_lead (k text PRIMARY KEY)');
    const published: Committed[] = [];
    const off = onCommitted((c) => published.push(c));
    await sleep(50); // the race above published its commits already; start from here
    const before = Number((await db.pool.query('SELECT max(seq) AS m FROM events')).rows[0].m ?? 0);
    const t1 = new Date('2026-11-02T03:04:05.000Z');
    const t2 = new Date('2026-11-02T03:04:06.000Z');
    const stamped = (k: string, requestId: string, now: Date, subjectId: number | null) => ({
      type: 'test.lead',
      entityType: 'test',
      entityId: k,
      subjectId,
      payload: { k },
      actor: { kind: 'system' as const, name: `writer-${k}` },
      requestId,
      now,
    });
    try {
      const seqs = await appendEventsWith(
        db.pool,
        [stamped('a', 'r-a', t1, null), stamped('b', 'r-b', t2, null)],
        { text: 'INSERT INTO test_lead (k) SELECT unnest($1::text[])', values: [['a', 'b']] },
      );
      expect(seqs).toEqual([before + 1, before + 2]);
      expect(published.map((c) => [[...c.subjectIds], c.global])).toEqual([[[], false]]);
      published.length = 0;
      const { rows } = await db.pool.query(
        `SELECT entity_id, actor_id, request_id, at FROM events WHERE type = 'test.lead' ORDER BY seq`,
      );
      // Each event keeps its own stamp.
      expect(rows.map((r) => [r.entity_id, r.actor_id, r.request_id, r.at.toISOString()])).toEqual([
        ['a', 'writer-a', 'r-a', t1.toISOString()],
        ['b', 'writer-b', 'r-b', t2.toISOString()],
      ]);
      expect((await db.pool.query('SELECT k FROM test_lead ORDER BY k')).rows.map((r) => r.k)).toEqual([
        'a',
        'b',
      ]);

      // The other write fails (a duplicate key): no event is appended either.
      await expect(
        appendEventsWith(db.pool, [stamped('c', 'r-c', t1, 777)], {
          text: 'INSERT INTO test_lead (k) SELECT unnest($1::text[])',
          values: [['c', 'a']],
        }),
      ).rejects.toThrow(/duplicate key/);
      expect(Number((await db.pool.query('SELECT max(seq) AS m FROM events')).rows[0].m)).toBe(before + 2);
      expect((await db.pool.query('SELECT count(*)::int AS n FROM test_lead')).rows[0].n).toBe(2);

      // On the pool the statement is its own transaction: its subjects are published at once.
      // (The failed call above published nothing, and left nothing to be published later.)
      expect(published).toEqual([]);
      await appendEventsWith(db.pool, [stamped('d', 'r-d', t1, 424242)], {
        text: 'INSERT INTO test_lead (k) VALUES ($1)',
        values: ['d'],
      });
      expect(published.map((c) => [[...c.subjectIds], c.global])).toEqual([[[424242], false]]);

      // A log of reads (checks) changes nothing a cache holds: nothing is published.
      published.length = 0;
      await appendEventsWith(
        db.pool,
        [stamped('e', 'r-e', t1, 424243)],
        { text: 'INSERT INTO test_lead (k) VALUES ($1)', values: ['e'] },
        { readsOnly: true },
      );
      await appendEventsWith(db.pool, [stamped('f', 'r-f', t1, null)], {
        text: 'INSERT INTO test_lead (k) VALUES ($1)',
        values: ['f'],
      });
      expect(published.map((c) => [[...c.subjectIds], c.global])).toEqual([[[], false]]);

      // Calls in flight together on the pool: each publishes its own change once it has committed;
      // one that fails publishes nothing and takes nothing of the others with it.
      published.length = 0;
      const results = await Promise.allSettled([
        appendEventsWith(db.pool, [stamped('g', 'r-g', t1, 501)], {
          text: 'INSERT INTO test_lead (k) VALUES ($1)',
          values: ['g'],
        }),
        appendEventsWith(db.pool, [stamped('h', 'r-h', t1, 502)], {
          text: 'INSERT INTO test_lead (k) VALUES ($1)',
          values: ['a'], // a duplicate key: fails
        }),
        appendEventsWith(db.pool, [stamped('i', 'r-i', t1, 503)], {
          text: 'INSERT INTO test_lead (k) VALUES ($1)',
          values: ['i'],
        }),
      ]);
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      expect(published.flatMap((c) => [...c.subjectIds]).sort()).toEqual([501, 503]);
    } finally {
      off();
    }
  });

  it('appends staged events in the order staged, once, in the staging transaction only', async () => {
    const ev = (k: string) => ({ type: 'test.staged', entityType: 'test', entityId: k, payload: { k } });
    const ctxOf = (tx: Parameters<Parameters<typeof withTransaction>[1]>[0]) => ({
      db: tx,
      actor: SYSTEM,
      requestId: 'stage',
      now: new Date(),
    });
    const before = Number((await db.pool.query('SELECT max(seq) AS m FROM events')).rows[0].m ?? 0);
    const result = await withTransaction(db.pool, async (tx) => {
      const none = await appendStagedEvents(ctxOf(tx)); // nothing staged in this session
      await stageEvents(tx, [ev('s1'), ev('s2')]);
      await stageEvents(tx, [ev('s3')]);
      const n = await appendStagedEvents(ctxOf(tx));
      const again = await appendStagedEvents(ctxOf(tx));
      return { none, n, again };
    });
    expect(result).toEqual({ none: 0, n: 3, again: 0 });
    const { rows } = await db.pool.query(
      `SELECT seq, entity_id, payload_sha256 = sha256(convert_to(payload, 'UTF8')) AS ok FROM events
        WHERE type = 'test.staged' ORDER BY seq`,
    );
    expect(rows.map((r) => [Number(r.seq), r.entity_id, r.ok])).toEqual([
      [before + 1, 's1', true],
      [before + 2, 's2', true],
      [before + 3, 's3', true],
    ]);
    // Rolled back: nothing staged survives, nothing is appended.
    await expect(
      withTransaction(db.pool, async (tx) => {
        await stageEvents(tx, [ev('r1')]);
        await appendStagedEvents(ctxOf(tx));
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    const after = await withTransaction(db.pool, (tx) => appendStagedEvents(ctxOf(tx)));
    expect(after).toBe(0);
    expect(Number((await db.pool.query('SELECT max(seq) AS m FROM events')).rows[0].m)).toBe(before + 3);
  });

  it('stores every payload exactly as its canonical text, whatever characters it holds, on every append path', async () => {
    // Payload texts travel joined by newlines and are split in the database: text with newlines,
    // quotes, backslashes, braces, commas, NULL-looking words and astral characters must come back
    // whole, one event per payload, with the hash of exactly that text.
    const awkward = [
      'line one\nline two\r\n',
      '"quoted" \\ back\\slash {braces} [brackets], commas',
      'NULL',
      '',
      '\u0000\u0001 control',
      '重庆市渝中区 𠀀 emoji 😀',
      '\\x00ff',
    ];
    const payloads = awkward.map((text, i) => ({ i, text, nested: { text, list: [text, null, i] } }));
    const ev = (p: (typeof payloads)[number]) => ({
      type: 'test.awkward',
      entityType: 'test',
      entityId: `awkward-${p.i}`,
      payload: p,
    });
    const now = new Date();
    await withTransaction(db.pool, (tx) =>
      appendEvents({ db: tx, actor: SYSTEM, requestId: 'awk', now }, payloads.slice(0, 3).map(ev)),
    );
    await appendEventsWith(
      db.pool,
      payloads.slice(3, 5).map((p) => ({ ...ev(p), actor: SYSTEM, requestId: 'awk', now })),
      { text: 'SELECT 1', values: [] },
    );
    await withTransaction(db.pool, async (tx) => {
      await stageEvents(tx, payloads.slice(5).map(ev));
      await appendStagedEvents({ db: tx, actor: SYSTEM, requestId: 'awk', now });
    });
    const { rows } = await db.pool.query<{ entity_id: string; payload: string; ok: boolean }>(
      `SELECT entity_id, payload, payload_sha256 = sha256(convert_to(payload, 'UTF8')) AS ok FROM events
        WHERE type = 'test.awkward' ORDER BY seq`,
    );
    expect(rows.map((r) => r.entity_id)).toEqual(payloads.map((p) => `awkward-${p.i}`));
    for (const [i, r] of rows.entries()) {
      expect(r.payload).toBe(canonicalJson(payloads[i]));
      expect(r.ok).toBe(true);
    }
  });

  it('tells the caches what a held transaction committed, nothing of one rolled back, and "everything" past the cap', async () => {
    const published: Committed[] = [];
    const off = onCommitted((c) => published.push(c));
    await sleep(50);
    published.length = 0;
    const ev = (k: string, subjectId: number) => ({
      type: 'test.held',
      entityType: 'test',
      entityId: k,
      subjectId,
      payload: { k },
    });
    const client = await db.pool.connect();
    const ctx = { db: client, actor: SYSTEM, requestId: 'held', now: new Date() };
    try {
      await client.query('BEGIN');
      await stageEvents(client, [ev('h1', 7), ev('h2', 8)]);
      await appendStagedEvents(ctx);
      await commitHeld(client);
      expect(published.map((c) => [[...c.subjectIds].sort(), c.global])).toEqual([[[7, 8], false]]);
      published.length = 0;

      await client.query('BEGIN');
      await stageEvents(client, [ev('h3', 9)]);
      await rollbackHeld(client);
      // Nothing noted survives the rollback into the next transaction on the same connection.
      await client.query('BEGIN');
      await commitHeld(client);
      expect(published).toEqual([]);

      // A bulk transaction naming more subjects than the cap is published as "everything".
      await client.query('BEGIN');
      const many = Array.from({ length: MAX_NOTED_SUBJECTS + 1 }, (_, i) => ev(`m${i}`, i + 1));
      await stageEvents(client, many);
      await appendStagedEvents(ctx);
      await commitHeld(client);
      expect(published.map((c) => [c.subjectIds.size, c.global])).toEqual([[0, true]]);
    } finally {
      off();
      client.release();
    }
  });
});
