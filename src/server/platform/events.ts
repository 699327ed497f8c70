import { createHash } from 'node:crypto';
import { canonicalJson } from '../../domain/canonical-json';
import type { Queryable } from './db';
import { noteChange } from './commit-bus';
import type { Actor } from './context';

const EVENT_LOCK = 72_736_002;
// Changes that can alter how any subject's public data is presented.
const GLOBAL_ENTITIES = new Set(['catalog_item', 'catalog_category', 'category', 'department', 'settings']);

export interface NewEvent {
  type: string;
  entityType: string;
  entityId: string | number;
  subjectId?: number | null;
  payload: unknown;
}

export interface EventContext {
  db: Queryable;
  actor: Actor;
  requestId: string;
  now: Date;
}

export function actorRef(actor: Actor): { kind: string; id: string | null } {
  switch (actor.kind) {
    case 'user':
      return { kind: 'user', id: String(actor.userId) };
    case 'apikey':
      return { kind: 'apikey', id: String(actor.keyId) };
    case 'system':
      return { kind: 'system', id: actor.name };
    case 'public':
      return { kind: 'public', id: null };
  }
}

/**
 * Appends events inside the caller's transaction. The advisory lock is held until that transaction
 * ends, which makes seq dense and ordered by commit; call this as the last step of a use case so the
 * lock is held briefly.
 */
export async function appendEvents(ctx: EventContext, events: readonly NewEvent[]): Promise<number[]> {
  if (events.length === 0) return [];
  noteChange(
    ctx.db,
    events.flatMap((e) => (e.subjectId ? [e.subjectId] : [])),
    events.some((e) => GLOBAL_ENTITIES.has(e.entityType)),
  );
  const actor = actorRef(ctx.actor);
  const cols = {
    type: [] as string[],
    subject: [] as (number | null)[],
    etype: [] as string[],
    eid: [] as string[],
    payload: [] as string[],
    hash: [] as Buffer[],
  };
  for (const e of events) {
    const text = canonicalJson(e.payload);
    cols.type.push(e.type);
    cols.subject.push(e.subjectId ?? null);
    cols.etype.push(e.entityType);
    cols.eid.push(String(e.entityId));
    cols.payload.push(text);
    cols.hash.push(createHash('sha256').update(text).digest());
  }
  // Two round trips while the lock is held (it lasts until COMMIT): the lock, then one statement
  // that numbers and inserts. The numbering must be its own statement after the lock: in READ
  // COMMITTED its snapshot is taken when it starts, so it sees every event committed before the lock
  // was granted.
  await ctx.db.query('SELECT pg_advisory_xact_lock($1)', [EVENT_LOCK]);
  const { rows } = await ctx.db.query<{ seq: number }>(
    `INSERT INTO events (seq, at, actor_kind, actor_id, type, subject_id, entity_type, entity_id, request_id,
                         payload, payload_sha256)
     SELECT m.last + u.n, $1, $2, $3, u.t, u.sub, u.et, u.eid, $4, u.p, u.h
       FROM (SELECT coalesce(max(seq), 0)::int8 AS last FROM events) m,
            unnest($5::text[], $6::int8[], $7::text[], $8::text[], $9::text[], $10::bytea[])
              WITH ORDINALITY AS u(t, sub, et, eid, p, h, n)
     RETURNING seq`,
    [
      ctx.now,
      actor.kind,
      actor.id,
      ctx.requestId,
      cols.type,
      cols.subject,
      cols.etype,
      cols.eid,
      cols.payload,
      cols.hash,
    ],
  );
  const seqs = rows.map((r) => Number(r.seq)).sort((a, b) => a - b);
  return seqs;
}
