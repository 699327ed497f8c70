import pg from 'pg';
import { discardPending, publishCommitted } from './commit-bus';

/** Anything that can run a query: the pool or a client inside a transaction. */
export interface Queryable {
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(
    text: string,
    values?: unknown[],
  ): Promise<pg.QueryResult<R>>;
}

export type Pool = pg.Pool;
export type Tx = pg.PoolClient;

// Keep bigint/numeric exact: int8 ids fit in JS numbers for our volumes, dates stay civil strings.
pg.types.setTypeParser(20, (v) => Number(v)); // int8
pg.types.setTypeParser(1082, (v) => v); // date -> 'YYYY-MM-DD'

export function createPool(connectionString: string, max: number): pg.Pool {
  const pool = new pg.Pool({ connectionString, max, idleTimeoutMillis: 30_000 });
  // An idle client's error (server restart) must not crash the process; the pool drops the client.
  pool.on('error', () => undefined);
  return pool;
}

/**
 * Services run independent reads with Promise.all, which on a pool runs them in parallel but on a
 * transaction's single client would issue a query while another is in flight (deprecated by pg 8,
 * removed in pg 9). Inside a transaction, promise-returning queries are therefore chained: each
 * starts when the previous one settled. Callback and submittable (COPY stream) calls pass through.
 */
function serializeQueries(client: pg.PoolClient): () => void {
  const original = client.query;
  let tail: Promise<unknown> = Promise.resolve();
  const chained = function (this: pg.PoolClient, ...args: unknown[]) {
    const first = args[0] as { submit?: unknown } | undefined;
    if (typeof args[args.length - 1] === 'function' || typeof first?.submit === 'function')
      return (original as (...a: unknown[]) => unknown).apply(client, args);
    const run = tail.then(() => (original as (...a: unknown[]) => Promise<unknown>).apply(client, args));
    tail = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  };
  client.query = chained as typeof client.query;
  return () => {
    client.query = original;
  };
}

export async function withTransaction<T>(pool: pg.Pool, fn: (tx: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  const restore = serializeQueries(client);
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    publishCommitted(client);
    return result;
  } catch (err) {
    discardPending(client);
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    restore();
    client.release();
  }
}
