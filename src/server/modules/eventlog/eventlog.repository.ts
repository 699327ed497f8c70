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

/** What the filters resolve to before the page is read (see `resolve`). */
interface Resolved {
  /** The distinct types the type filter matches (exactly, or as a prefix before a dot). */
  types: string[];
  /** The log's last seq when the types were listed: later events may have types not listed. */
  maxSeq: number;
  /** A seq at or after which `at` roughly reaches `from` (0 without `from`): a hint, never a bound. */
  fromSeq: number;
  /** A seq after which `at` roughly reaches `to` (null without `to`): a hint, never a bound. */
  toSeq: number | null;
}

const COLUMNS =
  'seq, at, actor_kind, actor_id, type, subject_id, entity_type, entity_id, request_id, payload';

export const eventlogRepo = {
  /**
   * A page of the log in seq order after `afterSeq`, and one row more when there is more. Each
   * filter reads an index in seq order and stops after a page:
   * - a type (or prefix) is resolved first to the distinct types it matches, and each is read from
   *   `events_type (type, seq)` and merged (a `type LIKE …` over the log walked it by seq);
   * - dates: `at` is the request's instant, seq the commit order, so `at` only roughly grows with
   *   seq. The window of seq where `at` crosses `from` and `to` is found by bisecting the primary
   *   key; inside it rows are read in order and `at` rechecked; outside it the events whose `at`
   *   still falls in the dates (a long import, a clock set elsewhere) are found through the BRIN
   *   index `events_seq_at` (migration 0034). The window only decides which index reads which seq,
   *   so the answer is exact whatever the order of `at`.
   */
  async list(db: Queryable, f: EventFilter): Promise<EventRow[]> {
    const r = f.type !== null || f.from !== null || f.to !== null ? await resolve(db, f) : null;
    const v: unknown[] = [];
    const p = (x: unknown, cast: string): string => {
      v.push(x);
      return `$${v.length}::${cast}`;
    };
    const n = p(f.limit + 1, 'int8');
    let rest = '';
    if (f.entityType !== null) rest += ` AND entity_type = ${p(f.entityType, 'text')}`;
    if (f.entityId !== null) rest += ` AND entity_id = ${p(f.entityId, 'text')}`;
    if (f.subjectId !== null) rest += ` AND subject_id = ${p(f.subjectId, 'int8')}`;
    if (f.actorKind !== null) rest += ` AND actor_kind = ${p(f.actorKind, 'text')}`;
    if (f.actorId !== null) rest += ` AND actor_id = ${p(f.actorId, 'text')}`;
    if (f.from !== null) rest += ` AND at >= ${p(f.from, 'timestamptz')}`;
    if (f.to !== null) rest += ` AND at < ${p(f.to, 'timestamptz')}`;
    const prefix = f.type === null ? null : p(f.type, 'text');
    const ofType = prefix === null ? '' : ` AND (type = ${prefix} OR starts_with(type, ${prefix} || '.'))`;
    // The stragglers name `seq + 0`, the BRIN index's column, which the primary key cannot serve:
    // else the planner walks the key over the whole range outside the window (it expects matches
    // spread evenly) instead of reading the BRIN index.
    const branch = (where: string, order = 'seq'): string =>
      `(SELECT ${COLUMNS} FROM events WHERE ${where}${rest} ORDER BY ${order} LIMIT ${n})`;

    // The seq window read in order: (lo, hi]; the dates' stragglers are the rest after `afterSeq`.
    const lo = Math.max(f.afterSeq, r?.fromSeq ?? 0);
    const hi = r?.toSeq === null || r?.toSeq === undefined ? null : Math.max(lo, r.toSeq);
    const loP = p(lo, 'int8');
    const window = `seq > ${loP}${hi === null ? '' : ` AND seq <= ${p(hi, 'int8')}`}`;
    const branches: string[] = [];
    if (r !== null && prefix !== null) {
      // Each type on its own, planned with its value (a rare type by its index, a common one by seq).
      for (const t of r.types) branches.push(branch(`type = ${p(t, 'text')} AND ${window}`));
      // Types that first appeared after they were listed.
      branches.push(
        branch(
          `${window} AND seq > ${p(r.maxSeq, 'int8')}${ofType} AND type <> ALL(${p(r.types, 'text[]')})`,
        ),
      );
    } else {
      branches.push(branch(window));
    }
    if (r !== null && (f.from !== null || f.to !== null)) {
      if (lo > f.afterSeq)
        branches.push(branch(`seq + 0 > ${p(f.afterSeq, 'int8')} AND seq + 0 <= ${loP}${ofType}`, 'seq + 0'));
      if (hi !== null) branches.push(branch(`seq + 0 > ${p(hi, 'int8')}${ofType}`, 'seq + 0'));
    }
    const { rows } = await db.query<EventRow>(
      branches.length === 1
        ? (branches[0] as string)
        : `SELECT ${COLUMNS} FROM (${branches.join(' UNION ALL ')}) x ORDER BY seq LIMIT ${n}`,
      v,
    );
    return rows;
  },
};

/**
 * The types a type filter matches and the seq window of the dates, in one statement. Types are
 * listed by a loose scan of `events_type` (one index probe per distinct type, a few dozen) and kept
 * when equal to the filter or starting with it and a dot; the window's ends bisect the primary key
 * (seq is dense), about 25 probes each.
 */
async function resolve(db: Queryable, f: EventFilter): Promise<Resolved> {
  const { rows } = await db.query<{
    types: string[] | null;
    max_seq: string;
    from_seq: string | null;
    to_seq: string | null;
  }>(
    `WITH RECURSIVE
       last AS (SELECT coalesce(max(seq), 0)::int8 AS seq FROM events),
       t(type) AS (
         SELECT min(type) FROM events WHERE $1::text IS NOT NULL
         UNION ALL
         SELECT (SELECT min(e.type) FROM events e WHERE e.type > t.type) FROM t WHERE t.type IS NOT NULL),
       f(lo, hi) AS (
         SELECT 0::int8, last.seq + 1 FROM last WHERE $2::timestamptz IS NOT NULL
         UNION ALL
         SELECT CASE WHEN e.at < $2 THEN e.seq ELSE f.lo END, CASE WHEN e.at < $2 THEN f.hi ELSE e.seq END
           FROM f JOIN events e ON e.seq = (f.lo + f.hi) / 2
          WHERE f.hi - f.lo > 1),
       u(lo, hi) AS (
         SELECT 0::int8, last.seq + 1 FROM last WHERE $3::timestamptz IS NOT NULL
         UNION ALL
         SELECT CASE WHEN e.at < $3 THEN e.seq ELSE u.lo END, CASE WHEN e.at < $3 THEN u.hi ELSE e.seq END
           FROM u JOIN events e ON e.seq = (u.lo + u.hi) / 2
          WHERE u.hi - u.lo > 1)
     SELECT (SELECT array_agg(type ORDER BY type) FROM t
              WHERE type = $1 OR starts_with(type, $1 || '.')) AS types,
            (SELECT seq FROM last) AS max_seq,
            (SELECT max(lo) FROM f) AS from_seq,
            (SELECT max(lo) FROM u) AS to_seq`,
    [f.type, f.from, f.to],
  );
  const row = rows[0];
  return {
    types: row?.types ?? [],
    maxSeq: Number(row?.max_seq ?? 0),
    fromSeq: Number(row?.from_seq ?? 0),
    toSeq: row?.to_seq === null || row?.to_seq === undefined ? null : Number(row.to_seq),
  };
}
