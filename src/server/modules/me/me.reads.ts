import type { FastifyRequest } from 'fastify';
import type { Ctx } from '../../platform/context';
import type { Platform } from '../../platform/platform';
import { appendReadEvent } from '../audit';
import { getItemVersion, type ItemVersion } from '../catalog';

// Item versions never change once written; keep them for the process.
const items = new Map<string, Promise<ItemVersion>>();
function itemVersion(ctx: Ctx, code: string, version: number): Promise<ItemVersion> {
  const key = `${code}@${version}`;
  let v = items.get(key);
  if (!v) {
    v = getItemVersion(ctx, code, version);
    v.catch(() => items.delete(key));
    items.set(key, v);
  }
  return v;
}

/** Whether a field of an item is non-public: shared, internal, sensitive, or not declared at all. */
export function isNonPublic(item: ItemVersion, key: string): boolean {
  const props = (item.payloadSchema.properties ?? {}) as Record<string, { 'x-sensitive'?: boolean }>;
  return (item.fieldVisibility[key] ?? 'internal') !== 'public' || props[key]?.['x-sensitive'] === true;
}

export interface RecordLike {
  item_code: string;
  item_version: number;
  payload: Record<string, unknown>;
}

/** The names of the non-public (shared/internal) fields that carry a value in these records. */
export async function nonPublicFields(ctx: Ctx, rows: readonly RecordLike[]): Promise<string[]> {
  const out = new Set<string>();
  for (const r of rows) {
    const item = await itemVersion(ctx, r.item_code, r.item_version);
    for (const [key, value] of Object.entries(r.payload))
      if (value !== undefined && value !== null && value !== '' && isNonPublic(item, key)) out.add(key);
  }
  return [...out].sort();
}

export interface DataRead {
  /** What was read, e.g. `records`, `record`, `subject`. */
  what: string;
  subjectIds: readonly number[];
  recordIds?: readonly number[];
  fields: readonly string[];
  purpose: string | null;
}

/**
 * Writes one `data.read` event for a request that returned non-public data, in a short transaction
 * of its own after the read. A read of one subject carries its id in `subject_id` (indexed); a list
 * over several names them in the payload (`subjectIds`), where `GET /api/v1/me/reads` finds them.
 */
export async function logDataRead(
  platform: Platform,
  request: FastifyRequest,
  read: DataRead,
): Promise<void> {
  const subjectIds = [...new Set(read.subjectIds)].sort((a, b) => a - b);
  if (subjectIds.length === 0) return;
  await appendReadEvent(platform, request, {
    ...read,
    // Not the read entity's own type: `record`/`subject` events are changes to those entities.
    entity:
      read.recordIds?.length === 1 ? `record:${read.recordIds[0]}` : `${read.what}:${subjectIds.join(',')}`,
  });
}
