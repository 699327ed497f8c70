import { canonicalJson } from '../../domain/canonical-json';
import { sha256Hex } from './crypto';
import type { Queryable } from './db';
import { noteChange, publish, type Committed } from './commit-bus';
import type { Actor } from './context';

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

/** An event with its own stamp: who, for which request, when. */
export interface StampedEvent extends NewEvent {
  actor: Actor;
  requestId: string;
  now: Date;
}

/** A data-modifying statement (`INSERT …`, `$1…$n` for its values) run in the same statement as an append. */
export interface Statement {
  text: string;
  values: unknown[];
}

/**
 * Appends events inside the caller's transaction. The event-log lock is held until that
 * transaction ends, which makes seq dense and ordered by commit; call this as the last step of a
 * use case so the lock is held briefly. One round trip (migration 0024: the lock and the numbered
 * insert in one function call); the payloads are hashed before it.
 */
export function appendEvents(ctx: EventContext, events: readonly NewEvent[]): Promise<number[]> {
  const actor = actorRef(ctx.actor);
  noteEvents(ctx.db, events);
  return append(ctx.db, events, [ctx.now], [actor.kind], [actor.id], [ctx.requestId]);
}

/**
 * Appends events stamped one by one, and runs `statement` in the same statement: on the pool this
 * is one transaction in one round trip (the check log's group commit). Changes are published to the
 * in-process caches once they have committed: at once on the pool (each call its own change, never
 * mixed with another call's), else with the caller's commit. `readsOnly` events (a log of reads,
 * such as checks) change nothing a cache holds and are not published.
 */
export async function appendEventsWith(
  db: Queryable,
  events: readonly StampedEvent[],
  statement: Statement,
  opts: { readsOnly?: boolean } = {},
): Promise<number[]> {
  const refs = events.map((e) => actorRef(e.actor));
  const pooled = !inTransaction(db);
  if (!opts.readsOnly && !pooled) noteEvents(db, events);
  const seqs = await append(
    db,
    events,
    events.map((e) => e.now),
    refs.map((r) => r.kind),
    refs.map((r) => r.id),
    events.map((e) => e.requestId),
    statement,
  );
  if (!opts.readsOnly && pooled && events.length > 0) publish(changeOf(events));
  return seqs;
}

/**
 * Stages events in the caller's transaction (its temporary table `event_stage`, dropped at commit)
 * for a later appendStagedEvents: for bulk writers, whose events would otherwise hold the
 * event-log lock for minutes. Their payload text and hash are made now, outside the lock; the
 * subjects are noted now and published with the caller's commit. Call appendStagedEvents before the
 * transaction commits: the stage is dropped with it.
 */
export async function stageEvents(db: Queryable, events: readonly NewEvent[]): Promise<void> {
  if (events.length === 0) return;
  noteEvents(db, events);
  const cols = columns(events);
  await db.query(
    `CREATE TEMP TABLE IF NOT EXISTS event_stage (
       ord bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, type text NOT NULL, subject_id bigint,
       entity_type text NOT NULL, entity_id text NOT NULL, payload text NOT NULL, payload_sha256 bytea NOT NULL
     ) ON COMMIT DROP`,
  );
  await db.query(
    `INSERT INTO event_stage (type, subject_id, entity_type, entity_id, payload, payload_sha256)
     SELECT t, sub, et, eid, p, h
       FROM unnest($1::text[], $2::int8[], $3::text[], $4::text[], string_to_array($5, E'\\n'), $6::bytea[])
              WITH ORDINALITY AS u(t, sub, et, eid, p, h, n)
      ORDER BY n`,
    [cols.type, cols.subject, cols.etype, cols.eid, cols.payload.join('\n'), cols.hash],
  );
}

/**
 * Appends every event staged in the caller's transaction, in the order staged, in one statement
 * under the event-log lock (held until the transaction ends); returns how many.
 */
export async function appendStagedEvents(ctx: EventContext): Promise<number> {
  const actor = actorRef(ctx.actor);
  const { rows } = await ctx.db.query<{ n: string }>('SELECT append_staged_events($1, $2, $3, $4) AS n', [
    ctx.now,
    actor.kind,
    actor.id,
    ctx.requestId,
  ]);
  return Number(rows[0]?.n ?? 0);
}

/** A pool runs each statement as its own transaction; a checked-out client is the caller's transaction. */
function inTransaction(db: Queryable): boolean {
  return 'release' in db;
}

async function append(
  db: Queryable,
  events: readonly NewEvent[],
  at: readonly Date[],
  actorKind: readonly string[],
  actorId: readonly (string | null)[],
  requestId: readonly string[],
  statement?: Statement,
): Promise<number[]> {
  if (events.length === 0) {
    if (statement) await db.query(statement.text, statement.values);
    return [];
  }
  const cols = columns(events);
  const lead = statement?.values.length ?? 0;
  const params = Array.from({ length: 10 }, (_, i) =>
    i === 8 ? `string_to_array($${lead + i + 1}, E'\\n')` : `$${lead + i + 1}`,
  ).join(', ');
  const call = `SELECT s AS seq FROM append_events(${params}) s`;
  const { rows } = await db.query<{ seq: string }>(
    statement ? `WITH lead AS (${statement.text}) ${call}` : call,
    [
      ...(statement?.values ?? []),
      at,
      actorKind,
      actorId,
      requestId,
      cols.type,
      cols.subject,
      cols.etype,
      cols.eid,
      cols.payload.join('\n'),
      cols.hash,
    ],
  );
  return rows.map((r) => Number(r.seq)).sort((a, b) => a - b);
}

/** What the events change for the in-process caches: the subjects they name, or "everything". */
function changeOf(events: readonly NewEvent[]): Committed {
  return {
    subjectIds: new Set(events.flatMap((e) => (e.subjectId ? [e.subjectId] : []))),
    global: events.some((e) => GLOBAL_ENTITIES.has(e.entityType)),
  };
}

/** Notes the events' change on the transaction `db`, published by the commit bus when it commits. */
function noteEvents(db: Queryable, events: readonly NewEvent[]): void {
  if (events.length === 0) return;
  const c = changeOf(events);
  noteChange(db, c.subjectIds, c.global);
}

/**
 * The events as columns, each payload as canonical JSON and its SHA-256. The payloads go to the
 * database as one text joined by newlines and split there (`string_to_array(…, E'\n')`):
 * canonical JSON never holds a raw newline, and pg's array literal would escape every quote of every
 * payload with two regular expressions (profiled: ~4 % of a logged check).
 */
function columns(events: readonly NewEvent[]) {
  const cols = {
    type: [] as string[],
    subject: [] as (number | null)[],
    etype: [] as string[],
    eid: [] as string[],
    payload: [] as string[],
    // bytea in its hex input form: pg would write a Buffer the same way, at more cost.
    hash: [] as string[],
  };
  for (const e of events) {
    const text = canonicalJson(e.payload);
    cols.type.push(e.type);
    cols.subject.push(e.subjectId ?? null);
    cols.etype.push(e.entityType);
    cols.eid.push(String(e.entityId));
    cols.payload.push(text);
    cols.hash.push(`\\x${sha256Hex(text)}`);
  }
  return cols;
}
