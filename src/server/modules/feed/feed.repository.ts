import type { Queryable } from '../../platform/db';

export interface LogRow {
  seq: number;
  at: Date;
  type: string;
  subject_id: number | null;
  entity_id: string;
  payload: string;
}

export interface FeedRecordRow {
  record_id: number;
  subject_id: number;
  version: number;
  window_from: string;
  window_until: string | null;
  stop_kind: string | null;
  expired_version: number | null;
}

export interface SubscriptionRow {
  id: number;
  url: string;
  scope: 'public' | 'shared';
  description: string;
  /** The purpose of the reads a shared-scope subscription makes (migration 0029); null for public. */
  purpose: string | null;
  owner_key_id: number | null;
  created_by: string;
  status: 'active' | 'dead' | 'disabled';
  cursor_seq: number;
  attempts: number;
  next_attempt_at: Date;
  last_error: string | null;
  last_success_at: Date | null;
  dead_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

export interface DeliveryRow {
  id: number;
  subscription_id: number;
  first_seq: number;
  last_seq: number;
  events: number;
  attempt: number;
  outcome: 'delivered' | 'failed' | 'dead_letter';
  status_code: number | null;
  error: string | null;
  duration_ms: number;
  at: Date;
}

export const feedRepo = {
  async head(db: Queryable): Promise<number> {
    const { rows } = await db.query<{ m: number }>('SELECT coalesce(max(seq), 0)::int8 AS m FROM events');
    return Number(rows[0]?.m ?? 0);
  },

  /** Log rows of the given types in (after, upTo], in order. */
  async events(
    db: Queryable,
    after: number,
    upTo: number,
    types: readonly string[],
    limit: number,
  ): Promise<LogRow[]> {
    const { rows } = await db.query<LogRow>(
      `SELECT seq, at, type, subject_id, entity_id, payload FROM events
        WHERE seq > $1 AND seq <= $2 AND type = ANY($3::text[])
        ORDER BY seq LIMIT $4`,
      [after, upTo, types, limit],
    );
    return rows;
  },

  /** Subject types and names as the projection knows them. */
  async subjects(
    db: Queryable,
    ids: readonly number[],
  ): Promise<{ subject_id: number; type: string; name: string | null }[]> {
    if (!ids.length) return [];
    const { rows } = await db.query<{ subject_id: number; type: string; name: string | null }>(
      'SELECT subject_id, type, name FROM feed_subjects WHERE subject_id = ANY($1::int8[])',
      [ids],
    );
    return rows;
  },

  /** The same from the log itself, for subjects the projection has not folded yet. */
  async subjectsFromLog(
    db: Queryable,
    ids: readonly number[],
  ): Promise<{ subject_id: number; type: string; name: string | null }[]> {
    if (!ids.length) return [];
    const { rows } = await db.query<{ subject_id: number; type: string; name: string | null }>(
      `SELECT DISTINCT ON (subject_id) subject_id, payload::jsonb ->> 'type' AS type, payload::jsonb ->> 'name' AS name
         FROM events WHERE type = 'subject.created' AND subject_id = ANY($1::int8[])
        ORDER BY subject_id, seq`,
      [ids],
    );
    return rows;
  },

  /** Which of these list entries were published (a `list_entry.published` event exists). */
  async publishedEntries(db: Queryable, entryIds: readonly string[]): Promise<Set<string>> {
    if (!entryIds.length) return new Set();
    const { rows } = await db.query<{ entity_id: string }>(
      `SELECT DISTINCT entity_id FROM events
        WHERE entity_type = 'list_entry' AND entity_id = ANY($1::text[]) AND type = 'list_entry.published'`,
      [entryIds],
    );
    return new Set(rows.map((r) => r.entity_id));
  },

  /** The `list_entry.decided` payload (JSON text) of each of these list entries that has one. */
  async entryDecisions(db: Queryable, entryIds: readonly string[]): Promise<Map<string, string>> {
    if (!entryIds.length) return new Map();
    const { rows } = await db.query<{ entity_id: string; payload: string }>(
      `SELECT entity_id, payload FROM events
        WHERE entity_type = 'list_entry' AND entity_id = ANY($1::text[]) AND type = 'list_entry.decided'`,
      [entryIds],
    );
    return new Map(rows.map((r) => [r.entity_id, r.payload]));
  },

  // ---- projection ----

  async watermark(db: Queryable, name: string, at: Date): Promise<number> {
    await db.query(
      'INSERT INTO feed_state (name, seq, updated_at) VALUES ($1, 0, $2) ON CONFLICT (name) DO NOTHING',
      [name, at],
    );
    const { rows } = await db.query<{ seq: number }>(
      'SELECT seq FROM feed_state WHERE name = $1 FOR UPDATE',
      [name],
    );
    return Number(rows[0]?.seq ?? 0);
  },

  async setWatermark(db: Queryable, name: string, seq: number, at: Date): Promise<void> {
    await db.query('UPDATE feed_state SET seq = $2, updated_at = $3 WHERE name = $1', [name, seq, at]);
  },

  async readWatermark(db: Queryable, name: string): Promise<{ seq: number; updated_at: Date } | undefined> {
    const { rows } = await db.query<{ seq: number; updated_at: Date }>(
      'SELECT seq, updated_at FROM feed_state WHERE name = $1',
      [name],
    );
    return rows[0];
  },

  async upsertRecords(
    db: Queryable,
    rows: {
      id: number;
      subject: number;
      version: number;
      from: string;
      until: string | null;
      stop: string | null;
      expired: number | null;
      seq: number;
    }[],
  ): Promise<void> {
    if (!rows.length) return;
    const col = <K extends keyof (typeof rows)[number]>(k: K) => rows.map((r) => r[k]);
    await db.query(
      `INSERT INTO feed_records (record_id, subject_id, version, window_from, window_until, stop_kind, expired_version, last_seq)
       SELECT * FROM unnest($1::int8[], $2::int8[], $3::int4[], $4::date[], $5::date[], $6::text[], $7::int4[], $8::int8[])
       ON CONFLICT (record_id) DO UPDATE SET subject_id = excluded.subject_id, version = excluded.version,
         window_from = excluded.window_from, window_until = excluded.window_until, stop_kind = excluded.stop_kind,
         expired_version = excluded.expired_version, last_seq = excluded.last_seq`,
      [
        col('id'),
        col('subject'),
        col('version'),
        col('from'),
        col('until'),
        col('stop'),
        col('expired'),
        col('seq'),
      ],
    );
  },

  async records(db: Queryable, ids: readonly number[]): Promise<FeedRecordRow[]> {
    if (!ids.length) return [];
    const { rows } = await db.query<FeedRecordRow>(
      `SELECT record_id, subject_id, version, window_from, window_until, stop_kind, expired_version
         FROM feed_records WHERE record_id = ANY($1::int8[])`,
      [ids],
    );
    return rows;
  },

  async recordsOfSubjects(db: Queryable, subjectIds: readonly number[]): Promise<FeedRecordRow[]> {
    if (!subjectIds.length) return [];
    const { rows } = await db.query<FeedRecordRow>(
      `SELECT record_id, subject_id, version, window_from, window_until, stop_kind, expired_version
         FROM feed_records WHERE subject_id = ANY($1::int8[]) ORDER BY record_id`,
      [subjectIds],
    );
    return rows;
  },

  async upsertSubjects(
    db: Queryable,
    rows: { id: number; type: string; name: string | null; seq: number }[],
  ): Promise<void> {
    if (!rows.length) return;
    await db.query(
      `INSERT INTO feed_subjects (subject_id, type, name, last_seq)
       SELECT * FROM unnest($1::int8[], $2::text[], $3::text[], $4::int8[])
       ON CONFLICT (subject_id) DO UPDATE SET type = excluded.type, name = excluded.name, last_seq = excluded.last_seq`,
      [rows.map((r) => r.id), rows.map((r) => r.type), rows.map((r) => r.name), rows.map((r) => r.seq)],
    );
  },

  /** Records still showing whose window has closed by `today` and that no expiry was emitted for. */
  async expiring(db: Queryable, today: string, limit: number): Promise<FeedRecordRow[]> {
    const { rows } = await db.query<FeedRecordRow>(
      `SELECT record_id, subject_id, version, window_from, window_until, stop_kind, expired_version FROM feed_records
        WHERE stop_kind IS NULL AND window_until IS NOT NULL AND expired_version IS NULL
          AND window_until <= $1 AND window_until > window_from
        ORDER BY window_until, record_id LIMIT $2 FOR UPDATE`,
      [today, limit],
    );
    return rows;
  },

  /** Idempotent expiry marks; returns the records this call marked (not already marked). */
  async markExpired(db: Queryable, rows: readonly FeedRecordRow[], at: Date): Promise<Set<number>> {
    if (!rows.length) return new Set();
    const { rows: marked } = await db.query<{ record_id: number }>(
      `INSERT INTO record_expiries (record_id, version, window_until, expired_at)
       SELECT * FROM unnest($1::int8[], $2::int4[], $3::date[], $4::timestamptz[])
       ON CONFLICT (record_id, version) DO NOTHING RETURNING record_id`,
      [
        rows.map((r) => r.record_id),
        rows.map((r) => r.version),
        rows.map((r) => r.window_until),
        rows.map(() => at),
      ],
    );
    await db.query(
      `UPDATE feed_records f SET expired_version = f.version FROM unnest($1::int8[]) AS u(id) WHERE f.record_id = u.id`,
      [rows.map((r) => r.record_id)],
    );
    return new Set(marked.map((r) => r.record_id));
  },

  // ---- subscriptions ----

  async insertSubscription(
    db: Queryable,
    s: {
      url: string;
      scope: string;
      description: string;
      purpose: string | null;
      ownerKeyId: number | null;
      createdBy: string;
      cursorSeq: number;
      at: Date;
    },
  ): Promise<SubscriptionRow> {
    const { rows } = await db.query<SubscriptionRow>(
      `INSERT INTO webhook_subscriptions (url, scope, description, purpose, owner_key_id, created_by, status, cursor_seq,
                                          next_attempt_at, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, 'active', $7, $8, $8, $8) RETURNING *`,
      [s.url, s.scope, s.description, s.purpose, s.ownerKeyId, s.createdBy, s.cursorSeq, s.at],
    );
    return rows[0] as SubscriptionRow;
  },

  async subscription(db: Queryable, id: number, forUpdate = false): Promise<SubscriptionRow | undefined> {
    const { rows } = await db.query<SubscriptionRow>(
      `SELECT * FROM webhook_subscriptions WHERE id = $1${forUpdate ? ' FOR UPDATE' : ''}`,
      [id],
    );
    return rows[0];
  },

  async subscriptions(db: Queryable, ownerKeyId: number | null): Promise<SubscriptionRow[]> {
    const { rows } = await db.query<SubscriptionRow>(
      'SELECT * FROM webhook_subscriptions WHERE ($1::int8 IS NULL OR owner_key_id = $1) ORDER BY id',
      [ownerKeyId],
    );
    return rows;
  },

  async dueSubscriptions(db: Queryable, now: Date, limit: number): Promise<number[]> {
    const { rows } = await db.query<{ id: number }>(
      `SELECT id FROM webhook_subscriptions WHERE status = 'active' AND next_attempt_at <= $1
        ORDER BY next_attempt_at, id LIMIT $2`,
      [now, limit],
    );
    return rows.map((r) => r.id);
  },

  async updateSubscription(
    db: Queryable,
    id: number,
    patch: Partial<Omit<SubscriptionRow, 'id'>>,
  ): Promise<SubscriptionRow> {
    const keys = Object.keys(patch) as (keyof typeof patch)[];
    const { rows } = await db.query<SubscriptionRow>(
      `UPDATE webhook_subscriptions SET ${keys.map((k, i) => `${k} = $${i + 2}`).join(', ')} WHERE id = $1 RETURNING *`,
      [id, ...keys.map((k) => patch[k])],
    );
    return rows[0] as SubscriptionRow;
  },

  async logDelivery(db: Queryable, d: Omit<DeliveryRow, 'id'>): Promise<void> {
    await db.query(
      `INSERT INTO webhook_deliveries (subscription_id, first_seq, last_seq, events, attempt, outcome, status_code, error,
                                       duration_ms, at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [
        d.subscription_id,
        d.first_seq,
        d.last_seq,
        d.events,
        d.attempt,
        d.outcome,
        d.status_code,
        d.error,
        d.duration_ms,
        d.at,
      ],
    );
  },

  async deliveries(db: Queryable, subscriptionId: number, limit: number): Promise<DeliveryRow[]> {
    const { rows } = await db.query<DeliveryRow>(
      'SELECT * FROM webhook_deliveries WHERE subscription_id = $1 ORDER BY id DESC LIMIT $2',
      [subscriptionId, limit],
    );
    return rows;
  },

  async deadCount(db: Queryable): Promise<number> {
    const { rows } = await db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM webhook_subscriptions WHERE status = 'dead'",
    );
    return rows[0]?.n ?? 0;
  },

  async lagOf(db: Queryable): Promise<{ id: number; lag: number }[]> {
    const { rows } = await db.query<{ id: number; lag: number }>(
      "SELECT id, ((SELECT coalesce(max(seq), 0) FROM events) - cursor_seq)::int8 AS lag FROM webhook_subscriptions WHERE status <> 'disabled'",
    );
    return rows;
  },
};
