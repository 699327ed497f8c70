import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestDb, type TestDb } from '../../../test/support/db';
import { afterCommit, changeAwareCache, noteChange, onCommitted } from './commit-bus';
import {
  commitHeld,
  createPool,
  hasFreeConnection,
  inTransaction,
  queryPrepared,
  withTransaction,
} from './db';
import { toAppError } from './http';

let db: TestDb;
beforeAll(async () => {
  db = await createTestDb();
});
afterAll(async () => db?.drop());

const SETTING = "SELECT current_setting('plan_cache_mode') AS mode, $1::int AS n";

describe('queryPrepared', () => {
  it('runs on the pool’s companion sessions, which plan generically', async () => {
    const r = await queryPrepared<{ mode: string; n: number }>(db.pool, SETTING, [7]);
    expect(r.rows).toEqual([{ mode: 'force_generic_plan', n: 7 }]);
    // Other statements keep PostgreSQL's own choice.
    expect((await db.pool.query<{ mode: string }>(SETTING, [1])).rows[0]?.mode).toBe('auto');
  });

  it('plans generically from the first run', async () => {
    await db.pool.query('CREATE TABLE prep_t (k int PRIMARY KEY, v text)');
    const one = createPool(db.url, 1); // one companion session, to read its statement counters
    try {
      const text = 'SELECT v FROM prep_t WHERE k = $1';
      await queryPrepared(one, text, [5]);
      await queryPrepared(one, text, [6]);
      const stats = await queryPrepared<{ generic: number; custom: number }>(
        one,
        `SELECT generic_plans::int AS generic, custom_plans::int AS custom
           FROM pg_prepared_statements WHERE statement = $1`,
        [text],
      );
      expect(stats.rows).toEqual([{ generic: 2, custom: 0 }]);
    } finally {
      await one.end();
    }
  });

  it('runs inside a transaction on its client, seeing the transaction’s writes', async () => {
    await db.pool.query('CREATE TABLE prep_u (k int)');
    await withTransaction(db.pool, async (tx) => {
      await tx.query('INSERT INTO prep_u VALUES (1)');
      const r = await queryPrepared<{ n: number }>(
        tx,
        'SELECT count(*)::int AS n FROM prep_u WHERE k = $1',
        [1],
      );
      expect(r.rows[0]?.n).toBe(1);
    });
  });

  it('ends the companion pool with the pool', async () => {
    const other = await createTestDb();
    await queryPrepared(other.pool, 'SELECT $1::int', [1]);
    await other.pool.query('SELECT 1');
    await other.pool.end();
    const sessions = async () =>
      (
        await db.pool.query<{ n: number }>(
          'SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1',
          [other.name],
        )
      ).rows[0]?.n;
    await vi.waitFor(async () => expect(await sessions()).toBe(0), { timeout: 5_000 });
    await db.pool.query(`DROP DATABASE ${other.name}`);
  });
});

