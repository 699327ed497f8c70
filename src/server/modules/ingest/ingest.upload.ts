import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { IncomingMessage } from 'node:http';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { IngestErrors } from './ingest.errors';

/*
 * Uploads: the size limit, and spooling a multipart file part to a temporary file while hashing it
 * (so that "this exact file was already processed" is answered before any work, and an upload can
 * be processed after the response in the background). Nothing is held in memory.
 */

export const DEFAULT_UPLOAD_LIMIT = 200 * 1024 * 1024;

/** XINYONG_UPLOAD_LIMIT: bytes, or with a unit (200MB, 1G). */
export function uploadLimit(env: Record<string, string | undefined>): number {
  const raw = env.XINYONG_UPLOAD_LIMIT?.trim();
  if (!raw) return DEFAULT_UPLOAD_LIMIT;
  const m = /^(\d+(?:\.\d+)?)\s*([kmg]i?b?|b)?$/i.exec(raw);
  const unit = (m?.[2] ?? 'b').toLowerCase()[0] as string;
  const bytes = m
    ? Math.floor(Number(m[1]) * ({ b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[unit] ?? 1))
    : NaN;
  if (!Number.isFinite(bytes) || bytes < 1024 || bytes > 64 * 1024 ** 3)
    throw new Error(
      `XINYONG_UPLOAD_LIMIT=${raw}: 应为 1KB–64GB 的大小，如 200MB / must be a size from 1KB to 64GB, e.g. 200MB`,
    );
  return bytes;
}

export function sizeText(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${+(bytes / 1024 ** 3).toFixed(2)} GB`;
  if (bytes >= 1024 ** 2) return `${+(bytes / 1024 ** 2).toFixed(1)} MB`;
  return `${Math.round(bytes / 1024)} KB`;
}

export function tooLarge(limit: number) {
  return IngestErrors.FILE_TOO_LARGE({ field: 'file', limit, limitText: sizeText(limit) });
}

export interface Spooled {
  path: string;
  size: number;
  sha256: Buffer;
  remove(): Promise<void>;
}

/**
 * Writes an upload to a private temporary file (or to `target`: the spool of acknowledged
 * uploads, ingest.spool.ts), hashing it; refuses it past `limit` bytes.
 */
export async function spool(file: Readable, limit: number, target?: string): Promise<Spooled> {
  const tmp = target ?? path.join(os.tmpdir(), `xinyong-upload-${randomUUID()}`);
  const hash = createHash('sha256');
  let size = 0;
  let over = false;
  const count = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      size += chunk.length;
      if (size > limit) {
        over = true;
        cb(tooLarge(limit));
        return;
      }
      hash.update(chunk);
      cb(null, chunk);
    },
  });
  // busboy stops at its own fileSize limit and marks the part truncated.
  file.once('limit', () => {
    over = true;
    count.destroy(tooLarge(limit));
  });
  const remove = () => rm(tmp, { force: true });
  try {
    await pipeline(file, count, createWriteStream(tmp, { mode: 0o600 }));
  } catch (err) {
    await remove();
    throw over ? tooLarge(limit) : err;
  }
  if ((file as Readable & { truncated?: boolean }).truncated) {
    await remove();
    throw tooLarge(limit);
  }
  return { path: tmp, size, sha256: hash.digest(), remove };
}

/** Passes bytes through and fails once more than `limit` have passed (streamed request bodies). */
export function limitStream(limit: number): Transform {
  let size = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, cb) {
      size += chunk.length;
      if (size > limit) cb(tooLarge(limit));
      else cb(null, chunk);
    },
  });
}

/**
 * After refusing a body that is still arriving: keep reading (and dropping) a little of it so that
 * the client, still sending, gets to read the answer instead of a connection reset; then close the
 * connection. A 2 GB upload costs at most `cap` more bytes of reading, never memory.
 */
export function lingerThenClose(raw: IncomingMessage, cap = 8 * 1024 * 1024, ms = 5_000): void {
  if (raw.complete) return;
  let read = 0;
  const close = () => raw.socket?.destroy();
  const timer = setTimeout(close, ms);
  timer.unref();
  raw.on('data', (chunk: Buffer) => {
    read += chunk.length;
    if (read > cap) close();
  });
  raw.on('end', () => clearTimeout(timer));
  raw.resume();
}
