import { parentPort, workerData } from 'node:worker_threads';
import { createPool, type Tx } from '../../platform/db';
import { checkBatch, readBatch, type Job, type StateContext } from './audit.state';
import { stateRepo } from './audit.state.repository';

/**
 * A worker of the state check (audit.state.ts): reads and checks the batches it is sent on a
 * connection of its own, joined to the verifier's snapshot. workerData: { url, snapshot, ctx }.
 * Messages: { id, job } answered with { id, result } or { id, error }, one at a time; 'close' ends
 * its connection and the thread.
 */
const port = parentPort;
if (!port) throw new Error('audit.state.worker must run as a worker thread');
const { url, snapshot, ctx } = workerData as { url: string; snapshot: string; ctx: StateContext };
const pool = createPool(url, 1);
const ready: Promise<Tx> = pool.connect().then(async (client) => {
  await stateRepo.join(client, snapshot);
  return client;
});
let queue: Promise<unknown> = Promise.resolve();

port.on('message', (msg: { id: number; job: Job } | 'close') => {
  if (msg === 'close') {
    void queue
      .then(() => ready)
      .then(async (client) => {
        await stateRepo.end(client).catch(() => undefined);
        client.release();
      })
      .catch(() => undefined)
      .finally(() => void pool.end().finally(() => port.close()));
    return;
  }
  queue = queue.then(async () => {
    try {
      const client = await ready;
      port.postMessage({ id: msg.id, result: checkBatch(await readBatch(client, msg.job, ctx), ctx) });
    } catch (err) {
      port.postMessage({ id: msg.id, error: (err as Error).message });
    }
  });
});