describe('a lost connection', () => {
  it('fails the work on it and leaves the process up, for idle and checked-out clients', async () => {
    const pool = createPool(db.url, 2);
    const unhandled: unknown[] = [];
    const onError = (err: unknown) => unhandled.push(err);
    process.on('uncaughtException', onError);
    try {
      const busy = await pool.connect(); // checked out, as by a job or a request, when the server goes
      const idle = await pool.connect();
      idle.release();
      const pids = (await busy.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
      const idlePid = (await pool.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
      await db.pool.query('SELECT pg_terminate_backend(pid) FROM unnest($1::int[]) AS pid', [
        [pids, idlePid],
      ]);
      await new Promise((r) => setTimeout(r, 200));
      await expect(busy.query('SELECT 1')).rejects.toThrow();
      busy.release(true);
      // The pool replaces what it lost.
      expect((await pool.query<{ n: number }>('SELECT 1 AS n')).rows[0]?.n).toBe(1);
      expect(unhandled).toEqual([]);
    } finally {
      process.off('uncaughtException', onError);
      await pool.end();
    }
  });
});

describe('pool limits', () => {
  it('ends sessions left idle in a transaction, and says when a connection is free', async () => {
    const setting = "SELECT current_setting('idle_in_transaction_session_timeout') AS v";
    const byDefault = createPool(db.url, 1);
    const pool = createPool(db.url, 1, { idleInTransactionMs: 300, connectionTimeoutMs: 200 });
    try {
      expect((await byDefault.query<{ v: string }>(setting)).rows[0]?.v).toBe('30min');
      expect((await pool.query<{ v: string }>(setting)).rows[0]?.v).toBe('300ms');

      expect(hasFreeConnection(pool)).toBe(true);
      const client = await pool.connect();
      expect(hasFreeConnection(pool)).toBe(false);
      // Nobody waits for ever for the one connection, and the caller is told the server is busy.
      const waited = await pool.query('SELECT 1').then(
        () => null,
        (err: unknown) => err,
      );
      expect(waited).toBeInstanceOf(Error);
      expect(toAppError(waited)).toMatchObject({ code: 'BUSY', kind: 'unavailable' });
      await client.query('BEGIN');
      await new Promise((r) => setTimeout(r, 600));
      await expect(client.query('SELECT 1')).rejects.toThrow();
      client.release(true);
      expect(hasFreeConnection(pool)).toBe(true);
      expect((await pool.query<{ n: number }>('SELECT 1 AS n')).rows[0]?.n).toBe(1);
    } finally {
      await byDefault.end();
      await pool.end();
    }
  });

  it('runs a transaction on a client the caller keeps', async () => {
    await db.pool.query('CREATE TABLE in_tx (k int)');
    const client = await db.pool.connect();
    try {
      await inTransaction(client, (tx) => tx.query('INSERT INTO in_tx VALUES (1)'));
      await expect(
        inTransaction(client, async (tx) => {
          await tx.query('INSERT INTO in_tx VALUES (2)');
          throw new Error('no');
        }),
      ).rejects.toThrow('no');
      // The client is usable afterwards, outside any transaction.
      expect((await client.query<{ n: number }>('SELECT count(*)::int AS n FROM in_tx')).rows[0]?.n).toBe(1);
      expect(
        (await client.query<{ s: string }>('SELECT txid_current_if_assigned() AS s')).rows[0]?.s,
      ).toBeNull();
    } finally {
      client.release();
    }
  });
});

describe('a transaction a failed statement aborted', () => {
  it('does not report success, nor tell the caches of a change, when the error was caught', async () => {
    await db.pool.query('CREATE TABLE aborted_tx (k int)');
    const told: unknown[] = [];
    const stop = onCommitted((c) => told.push(c));
    const ran: string[] = [];
    try {
      await expect(
        withTransaction(db.pool, async (tx) => {
          await tx.query('INSERT INTO aborted_tx VALUES (1)');
          noteChange(tx, [42], false);
          afterCommit(tx, () => ran.push('after commit'));
          // A caught error: PostgreSQL has aborted the transaction, and its COMMIT rolls back.
          await tx.query('SELECT 1 / 0').catch(() => undefined);
          return 'done';
        }),
      ).rejects.toThrow(/COMMIT rolled back/);
      const client = await db.pool.connect();
      try {
        await expect(
          inTransaction(client, async (tx) => {
            await tx.query('INSERT INTO aborted_tx VALUES (2)');
            await tx.query('SELECT 1 / 0').catch(() => undefined);
          }),
        ).rejects.toThrow(/COMMIT rolled back/);
        await client.query('BEGIN');
        await client.query('INSERT INTO aborted_tx VALUES (3)');
        noteChange(client, [43], false);
        await client.query('SELECT 1 / 0').catch(() => undefined);
        await expect(commitHeld(client)).rejects.toThrow(/COMMIT rolled back/);
      } finally {
        client.release();
      }
    } finally {
      stop();
    }
    expect(told).toEqual([]);
    expect(ran).toEqual([]);
    expect((await db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM aborted_tx')).rows[0]?.n).toBe(
      0,
    );
  });
});

describe('a change-aware cache', () => {
  it('serves the cache; a changing transaction reads its own; others see the change after its commit, not a rolled-back one', async () => {
    const one = createPool(db.url, 1); // one client: every transaction below runs on the same one
    try {
      await one.query('CREATE TABLE cached_setting (v int)');
      await one.query('INSERT INTO cached_setting VALUES (1)');
      let loads = 0;
      const cache = changeAwareCache(async (q) => {
        loads++;
        return (await q.query<{ v: number }>('SELECT v FROM cached_setting')).rows[0]?.v;
      });
      expect(await cache.get(one)).toBe(1);
      expect(await cache.get(one)).toBe(1);
      expect(loads).toBe(1);
      // A change that rolls back: its transaction saw it, nobody caches it.
      await withTransaction(one, async (tx) => {
        await tx.query('UPDATE cached_setting SET v = 2');
        cache.changed(tx);
        expect(await cache.get(tx)).toBe(2);
        throw new Error('roll back');
      }).catch(() => undefined);
      expect(await cache.get(one)).toBe(1);
      // A change that commits: read uncached inside, dropped for everyone at the commit; the next
      // transaction on the same (reused) client reads through the cache again.
      await withTransaction(one, async (tx) => {
        await tx.query('UPDATE cached_setting SET v = 3');
        cache.changed(tx);
        expect(await cache.get(tx)).toBe(3);
      });
      const before = loads;
      expect(await cache.get(one)).toBe(3);
      await withTransaction(one, async (tx) => expect(await cache.get(tx)).toBe(3));
      expect(loads).toBe(before + 1);
    } finally {
      await one.end();
    }
  });
});
