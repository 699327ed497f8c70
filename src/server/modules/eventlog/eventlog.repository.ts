import type { Queryable } from '../../platform/db';

export interface EventRow {
  seq: number;
  at: Date;
  actor_kind: string;
  actor_id: string | null;
  type: string;
  subject_id: number | null;
  entity_type: string;
  entity_id: string;
  request_id: string | null;
  payload: string;
}

export interface EventFilter {
  type: string | null;
  entityType: string | null;
  entityId: string | null;
  subjectId: number | null;
  actorKind: string | null;
  actorId: string | null;
  from: Date | null;
  to: Date | null;
  afterSeq: number;
  limit: number;
}

export const eventlogRepo = {
  async list(db: Queryable, f: EventFilter): Promise<EventRow[]> {
    const { rows } = await db.query<EventRow>(
      `SELECT seq, at, actor_kind, actor_id, type, subject_id, entity_type, entity_id, request_id, payload
         FROM events
        WHERE seq > $1
          AND ($2::text IS NULL OR type = $2 OR type LIKE $2 || '.%')
          AND ($3::text IS NULL OR entity_type = $3)
          AND ($4::text IS NULL OR entity_id = $4)
          AND ($5::int8 IS NULL OR subject_id = $5)
          AND ($6::text IS NULL OR actor_kind = $6)
          AND ($7::text IS NULL OR actor_id = $7)
          AND ($8::timestamptz IS NULL OR at >= $8)
          AND ($9::timestamptz IS NULL OR at < $9)
        ORDER BY seq
        LIMIT $10`,
      [
        f.afterSeq,
        f.type,
        f.entityType,
        f.entityId,
        f.subjectId,
        f.actorKind,
        f.actorId,
        f.from,
        f.to,
        f.limit + 1,
      ],
    );
    return rows;
  },
};
