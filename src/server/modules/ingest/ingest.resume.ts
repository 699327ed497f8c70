import { createReadStream } from 'node:fs';
import { batchEnded, failUnattended, type Caller, type IngestDeps } from './ingest.batches';
import { IngestErrors } from './ingest.errors';
import { ingestRepo } from './ingest.repository';
import { ingest } from './ingest.service';
import { countAttempt, discard, MAX_ATTEMPTS, type SpooledBatch } from './ingest.spool';

/*
 * At start: batches acknowledged with 202 whose process died before they were done are run again
 * from their spooled upload (ingest.spool.ts), one after the other in the order they were accepted,
 * as their submitter, through the same path as any batch (turn, slot, one transaction). Running
 * one again is safe: a batch's transaction either committed (the batch is then `done` and only its
 * files are left to remove) or left nothing, and records are keyed by document number.
 */

export interface ResumeDeps extends IngestDeps {
  spoolDir: string;
}

/** Finishes one spooled batch; its spool files are removed once it has ended. */
async function resumeOne(deps: ResumeDeps, now: () => Date, s: SpooledBatch): Promise<void> {
  const dir = deps.spoolDir;
  const id = s.manifest.batchId;
  const row = await ingestRepo.byId(deps.pool, id);
  if (row?.status !== 'processing') {
    await discard(dir, id);
    return;
  }
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
 * Resumes the acknowledged batches found in the spool (spooledBatches, read before the other
 * unfinished batches were settled as abandoned), one after the other. Resolves when all are done.
 */
export async function resumeSpooled(
  deps: ResumeDeps,
  now: () => Date,
  spooled: readonly SpooledBatch[],
  log?: (err: unknown, msg: string) => void,
): Promise<number[]> {
  const resumed: number[] = [];
  for (const s of spooled) {
    try {
      await resumeOne(deps, now, s);
      resumed.push(s.manifest.batchId);
    } catch (err) {
      log?.(err, `ingest: resuming batch ${s.manifest.batchId} failed`);
    }
  }
  return resumed;
}
