import { utf8 } from './bytes';

/**
 * The leaf of the transparency log for one event: its metadata and the SHA-256 of its payload, never
 * the payload itself (payloads may hold non-public data; the hash binds them). Leaf bytes are the
 * UTF-8 of the canonical JSON (src/domain/canonical-json.ts: keys sorted, no white space) of:
 *
 *   seq            event sequence number (1, 2, …); leaf index = seq − 1
 *   at             event time, UTC, ISO 8601 with exactly six fractional digits: 2026-06-01T02:00:00.000000Z
 *                  (the database keeps microseconds; all of them are bound)
 *   actorKind      'user' | 'apikey' | 'system' | 'public'
 *   actorId        string or null
 *   type           event type, e.g. 'department.created'
 *   subjectId      number or null
 *   entityType     string
 *   entityId       string
 *   requestId      string or null
 *   payloadSha256  lowercase hex SHA-256 of the payload text (the stored canonical JSON)
 */
export interface EventLeaf {
  seq: number;
  at: string;
  actorKind: string;
  actorId: string | null;
  type: string;
  subjectId: number | null;
  entityType: string;
  entityId: string;
  requestId: string | null;
  payloadSha256: string;
}

const str = (v: string | null): string => (v === null ? 'null' : JSON.stringify(v));

/**
 * canonicalJson(leaf), written out with the keys in their sorted order: the same text, several times
 * faster, which matters when a verifier recomputes millions of leaves (a test checks they agree).
 */
export function eventLeafJson(e: EventLeaf): string {
  return (
    `{"actorId":${str(e.actorId)},"actorKind":${str(e.actorKind)},"at":${str(e.at)},"entityId":${str(e.entityId)}` +
    `,"entityType":${str(e.entityType)},"payloadSha256":${str(e.payloadSha256)},"requestId":${str(e.requestId)}` +
    `,"seq":${JSON.stringify(e.seq)},"subjectId":${e.subjectId === null ? 'null' : JSON.stringify(e.subjectId)}` +
    `,"type":${str(e.type)}}`
  );
}

export function eventLeafBytes(e: EventLeaf): Uint8Array {
  return utf8(eventLeafJson(e));
}
