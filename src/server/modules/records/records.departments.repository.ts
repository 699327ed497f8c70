import type { Queryable } from '../../platform/db';

/*
 * The public list of providing departments: who they are, which catalogue items they provide and
 * how many records of each they disclose now.
 */

export interface PublicDepartmentRow {
  id: number;
  name: string;
  name_en: string | null;
  uscc: string;
  region: string;
}

export interface DepartmentItemCountRow {
  department_id: number;
  item_code: string;
  disclosed: number;
}

export const departmentsListRepo = {
  async activeDepartments(db: Queryable): Promise<PublicDepartmentRow[]> {
    const { rows } = await db.query<PublicDepartmentRow>(
      `SELECT id::int4 AS id, name, name_en, uscc, region FROM departments WHERE status = 'active' ORDER BY region, name, id`,
    );
    return rows;
  },
  async providers(db: Queryable): Promise<{ department_id: number; item_code: string }[]> {
    const { rows } = await db.query<{ department_id: number; item_code: string }>(
      'SELECT department_id::int4 AS department_id, item_code FROM catalog_item_providers',
    );
    return rows;
  },
  /** Records disclosed on civil day `day` as of `now`, per department and item (one grouped scan). */
  async disclosedCounts(db: Queryable, day: string, now: Date): Promise<DepartmentItemCountRow[]> {
    const { rows } = await db.query<DepartmentItemCountRow>(
      `SELECT department_id::int4 AS department_id, item_code, count(*)::int4 AS disclosed
         FROM records
        WHERE window_from <= $1 AND (window_until IS NULL OR window_until > $1)
          AND (stopped_at IS NULL OR stopped_at > $2) AND created_at <= $2
        GROUP BY department_id, item_code`,
      [day, now],
    );
    return rows;
  },
};
