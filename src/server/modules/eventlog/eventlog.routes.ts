import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { readCtx } from '../../platform/platform';
import { logNonPublicRead, optionalPurpose } from '../audit';
import { eventlogRepo } from './eventlog.repository';
import { Nullable } from '../../platform/schema';

const Query = Type.Object(
  {
    type: Type.Optional(
      Type.String({ maxLength: 100, description: '事件类型或其前缀，如 record / type or prefix' }),
    ),
    entityType: Type.Optional(Type.String({ maxLength: 50 })),
    entityId: Type.Optional(Type.String({ maxLength: 100 })),
    subjectId: Type.Optional(Type.Integer()),
    actorKind: Type.Optional(Type.Enum(['user', 'apikey', 'system', 'public'])),
    actorId: Type.Optional(Type.String({ maxLength: 100 })),
    from: Type.Optional(Type.String({ format: 'date-time' })),
    to: Type.Optional(Type.String({ format: 'date-time' })),
    afterSeq: Type.Integer({ minimum: 0, default: 0 }),
    limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
  },
  { additionalProperties: false },
);

const EventSchema = Type.Object({
  seq: Type.Integer(),
  at: Type.String(),
  actorKind: Type.String(),
  actorId: Nullable(Type.String()),
  type: Type.String(),
  subjectId: Nullable(Type.Integer()),
  entityType: Type.String(),
  entityId: Type.String(),
  requestId: Nullable(Type.String()),
  payload: Type.Unknown(),
});

/** Read-only view of the event log for auditors and the platform admin. */
export async function eventlogRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const p = app.platform;
  app.get(
    '/api/v1/events',
    {
      config: { access: ['auditor', 'platform_admin'] },
      schema: {
        tags: ['audit'],
        summary: '事件日志（只读）/ Event log (read-only)',
        querystring: Query,
        response: {
          200: Type.Object({
            items: Type.Array(EventSchema),
            more: Type.Boolean(),
            nextAfterSeq: Type.Integer(),
          }),
        },
      },
    },
    async (request) => {
      const q = request.query;
      const rows = await eventlogRepo.list(readCtx(p, request).db, {
        type: q.type ?? null,
        entityType: q.entityType ?? null,
        entityId: q.entityId ?? null,
        subjectId: q.subjectId ?? null,
        actorKind: q.actorKind ?? null,
        actorId: q.actorId ?? null,
        from: q.from ? new Date(q.from) : null,
        to: q.to ? new Date(q.to) : null,
        afterSeq: q.afterSeq,
        limit: q.limit,
      });
      const items = rows.slice(0, q.limit).map((r) => ({
        seq: r.seq,
        at: r.at.toISOString(),
        actorKind: r.actor_kind,
        actorId: r.actor_id,
        type: r.type,
        subjectId: r.subject_id,
        entityType: r.entity_type,
        entityId: r.entity_id,
        requestId: r.request_id,
        payload: JSON.parse(r.payload) as unknown,
      }));
      const last = items[items.length - 1];
      // Event payloads hold non-public data (names of persons, statements): reading them is an event,
      // naming the subjects whose events were returned.
      if (last)
        await logNonPublicRead(p, request, {
          what: 'event_log',
          entity: `events:${items[0]?.seq ?? last.seq}-${last.seq}`,
          subjectIds: [...new Set(items.flatMap((e) => (e.subjectId === null ? [] : [e.subjectId])))],
          fields: ['event_payload'],
          purpose: optionalPurpose(request),
          detail: { firstSeq: items[0]?.seq ?? last.seq, lastSeq: last.seq, count: items.length },
        });
      return { items, more: rows.length > q.limit, nextAfterSeq: last ? last.seq : q.afterSeq };
    },
  );
}
