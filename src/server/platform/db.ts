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

/** How long a caller waits for a free connection before its query fails (0: for ever). */
export const DEFAULT_CONNECTION_TIMEOUT_MS = 60_000;
/**
 * A session left idle inside a transaction this long is ended by PostgreSQL, which rolls the
 * transaction back and frees its locks (0: never). Busy transactions are never affected, however
 * long; this catches a transaction waiting on something that will not come (a stalled client, a
 * leaked connection). Work that waits on its own input inside a transaction (an ingest batch
 * reading a stream) sets its own, shorter value with SET LOCAL.
 */
export const DEFAULT_IDLE_IN_TRANSACTION_MS = 30 * 60_000;

export interface PoolOptions {
  connectionTimeoutMs?: number;
  idleInTransactionMs?: number;
}

export function createPool(connectionString: string, max: number, opts: PoolOptions = {}): pg.Pool {
  const connectionTimeoutMillis = opts.connectionTimeoutMs ?? DEFAULT_CONNECTION_TIMEOUT_MS;
  const idleInTransaction = opts.idleInTransactionMs ?? DEFAULT_IDLE_IN_TRANSACTION_MS;
  const make = (extra?: string): pg.Pool => {
    const options = [`-c idle_in_transaction_session_timeout=${Math.max(0, Math.floor(idleInTransaction))}`];
    if (extra) options.push(extra);
    const p = new pg.Pool({
      connectionString,
      max,
      idleTimeoutMillis: 30_000,
      connectionTimeoutMillis,
      options: options.join(' '),
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
 * Whether a query on the pool would get a connection now (an idle one, or room for a new one, and
 * nobody queued before it), for work that may skip a turn rather than wait (progress reports).
 */
export function hasFreeConnection(pool: pg.Pool): boolean {
  if (pool.waitingCount > 0) return false;
  return pool.idleCount > 0 || pool.totalCount < (pool.options.max ?? 10);
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
  try {
    return await inTransaction(client, fn);
  } finally {
    client.release();
  }
}

/**
 * COMMIT of a transaction the caller began by hand on a client it holds (a long batch), with the
 * committed change published to the in-process caches like withTransaction does.
 */
export async function commitHeld(client: Queryable): Promise<void> {
  try {
    await commit(client);
  } catch (err) {
    discardPending(client);
    throw err;
  }
  publishCommitted(client);
}

/**
 * COMMIT, refusing the answer PostgreSQL gives a transaction a failed statement aborted: it rolls
 * back and answers "ROLLBACK" without an error. Code that caught the statement's error and went on
 * would otherwise report success for a change that was never stored, and the caches would be told
 * of it.
 */
async function commit(client: Queryable): Promise<void> {
  const result = await client.query('COMMIT');
  if (result.command === 'ROLLBACK')
    throw new Error('COMMIT rolled back: a statement of the transaction failed and its error was caught');
}

/** ROLLBACK of such a transaction; what it noted for the caches is dropped with it. */
export async function rollbackHeld(client: Queryable): Promise<void> {
  discardPending(client);
  await client.query('ROLLBACK');
}

/**
 * One transaction on a client the caller already holds (and keeps): BEGIN, `fn`, COMMIT, and the
 * committed change published; ROLLBACK if `fn` fails. For work that must not wait for a second
 * connection while it holds one.
 */
export async function inTransaction<T>(
  client: pg.PoolClient,
  fn: (tx: pg.PoolClient) => Promise<T>,
): Promise<T> {
  const restore = serializeQueries(client);
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await commit(client);
    publishCommitted(client);
    return result;
  } catch (err) {
    discardPending(client);
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    restore();
  }
}
