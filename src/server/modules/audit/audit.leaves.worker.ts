import { parentPort, workerData } from 'node:worker_threads';
import { createPool } from '../../platform/db';
import type { SuiteName } from '../../../domain/merkle';
import { suiteHasher } from './audit.crypto';
import { readLeafBatch } from './audit.leaves';

/**
 * A verifier worker: reads and hashes the batches it is sent (readLeafBatch) on a connection of its
 * own, so that reading, leaf hashing and payload checks run on every core while the main thread
 * builds the tree. workerData: { url, suite }. Messages: { id, job: { lo, hi } } per batch
 * (audit.workers.ts), answered with { id, result } (buffers transferred) or { id, error }; 'close'
 * ends its pool and the thread.
 */
interface Message {
  id: number;
  job: { lo: number; hi: number };
}

const port = parentPort;
if (!port) throw new Error('audit.leaves.worker must run as a worker thread');
const { url, suite } = workerData as { url: string; suite: SuiteName };
const pool = createPool(url, 2);
const h = suiteHasher(suite);

port.on('message', (msg: Message | 'close') => {
  if (msg === 'close') {
    void pool.end().finally(() => port.close());
    return;
  }
  readLeafBatch(pool, h, msg.job.lo, msg.job.hi).then(
    (batch) =>
      port.postMessage({ id: msg.id, result: batch }, [
        batch.leaves.buffer as ArrayBuffer,
        batch.present.buffer as ArrayBuffer,
      ]),
    (err: unknown) => port.postMessage({ id: msg.id, error: (err as Error).message }),
  );
});
