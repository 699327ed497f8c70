import type { Queryable } from '../../platform/db';

/*
 * Aggregates over records, their versions and stops by providing department and month (China
 * time), for the provider quality scorecard. Months are 'YYYY-MM'; [from, to) are instants.
 */

export interface CreatedByDayRow {
  department_id: number;
  month: string;
  item_code: string;
  decision_date: string;
  created_day: string;
  n: number;
}

export interface FilledRow {
  department_id: number;
  month: string;
  records: number;
  filled: number;
}

export interface MonthCountRow {
  department_id: number;
  month: string;
  n: number;
}

const MONTH = (col: string) => `to_char(${col} AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM')`;

export const recordStatsRepo = {
  /** Records created per department, month, item, decision date and day of submission. */
  async createdByDay(
    db: Queryable,
    f: { from: Date; to: Date; departmentId: number | null },
  ): Promise<CreatedByDayRow[]> {
    const { rows } = await db.query<CreatedByDayRow>(
      `SELECT department_id, ${MONTH('created_at')} AS month, item_code, decision_date,
              (created_at AT TIME ZONE 'Asia/Shanghai')::date::text AS created_day, count(*)::int AS n
         FROM records
        WHERE created_at >= $1 AND created_at < $2 AND ($3::int8 IS NULL OR department_id = $3)
        GROUP BY 1, 2, 3, 4, 5`,
      [f.from, f.to, f.departmentId],
    );
    return rows;
  },

  /** For records of one item created in the period: how many of `keys` each carries, summed. */
  async filled(
    db: Queryable,
    f: { from: Date; to: Date; departmentId: number | null; itemCode: string; keys: string[] },
  ): Promise<FilledRow[]> {
    const { rows } = await db.query<FilledRow>(
      `SELECT department_id, ${MONTH('created_at')} AS month, count(*)::int AS records,
              sum((SELECT count(*) FROM unnest($5::text[]) AS k
                    WHERE r.payload ? k AND r.payload ->> k <> '' AND r.payload -> k <> '[]'::jsonb))::int AS filled
         FROM records r
        WHERE created_at >= $1 AND created_at < $2 AND ($3::int8 IS NULL OR department_id = $3) AND item_code = $4
        GROUP BY 1, 2`,
      [f.from, f.to, f.departmentId, f.itemCode, f.keys],
    );
    return rows;
  },

  /** Corrections (versions after the first) recorded per department and month. */
  async corrections(
    db: Queryable,
    f: { from: Date; to: Date; departmentId: number | null },
  ): Promise<MonthCountRow[]> {
    const { rows } = await db.query<MonthCountRow>(
      `SELECT r.department_id, ${MONTH('v.recorded_at')} AS month, count(*)::int AS n
         FROM record_versions v JOIN records r ON r.id = v.record_id
        WHERE v.change_kind = 'corrected' AND v.recorded_at >= $1 AND v.recorded_at < $2
          AND ($3::int8 IS NULL OR r.department_id = $3)
        GROUP BY 1, 2`,
      [f.from, f.to, f.departmentId],
    );
    return rows;
  },

  /** Withdrawals by the providing department, per month recorded. */
  async withdrawals(
    db: Queryable,
    f: { from: Date; to: Date; departmentId: number | null },
  ): Promise<MonthCountRow[]> {
    const { rows } = await db.query<MonthCountRow>(
      `SELECT r.department_id, ${MONTH('s.recorded_at')} AS month, count(*)::int AS n
         FROM record_stops s JOIN records r ON r.id = s.record_id
        WHERE s.kind = 'withdrawn' AND s.recorded_at >= $1 AND s.recorded_at < $2
          AND ($3::int8 IS NULL OR r.department_id = $3)
        GROUP BY 1, 2`,
      [f.from, f.to, f.departmentId],
    );
    return rows;
  },
};
