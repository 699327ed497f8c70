import { createReadStream } from 'node:fs';
import { startRounds, type Rounds } from '../../platform/rounds';
import { batchEnded, failUnattended, type Caller, type IngestDeps } from './ingest.batches';
import { SpoolClaims } from './ingest.claims';
import { IngestErrors } from './ingest.errors';
import { ingestRepo } from './ingest.repository';
import { ingest } from './ingest.service';
import {
  countAttempt,
  discard,
  MAX_ATTEMPTS,
  spooledBatch,
  spooledBatches,
  type SpooledBatch,
} from './ingest.spool';

/*
 * Batches acknowledged with 202 whose process died before they were done are run again from their
 * spooled upload (ingest.spool.ts), in the order they were accepted, as their submitter, through
 * the same path as any batch (turn, slot, one transaction). Every server sharing the database and
 * the spool does so at its start and then in a periodic sweep, so a batch of a server that never
 * comes back is finished by another one. A server takes only batches that no live process is
 * working on (BATCH_ALIVE) or waiting to work on (its claim, ingest.claims.ts), so two servers
 * never run the same batch. Running one again is safe: a batch's transaction either committed (the
 * batch is then `done` and only its files are left to remove) or left nothing, and records are
 * keyed by document number.
 */

export interface ResumeDeps extends IngestDeps {
  spoolDir: string;
}

/**
 * Finishes one spooled batch this process has claimed; its spool files are removed once it has
 * ended. Its manifest is read again under the claim: the attempts another server counted before
 * it died are in it.
 */
async function resumeOne(deps: ResumeDeps, now: () => Date, id: number): Promise<void> {
  const dir = deps.spoolDir;
  const row = await ingestRepo.byId(deps.pool, id);
  if (row?.status !== 'processing') {
    await discard(dir, id);
    return;
  }
  const s = await spooledBatch(dir, id);
  if (!s) return;
  const caller: Caller = { actor: s.manifest.actor, requestId: s.manifest.requestId, now: now() };
  if (s.manifest.attempts >= MAX_ATTEMPTS) {
    // It was started this many times and the process died each time: given up, as abandoned.
    await failUnattended(deps, caller, id, IngestErrors.BATCH_ABANDONED({ batch: id }));
  } else {
    await countAttempt(dir, s.manifest);
    try {
      await ingest(deps, caller, {
        departmentId: row.department_id,
        itemCode: row.item_code,
        encoding: s.manifest.encoding,
        layout: s.manifest.layout,
        fileName: row.file_name,
        channel: row.channel,
        input: createReadStream(s.upload),
        sha256: row.sha256,
        sizeBytes: row.size_bytes,
        resume: row,
      });
    } catch (err) {
      // Failed while running: recorded on the batch already. Refused before it could run (the item
      // retired, the department no longer its provider): the batch fails with that error.
      await failUnattended(deps, caller, id, err);
    }
  }
  if (await batchEnded(deps.pool, id)) await discard(dir, id);
}

/**
 * Resumes, one after the other, the acknowledged batches found in the spool (spooledBatches; at
 * start, read before the other unfinished batches were settled as abandoned) that are still
 * `processing` and that this process can claim: none that a live process runs or has claimed, and
 * none after such a one of the same department and item (they run in the order accepted). Each is
 * claimed only when its turn in this pass comes, so other servers may take the later ones
 * meanwhile. Resolves, with the batches it took, when all are done.
 */
export async function resumeSpooled(
  deps: ResumeDeps,
  now: () => Date,
  spooled: readonly SpooledBatch[],
  log?: (err: unknown, msg: string) => void,
): Promise<number[]> {
  const taken: number[] = [];
  const claims = new SpoolClaims(deps.pool);
  // Department and item pairs whose earlier batch a live process holds.
  const held = new Set<string>();
  try {
    for (const s of spooled) {
      const id = s.manifest.batchId;
      let pair: string | null = null;
      try {
        const row = await ingestRepo.byId(deps.pool, id);
        if (row?.status !== 'processing') {
          // Ended; its files are left from a process that died before removing them.
          await discard(deps.spoolDir, id);
          continue;
        }
        pair = `${row.department_id}:${row.item_code}`;
        if (held.has(pair) || !(await claims.take(id))) {
          held.add(pair);
          continue;
        }
        try {
          await resumeOne(deps, now, id);
          taken.push(id);
        } finally {
          await claims.release(id);
        }
      } catch (err) {
        // Not taken, or not finished: the pair's later batches wait for the next pass.
        if (pair) held.add(pair);
        log?.(err, `ingest: resuming batch ${id} failed`);
      }
    }
  } finally {
    await claims.close();
  }
  return taken;
}

export type SpoolSweep = Rounds<readonly SpooledBatch[], number[]>;

/**
 * Sweeps the spool every `intervalMs` (0: only the passes asked for with `runOnce`, such as the one
 * at start, given the batches read then), one pass at a time in this process. A pass lasts as long
 * as the batches it resumes; ticks meanwhile are skipped.
 */
export function startSpoolSweep(
  deps: ResumeDeps,
  opts: {
    clock: () => Date;
    intervalMs: number;
    log: { info(obj: object, msg: string): void; error(obj: object, msg: string): void };
  },
): SpoolSweep {
  const logError = (err: unknown, msg: string) => opts.log.error({ err }, msg);
  return startRounds<readonly SpooledBatch[], number[]>({
    intervalMs: opts.intervalMs,
    round: async (given) =>
      resumeSpooled(
        deps,
        opts.clock,
        given ?? (await spooledBatches(deps.spoolDir, { tidy: false })),
        logError,
      ),
    done: (batches) => {
      if (batches.length) opts.log.info({ batches }, 'ingest: spooled batches resumed');
    },
    failed: (err) => logError(err, 'ingest: sweeping the spool failed'),
  });
}
