export interface EventFilters {
  type?: string;
  entityType?: string;
  entityId?: string;
  subjectId?: number;
  actorKind?: 'user' | 'apikey' | 'system' | 'public';
  from?: string;
  to?: string;
}

export const EVENT_PAGE = 100;

/** Query of GET /api/v1/events: blank filters left out, keyset paging by sequence number. */
export function eventQuery(f: EventFilters, afterSeq: number): Record<string, string | number | undefined> {
  const s = (v: string | undefined) => (v && v.trim() ? v.trim() : undefined);
  return {
    type: s(f.type),
    entityType: s(f.entityType),
    entityId: s(f.entityId),
    subjectId: f.subjectId,
    actorKind: f.actorKind,
    from: f.from,
    to: f.to,
    afterSeq: afterSeq > 0 ? afterSeq : undefined,
    limit: EVENT_PAGE,
  };
}
