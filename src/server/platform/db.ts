import { createHash } from 'node:crypto';
import pg from 'pg';
import { discardPending, publishCommitted } from './commit-bus';

/** Anything that can run a query: the pool or a client inside a transaction. */
export interface Queryable {
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(
    text: string,
    values?: unknown[],
  ): Promise<pg.QueryResult<R>>;
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(config: pg.QueryConfig): Promise<pg.QueryResult<R>>;
}

const statementNames = new Map<string, string>();

/**
 * Runs `text` as a statement prepared on each connection (named after its text) and planned once,
 * generically: for the hot reads whose planning costs more than their execution — the profile by
 * USCC took ~0.4 ms to plan and ~0.15 ms to run, a name search ~1.6–2.5 ms to plan and 0.1–1.5 ms
 * to run. PostgreSQL's own choice kept re-planning them (a generic plan's estimate with unknown
 * LIMITs looks dear), so on a pool they run on its companion pool, whose sessions force generic
 * plans; inside a transaction, on its client as prepared statements. Only for statements whose
 * best plan does not depend on the values (index ranges fixed by the text), and for a bounded set
 * of texts.
 */
export function queryPrepared<R extends pg.QueryResultRow = pg.QueryResultRow>(
  db: Queryable,
  text: string,
  values: unknown[],
): Promise<pg.QueryResult<R>> {
  let name = statementNames.get(text);
  if (name === undefined) {
    name = `xy_${createHash('sha256').update(text).digest('base64url').slice(0, 22)}`;
    statementNames.set(text, name);
  }
  const target = genericPools.get(db as pg.Pool)?.() ?? db;
  return target.query<R>({ name, text, values });
}

export type Pool = pg.Pool;
export type Tx = pg.PoolClient;

// Keep bigint/numeric exact: int8 ids fit in JS numbers for our volumes, dates stay civil strings.
pg.types.setTypeParser(20, (v) => Number(v)); // int8
pg.types.setTypeParser(1082, (v) => v); // date -> 'YYYY-MM-DD'

/** The companion pool of each pool made by createPool, for statements run with a generic plan. */
const genericPools = new WeakMap<pg.Pool, () => pg.Pool>();

export function createPool(connectionString: string, max: number): pg.Pool {
  const make = (options?: string): pg.Pool => {
    const p = new pg.Pool({
      connectionString,
      max,
      idleTimeoutMillis: 30_000,
      ...(options ? { options } : {}),
    });
    // A lost connection (the server restarted or stopped, the backend was terminated) must not
    // crash the process: an idle client's error reaches the pool, which drops the client; a
    // checked-out client's is emitted on the client, and its queries fail with it anyway (the
    // work in flight fails, the caller releases the client and the pool replaces it).
    p.on('error', () => undefined);
    p.on('connect', (client) => client.on('error', () => undefined));
    return p;
  };
  const pool = make();
  // Opened on first use (see queryPrepared) and ended with the pool.
  let generic: pg.Pool | undefined;
  genericPools.set(pool, () => (generic ??= make('-c plan_cache_mode=force_generic_plan')));
  const end = pool.end.bind(pool) as () => Promise<void>;
  pool.end = (async () => {
    await Promise.all([end(), generic?.end()]);
  }) as typeof pool.end;
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
