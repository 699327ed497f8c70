import type { SuiteName } from '../../../domain/merkle';
import type { Pool } from '../../platform/db';
import { suiteHasher } from './audit.crypto';
import { readLeafBatch, type LeafBatch } from './audit.leaves';
import { startWorkers } from './audit.workers';

/** Where the verifier gets its leaf batches: in this thread, or from worker threads. */
export interface LeafReader {
  read(lo: number, hi: number): Promise<LeafBatch>;
  close(): Promise<void>;
}

export function inProcessReader(pool: Pool, suite: SuiteName): LeafReader {
  const h = suiteHasher(suite);
  return {
    read: (lo, hi) => readLeafBatch(pool, h, lo, hi),
    close: async () => undefined,
  };
}

type Transferred = Omit<LeafBatch, 'leaves'> & { leaves: Uint8Array };

/** `count` worker threads, each with its own connection to `url`; batches go to the least busy. */
export function workerReader(url: string, suite: SuiteName, count: number): LeafReader {
  const workers = startWorkers<{ lo: number; hi: number }, Transferred>(
    new URL('./audit.leaves.worker.mjs', import.meta.url),
    { url, suite },
    count,
  );
  return {
    async read(lo, hi) {
      const batch = await workers.run({ lo, hi });
      const l = batch.leaves;
      return { ...batch, leaves: Buffer.from(l.buffer, l.byteOffset, l.byteLength) };
    },
    close: () => workers.close(),
  };
}
