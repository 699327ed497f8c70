import type { Queryable } from '../../platform/db';

export interface ReadRow {
  seq: string;
  at: Date;
  type: string;
  actor_kind: string;
  payload: string;
  who: string | null;
  department: string | null;
  /** The reader's department's English name, when it has one. */
  department_en: string | null;
  /** A joint check's scenario: its Chinese and English names (null for other reads). */
  scenario_zh: string | null;
  scenario_en: string | null;
  /** For a webhook delivery: who subscribed (`apikey` / `user`); null otherwise. */
  subscriber_kind: string | null;
}

export const meRepo = {
  /**
   * Reads of a subject's non-public data: `data.read` events naming it (by `subject_id`, or in the
   * `subjectIds` of a list read), reads of its full ID number, checks (a batch check names its
   * subjects in `subjectIds`) and list views, newest first.
   * A webhook delivery (actor `system:feed-delivery`) is shown as its subscriber: the owning key,
   * or the user who registered it (the event's `detail.ownerKeyId` / `detail.createdBy`).
   */
  async reads(db: Queryable, subjectId: number, before: number | null, limit: number): Promise<ReadRow[]> {
    const { rows } = await db.query<ReadRow>(
      `SELECT e.seq, e.at, e.type, e.actor_kind, e.payload,
              CASE e.actor_kind WHEN 'user' THEN u.display_name WHEN 'apikey' THEN k.name
                   ELSE coalesce(wk.name, wu.display_name, e.actor_id) END AS who,
              coalesce(du.name, dk.name, dwk.name, dwu.name) AS department,
              CASE WHEN du.id IS NOT NULL THEN du.name_en WHEN dk.id IS NOT NULL THEN dk.name_en
                   WHEN dwk.id IS NOT NULL THEN dwk.name_en ELSE dwu.name_en END AS department_en,
              ms.name_zh AS scenario_zh, ms.name_en AS scenario_en,
              CASE WHEN wk.id IS NOT NULL THEN 'apikey' WHEN wu.id IS NOT NULL THEN 'user' END AS subscriber_kind
         FROM events e
         LEFT JOIN users u ON e.actor_kind = 'user' AND u.id::text = e.actor_id
         LEFT JOIN departments du ON du.id = u.department_id
         LEFT JOIN api_keys k ON e.actor_kind = 'apikey' AND k.id::text = e.actor_id
         LEFT JOIN departments dk ON dk.id = k.department_id
         LEFT JOIN LATERAL (SELECT e.payload::jsonb -> 'detail' AS d
                             WHERE e.actor_kind = 'system' AND e.actor_id = 'feed-delivery') w ON true
         LEFT JOIN api_keys wk ON wk.id::text = w.d ->> 'ownerKeyId'
         LEFT JOIN departments dwk ON dwk.id = wk.department_id
         LEFT JOIN users wu ON wk.id IS NULL AND 'user:' || wu.id = w.d ->> 'createdBy'
         LEFT JOIN departments dwu ON dwu.id = wu.department_id
         LEFT JOIN measure_scenarios ms ON e.type IN ('check.performed', 'check.batch_performed')
                                       AND ms.code = e.payload::jsonb ->> 'scenario'
        WHERE ($2::int8 IS NULL OR e.seq < $2)
          AND ((e.subject_id = $1
                AND e.type IN ('data.read', 'subject.identifier_read', 'check.performed', 'list_entries.viewed'))
            OR (e.type IN ('data.read', 'check.batch_performed') AND e.subject_id IS NULL
                AND e.payload::jsonb -> 'subjectIds' @> to_jsonb($1::int8)))
        ORDER BY e.seq DESC
        LIMIT $3`,
      [subjectId, before, limit],
    );
    return rows;
  },
};
