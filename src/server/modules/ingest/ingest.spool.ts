import { randomUUID } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Actor } from '../../platform/context';

/*
 * The spool of acknowledged uploads. A `POST /ingest/batches?async=1` answers 202 before its batch
 * is processed; so that a batch acknowledged is never lost, its upload is written (streamed, while
 * it is hashed) into `<data dir>/ingest-spool/<database>/`, and before the 202 it is made durable
 * there together with a manifest (what the request asked for and who asked):
 *
 *   <id>.upload   the file as uploaded (fsync'd)
 *   <id>.json     the manifest, written last (temporary name, fsync, rename, fsync of the directory):
 *                 its presence is the acknowledgement
 *
 * Both are removed once the batch is done or failed. At start, and then every minute or so, a
 * server resumes every batch whose manifest it finds and that is still `processing` with no live
 * process working on it or waiting to (ingest.resume.ts, ingest.claims.ts), from the stored upload
 * (idempotent by document number, so running it again is safe); servers sharing the database share
 * this directory, so that one that never comes back leaves nothing behind. At start it also removes
 * the files of batches that ended and uploads that were never acknowledged. One directory per
 * database keeps servers (and test databases) sharing a data directory apart.
 */

export interface Manifest {
  batchId: number;
  departmentId: number;
  itemCode: string | null;
  encoding: string | null;
  layout: string | null;
  fileName: string | null;
  actor: Actor;
  requestId: string;
  acceptedAt: string;
  /** Starts made from the spool (after a restart); past MAX_ATTEMPTS the batch is given up. */
  attempts: number;
}

/** A batch that brought the server down this many times is marked failed instead of resumed again. */
export const MAX_ATTEMPTS = 3;
/** Unacknowledged uploads older than this, found at start, are from a process that died. */
const STALE_PART_MS = 10 * 60 * 1000;

export function spoolDir(dataDir: string, database: string): string {
  return path.join(dataDir, 'ingest-spool', database.replace(/[^A-Za-z0-9_.-]/g, '_'));
}

export async function ensureSpoolDir(dir: string): Promise<string> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  return dir;
}

/** A fresh name for an upload being received (not yet acknowledged). */
export function partPath(dir: string): string {
  return path.join(dir, `${randomUUID()}.part`);
}

const uploadOf = (dir: string, id: number) => path.join(dir, `${id}.upload`);
const manifestOf = (dir: string, id: number) => path.join(dir, `${id}.json`);

async function fsyncPath(p: string, flags = 'r'): Promise<void> {
  const fh = await open(p, flags);
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

async function writeDurably(file: string, text: string): Promise<void> {
  const tmp = `${file}.tmp`;
  const fh = await open(tmp, 'w', 0o600);
  try {
    await fh.writeFile(text);
    await fh.sync();
  } finally {
    await fh.close();
  }
  await rename(tmp, file);
}

/**
 * Makes an upload durable for its batch: the file under the batch's name, then the manifest.
 * When this resolves, a crash at any later point leaves a batch that the next start finishes.
 */
export async function acknowledge(dir: string, part: string, manifest: Manifest): Promise<void> {
  await fsyncPath(part);
  await rename(part, uploadOf(dir, manifest.batchId));
  await writeDurably(manifestOf(dir, manifest.batchId), JSON.stringify(manifest));
  await fsyncPath(dir);
}

/** Records one more start of a spooled batch (before it runs: a crash during it counts). */
export async function countAttempt(dir: string, manifest: Manifest): Promise<Manifest> {
  const next = { ...manifest, attempts: manifest.attempts + 1 };
  await writeDurably(manifestOf(dir, manifest.batchId), JSON.stringify(next));
  return next;
}

/** Whether a batch was acknowledged and is waiting in the spool. */
export async function isSpooled(dir: string, batchId: number): Promise<boolean> {
  return (await stat(manifestOf(dir, batchId)).catch(() => null)) !== null;
}

/** Removes a batch's spool files (after it ended). */
export async function discard(dir: string, batchId: number): Promise<void> {
  await rm(manifestOf(dir, batchId), { force: true });
  await rm(`${manifestOf(dir, batchId)}.tmp`, { force: true });
  await rm(uploadOf(dir, batchId), { force: true });
}

export interface SpooledBatch {
  manifest: Manifest;
  upload: string;
}

/** A batch's manifest and upload as they are now in the spool; null when either is missing or unreadable. */
export async function spooledBatch(dir: string, id: number): Promise<SpooledBatch | null> {
  try {
    const manifest = JSON.parse(await readFile(manifestOf(dir, id), 'utf8')) as Manifest;
    if (manifest.batchId !== id) return null;
    const upload = uploadOf(dir, id);
    if (!(await stat(upload).catch(() => null))) return null;
    return { manifest, upload };
  } catch {
    return null;
  }
}

/** Whether a file was last written or renamed longer ago than `ms` (renaming changes its ctime). */
async function olderThan(file: string, ms: number, now: number): Promise<boolean> {
  const s = await stat(file).catch(() => null);
  return s !== null && now - Math.max(s.mtimeMs, s.ctimeMs) > ms;
}

/**
 * The acknowledged batches in the spool, oldest first. With `tidy` (at start), removes what
 * belongs to none: uploads never acknowledged and a batch's upload without its manifest (older than
 * a few minutes: a live request of this or another server may be receiving or acknowledging one),
 * unreadable manifests. Without it (the periodic sweep), only reads.
 */
export async function spooledBatches(
  dir: string,
  opts: { tidy?: boolean; now?: number } = {},
): Promise<SpooledBatch[]> {
  const tidy = opts.tidy ?? true;
  const now = opts.now ?? Date.now();
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const out: SpooledBatch[] = [];
  const manifests = new Set(names.filter((n) => /^\d+\.json$/.test(n)));
  for (const name of names) {
    const full = path.join(dir, name);
    if (name.endsWith('.part') || name.endsWith('.tmp')) {
      if (tidy && (await olderThan(full, STALE_PART_MS, now))) await rm(full, { force: true });
      continue;
    }
    const up = /^(\d+)\.upload$/.exec(name);
    if (up) {
      if (tidy && !manifests.has(`${up[1]}.json`) && (await olderThan(full, STALE_PART_MS, now)))
        await rm(full, { force: true });
      continue;
    }
    if (!manifests.has(name)) continue;
    const id = Number(name.slice(0, -'.json'.length));
    const batch = await spooledBatch(dir, id);
    if (batch) out.push(batch);
    else if (tidy) await discard(dir, id);
  }
  return out.sort((a, b) => a.manifest.batchId - b.manifest.batchId);
}
