import { parentPort } from 'node:worker_threads';
import { createPool } from '../../platform/db';
import type { SuiteName } from '../../../domain/merkle';
import { suiteHasher } from './audit.crypto';
import { readLeafBatch } from './audit.leaves';

/**
 * A verifier worker: reads and hashes the batches it is sent (readLeafBatch) on a connection of its
 * own, so that reading, leaf hashing and payload checks run on every core while the main thread
 * builds the tree. Messages: { url, suite } once, then { id, lo, hi } per batch; it answers
 * { id, batch } (buffers transferred) or { id, error }.
 */
interface Init {
  url: string;
  suite: SuiteName;
}
interface Job {
  id: number;
  lo: number;
  hi: number;
}

const port = parentPort;
if (!port) throw new Error('audit.leaves.worker must run as a worker thread');
let pool: ReturnType<typeof createPool> | undefined;
let suite: SuiteName = 'sha256-ed25519';

port.on('message', (msg: Init | Job | 'close') => {
  if (msg === 'close') {
    void (pool?.end() ?? Promise.resolve()).finally(() => port.close());
    return;
  }
  if ('url' in msg) {
    pool = createPool(msg.url, 2);
    suite = msg.suite;
    return;
  }
  const db = pool;
  if (!db) throw new Error('worker not initialised');
  readLeafBatch(db, db, suiteHasher(suite), msg.lo, msg.hi).then(
    (batch) => {
      const present = batch.present;
      port.postMessage({ id: msg.id, batch }, [
        batch.leaves.buffer as ArrayBuffer,
        present.buffer as ArrayBuffer,
      ]);
    },
    (err: unknown) => port.postMessage({ id: msg.id, error: (err as Error).message }),
  );
});
