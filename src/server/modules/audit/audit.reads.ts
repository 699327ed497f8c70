import type { FastifyRequest } from 'fastify';
import { actorSubject } from '../../platform/context';
import { withTransaction } from '../../platform/db';
import { defineErrors } from '../../platform/errors';
import { appendEvents, type NewEvent } from '../../platform/events';
import type { Platform } from '../../platform/platform';

/** One read of non-public data, for the `data.read` event that records it. */
export interface NonPublicRead {
  /** What was read, e.g. `ingest_rejected_rows`, `list_entry`, `repair_file`, `feed_shared`. */
  what: string;
  /** The entity read, e.g. `ingest_batch:12`; names the event when no single record is read. */
  entity: string;
  /**
   * Subjects whose data was returned, as far as the platform knows them (upload rows: their
   * records' subjects, and the registered subjects their USCC or ID number cells name). Empty when
   * it knows none, e.g. rows whose codes name no registered subject.
   */
  subjectIds: readonly number[];
  recordIds?: readonly number[];
  /** Names of the non-public fields returned. */
  fields: readonly string[];
  /** The purpose stated (`X-Purpose`), or null. */
  purpose: string | null;
  /** A little more about the read (a batch id, a cursor range); never the data itself. */
  detail?: Record<string, unknown>;
}

/**
 * Writes one `data.read` event — who (the request's actor), what, purpose, when (the request's
 * instant) — for a request that returned non-public data, in a short transaction of its own after
 * the read. Same shape as the records' read events, so `GET /api/v1/me/reads` shows a subject every
 * read naming it (by `subject_id` for one subject, by `subjectIds` in the payload for several).
 * A subject's own account reading its own data is not logged.
 */
export async function logNonPublicRead(
  platform: Platform,
  request: FastifyRequest,
  read: NonPublicRead,
): Promise<void> {
  const own = actorSubject(request.actor);
  if (own !== null && read.subjectIds.length > 0 && read.subjectIds.every((s) => s === own)) return;
  await appendReadEvent(platform, request, read);
}

/**
 * The `data.read` event of a read served at `route` — what appendReadEvent writes, and what a
 * background job that hands out non-public data (the feed's webhook deliveries) appends in its own
 * transaction.
 */
export function readEvent(read: NonPublicRead, route: string): NewEvent {
  const subjectIds = [...new Set(read.subjectIds)].sort((a, b) => a - b);
  const recordIds = read.recordIds ? [...new Set(read.recordIds)].sort((a, b) => a - b) : [];
  return {
    type: 'data.read',
    entityType: 'data_read',
    entityId: read.entity.slice(0, 200),
    subjectId: subjectIds.length === 1 ? subjectIds[0] : null,
    payload: {
      what: read.what,
      route,
      subjectIds,
      recordIds,
      fields: [...new Set(read.fields)].sort(),
      purpose: read.purpose,
      ...(read.detail ? { detail: read.detail } : {}),
    },
  };
}

/**
 * The one writer of `data.read` events for requests (this module's routes and the `me` module's
 * `logDataRead` both call it); the callers decide which reads are logged.
 */
export async function appendReadEvent(
  platform: Platform,
  request: FastifyRequest,
  read: NonPublicRead,
): Promise<void> {
  const route = `${request.method} ${request.routeOptions.url ?? request.url}`;
  await withTransaction(platform.pool, (tx) =>
    appendEvents({ db: tx, actor: request.actor, requestId: request.id, now: request.now }, [
      readEvent(read, route),
    ]),
  );
}

/** Subject ids from refs like `S123` (what views and the feed show). */
export function subjectIdsOfRefs(refs: Iterable<string | null | undefined>): number[] {
  const out: number[] = [];
  for (const r of refs) {
    const m = r ? /^S(\d+)$/.exec(r) : null;
    if (m) out.push(Number(m[1]));
  }
  return out;
}

export const ReadErrors = defineErrors({
  PURPOSE_REQUIRED: {
    kind: 'bad_request',
    zh: '读取非公开数据须在请求头 X-Purpose 中说明用途（4–200 个字符）',
    en: 'Reading non-public data requires a stated purpose in the X-Purpose header (4–200 characters)',
  },
});

/**
 * The purpose a caller states for reading shared (non-public) data: header `X-Purpose`, 4–200
 * characters (percent-encode non-ASCII text). API keys must state one; users (console sessions)
 * may. A malformed one is refused either way (`PURPOSE_REQUIRED`). Every route that serves shared
 * data to API keys calls this before reading, so a refused request reads and logs nothing.
 */
export function statedPurpose(request: FastifyRequest): string | null {
  const value = purposeHeader(request);
  if (value === null || (value === '' && request.actor.kind === 'apikey'))
    throw ReadErrors.PURPOSE_REQUIRED({ field: 'X-Purpose' });
  return value || null;
}

/**
 * The purpose stated in `X-Purpose` where stating one is optional (reads no API key makes of
 * others' shared data: an upload's own rows, the event log by auditors); null when absent or
 * unusable. Routes serving shared data to API keys require one through `statedPurpose`.
 */
export function optionalPurpose(request: FastifyRequest): string | null {
  return purposeHeader(request) || null;
}

/**
 * The `X-Purpose` header, trimmed and percent-decoded: '' when absent or blank, null when malformed
 * (undecodable, or not a valid purpose: see `purposeText`).
 */
export function purposeHeader(request: FastifyRequest): string | null {
  const raw = request.headers['x-purpose'];
  const value = (Array.isArray(raw) ? raw[0] : raw)?.trim() ?? '';
  try {
    return purposeText(value.includes('%') ? decodeURIComponent(value) : value);
  } catch {
    return null;
  }
}

/**
 * The one rule for a stated purpose, wherever it is stated (the `X-Purpose` header, or the body of
 * a standing read such as a shared-scope webhook subscription): trimmed, 4–200 characters, no
 * control characters. '' when absent or blank, null when malformed.
 */
export function purposeText(value: string | null | undefined): string | null {
  const text = value?.trim() ?? '';
  if (text === '') return '';
  const length = [...text].length;
  // eslint-disable-next-line no-control-regex
  return length >= 4 && length <= 200 && !/[\u0000-\u001f\u007f-\u009f]/.test(text) ? text : null;
}

/**
 * A purpose stated once in a request body for reads that happen later without a request (a webhook
 * subscription in the shared scope: every delivery's read event carries it). Required; the same
 * rule and code as `X-Purpose` (`PURPOSE_REQUIRED`, naming the body field).
 */
export function requiredBodyPurpose(value: string | null | undefined, field = 'purpose'): string {
  const text = purposeText(value);
  if (!text)
    throw ReadErrors.PURPOSE_REQUIRED(
      { field },
      {
        zh: `共享数据的推送订阅须在 ${field} 中说明用途（4–200 个字符，不含控制字符），每次推送的读取记录都将载明该用途`,
        en: `A subscription to shared data requires a stated purpose in ${field} (4–200 characters, no control characters); every delivery's read event carries it`,
      },
    );
  return text;
}
