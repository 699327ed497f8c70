import { Worker } from 'node:worker_threads';

/**
 * A few worker threads running one kind of job (the event pass's leaf batches, audit.leaves.pool.ts;
 * the state check's batches, audit.state.ts): each job goes to the least busy worker; a worker
 * that fails or exits fails what it holds.
 * The worker answers { id, result } or { id, error } to { id, job }, and ends on 'close'.
 */
export interface WorkerPool<J, R> {
  run(job: J): Promise<R>;
  close(): Promise<void>;
}

export function startWorkers<J, R>(entry: URL, workerData: unknown, count: number): WorkerPool<J, R> {
  const waiting = new Map<number, { resolve(r: R): void; reject(e: Error): void }>();
  const busy: number[] = [];
  let nextId = 0;
  let failure: Error | undefined;
  const exited: Promise<void>[] = [];
  const workers = Array.from({ length: count }, (_, i) => {
    const w = new Worker(entry, { workerData });
    exited.push(
      new Promise<void>((resolve) =>
        w.once('exit', () => {
          failure ??= new Error('verifier worker exited');
          for (const p of waiting.values()) p.reject(failure);
          waiting.clear();
          resolve();
        }),
      ),
    );
    busy[i] = 0;
    w.on('message', (m: { id: number; result?: R; error?: string }) => {
      busy[i] = (busy[i] ?? 1) - 1;
      const p = waiting.get(m.id);
      waiting.delete(m.id);
      if (!p) return;
      if (m.error !== undefined || m.result === undefined)
        p.reject(new Error(m.error ?? 'verifier worker failed'));
      else p.resolve(m.result);
    });
    w.on('error', (err) => {
      failure = err; // the 'exit' that follows fails what is outstanding
    });
    return w;
  });
  return {
    run(job) {
      if (failure) return Promise.reject(failure);
      const id = nextId++;
      let pick = 0;
      for (let i = 1; i < count; i++) if ((busy[i] ?? 0) < (busy[pick] ?? 0)) pick = i;
      busy[pick] = (busy[pick] ?? 0) + 1;
      return new Promise<R>((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        workers[pick]?.postMessage({ id, job });
      });
    },
    async close() {
      // Ask each to end its connection and exit; one that does not within 5 s is terminated.
      workers.forEach((w) => w.postMessage('close'));
      const timer = setTimeout(() => workers.forEach((w) => void w.terminate()), 5000);
      timer.unref();
      await Promise.all(exited);
      clearTimeout(timer);
    },
  };
}
