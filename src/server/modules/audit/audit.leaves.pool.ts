import { Worker } from 'node:worker_threads';
import type { SuiteName } from '../../../domain/merkle';
import type { Pool } from '../../platform/db';
import { suiteHasher } from './audit.crypto';
import { readLeafBatch, type LeafBatch } from './audit.leaves';

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

interface Reply {
  id: number;
  batch?: Omit<LeafBatch, 'leaves'> & { leaves: Uint8Array };
  error?: string;
}

/** `count` worker threads, each with its own connection to `url`; batches go to the least busy. */
export function workerReader(url: string, suite: SuiteName, count: number): LeafReader {
  const entry = new URL('./audit.leaves.worker.mjs', import.meta.url);
  const waiting = new Map<number, { resolve(b: LeafBatch): void; reject(e: Error): void }>();
  const busy: number[] = [];
  let nextId = 0;
  let failure: Error | undefined;
  const exited: Promise<void>[] = [];
  const workers = Array.from({ length: count }, (_, i) => {
    const w = new Worker(entry, { workerData: { url, suite } });
    exited.push(
      new Promise<void>((resolve) =>
        w.once('exit', () => {
          // A worker gone with batches outstanding (it failed, or was terminated) fails them.
          failure ??= new Error('verifier worker exited');
          for (const p of waiting.values()) p.reject(failure);
          waiting.clear();
          resolve();
        }),
      ),
    );
    busy[i] = 0;
    w.on('message', (m: Reply) => {
      busy[i] = (busy[i] ?? 1) - 1;
      const p = waiting.get(m.id);
      waiting.delete(m.id);
      if (!p) return;
      if (m.error !== undefined || !m.batch) p.reject(new Error(m.error ?? 'verifier worker failed'));
      else {
        const l = m.batch.leaves;
        p.resolve({ ...m.batch, leaves: Buffer.from(l.buffer, l.byteOffset, l.byteLength) });
      }
    });
    w.on('error', (err) => {
      failure = err; // the 'exit' that follows fails what is outstanding
    });
    return w;
  });
  return {
    read(lo, hi) {
      if (failure) return Promise.reject(failure);
      const id = nextId++;
      let pick = 0;
      for (let i = 1; i < count; i++) if ((busy[i] ?? 0) < (busy[pick] ?? 0)) pick = i;
      busy[pick] = (busy[pick] ?? 0) + 1;
      return new Promise<LeafBatch>((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        workers[pick]?.postMessage({ id, lo, hi });
      });
    },
    async close() {
      // Ask each to end its pool and exit; one that does not within 5 s is terminated.
      workers.forEach((w) => w.postMessage('close'));
      const timer = setTimeout(() => workers.forEach((w) => void w.terminate()), 5000);
      timer.unref();
      await Promise.all(exited);
      clearTimeout(timer);
    },
  };
}
