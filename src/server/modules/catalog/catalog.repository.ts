import type { Queryable } from '../../platform/db';

const SEED_LOCK = 72_736_010;

export interface CategoryRow {
  code: string;
  name_zh: string;
  name_en: string;
  sort: number;
  description_zh: string;
  description_en: string;
}

export interface ItemRow {
  code: string;
  current_version: number;
  status: 'active' | 'retired';
  created_at: Date;
  updated_at: Date;
}

export interface ItemVersionRow {
  item_code: string;
  version: number;
  name_zh: string;
  name_en: string;
  category_code: string;
  legal_basis: unknown;
  subject_types: string[];
  payload_schema: unknown;
  field_visibility: unknown;
  severity_rule: unknown;
  period_rule: unknown;
  layout: unknown;
  created_at: Date;
  created_by: string;
}

/** An item's head joined with one of its versions. */
export type ItemWithVersionRow = ItemVersionRow & {
  current_version: number;
  status: 'active' | 'retired';
  updated_at: Date;
};

export interface NewVersionRow {
  code: string;
  version: number;
  nameZh: string;
  nameEn: string;
  categoryCode: string;
  legalBasis: string;
  subjectTypes: string[];
  payloadSchema: string;
  fieldVisibility: string;
  severityRule: string;
  periodRule: string;
  layout: string;
  createdBy: string;
  now: Date;
}

const VERSION_COLS = `v.item_code, v.version, v.name_zh, v.name_en, v.category_code, v.legal_basis, v.subject_types,
  v.payload_schema, v.field_visibility, v.severity_rule, v.period_rule, v.layout, v.created_at, v.created_by,
  i.current_version, i.status, i.updated_at`;

export const catalogRepo = {
  /** Serialises catalogue seeding between processes starting together; released at commit. */
  async lockSeed(db: Queryable): Promise<void> {
    await db.query('SELECT pg_advisory_xact_lock($1)', [SEED_LOCK]);
  },
  async listCategories(db: Queryable): Promise<CategoryRow[]> {
    const { rows } = await db.query<CategoryRow>(
      'SELECT code, name_zh, name_en, sort, description_zh, description_en FROM catalog_categories ORDER BY sort, code',
    );
    return rows;
  },
  async categoryByCode(db: Queryable, code: string): Promise<CategoryRow | undefined> {
    const { rows } = await db.query<CategoryRow>(
      'SELECT code, name_zh, name_en, sort, description_zh, description_en FROM catalog_categories WHERE code = $1',
      [code],
    );
    return rows[0];
  },
  async insertCategory(
    db: Queryable,
    c: {
      code: string;
      nameZh: string;
      nameEn: string;
      sort: number;
      descriptionZh: string;
      descriptionEn: string;
    },
  ): Promise<CategoryRow | undefined> {
    const { rows } = await db.query<CategoryRow>(
      `INSERT INTO catalog_categories (code, name_zh, name_en, sort, description_zh, description_en)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (code) DO NOTHING
       RETURNING code, name_zh, name_en, sort, description_zh, description_en`,
      [c.code, c.nameZh, c.nameEn, c.sort, c.descriptionZh, c.descriptionEn],
    );
    return rows[0];
  },
  async updateCategory(
    db: Queryable,
    c: {
      code: string;
      nameZh: string;
      nameEn: string;
      sort: number;
      descriptionZh: string;
      descriptionEn: string;
    },
  ): Promise<CategoryRow | undefined> {
    const { rows } = await db.query<CategoryRow>(
      `UPDATE catalog_categories SET name_zh = $2, name_en = $3, sort = $4, description_zh = $5, description_en = $6
        WHERE code = $1
        RETURNING code, name_zh, name_en, sort, description_zh, description_en`,
      [c.code, c.nameZh, c.nameEn, c.sort, c.descriptionZh, c.descriptionEn],
    );
    return rows[0];
  },
  /** Every item with its current version, in category order. */
  async listCurrent(db: Queryable): Promise<ItemWithVersionRow[]> {
    const { rows } = await db.query<ItemWithVersionRow>(
      `SELECT ${VERSION_COLS}
         FROM catalog_items i
         JOIN catalog_item_versions v ON v.item_code = i.code AND v.version = i.current_version
         LEFT JOIN catalog_categories c ON c.code = v.category_code
        ORDER BY c.sort NULLS LAST, i.code`,
    );
    return rows;
  },
  /** One version of an item; the current one when `version` is null. */
  async versionOf(
    db: Queryable,
    code: string,
    version: number | null,
  ): Promise<ItemWithVersionRow | undefined> {
    const { rows } = await db.query<ItemWithVersionRow>(
      `SELECT ${VERSION_COLS}
         FROM catalog_items i
         JOIN catalog_item_versions v ON v.item_code = i.code AND v.version = coalesce($2::int4, i.current_version)
        WHERE i.code = $1`,
      [code, version],
    );
    return rows[0];
  },
  async itemHead(db: Queryable, code: string, forUpdate = false): Promise<ItemRow | undefined> {
    const { rows } = await db.query<ItemRow>(
      `SELECT code, current_version, status, created_at, updated_at FROM catalog_items WHERE code = $1
       ${forUpdate ? 'FOR UPDATE' : ''}`,
      [code],
    );
    return rows[0];
  },
  async listVersions(
    db: Queryable,
    code: string,
  ): Promise<{ version: number; created_at: Date; created_by: string }[]> {
    const { rows } = await db.query<{ version: number; created_at: Date; created_by: string }>(
      'SELECT version, created_at, created_by FROM catalog_item_versions WHERE item_code = $1 ORDER BY version',
      [code],
    );
    return rows;
  },
  /** Inserts the item head at version 1; undefined when the code is taken. */
  async insertItem(db: Queryable, code: string, now: Date): Promise<ItemRow | undefined> {
    const { rows } = await db.query<ItemRow>(
      `INSERT INTO catalog_items (code, current_version, created_at, updated_at) VALUES ($1, 1, $2, $2)
       ON CONFLICT (code) DO NOTHING
       RETURNING code, current_version, status, created_at, updated_at`,
      [code, now],
    );
    return rows[0];
  },
  async insertVersion(db: Queryable, v: NewVersionRow): Promise<void> {
    await db.query(
      `INSERT INTO catalog_item_versions (item_code, version, name_zh, name_en, category_code, legal_basis, subject_types,
         payload_schema, field_visibility, severity_rule, period_rule, layout, created_at, created_by)
       VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8::jsonb, $9::jsonb, $10::jsonb, $11::jsonb, $12::jsonb, $13, $14)`,
      [
        v.code,
        v.version,
        v.nameZh,
        v.nameEn,
        v.categoryCode,
        v.legalBasis,
        v.subjectTypes,
        v.payloadSchema,
        v.fieldVisibility,
        v.severityRule,
        v.periodRule,
        v.layout,
        v.now,
        v.createdBy,
      ],
    );
  },
  async setCurrentVersion(db: Queryable, code: string, version: number, now: Date): Promise<void> {
    await db.query('UPDATE catalog_items SET current_version = $2, updated_at = $3 WHERE code = $1', [
      code,
      version,
      now,
    ]);
  },
  async providers(db: Queryable, code: string): Promise<number[]> {
    const { rows } = await db.query<{ department_id: number }>(
      'SELECT department_id FROM catalog_item_providers WHERE item_code = $1 ORDER BY department_id',
      [code],
    );
    return rows.map((r) => r.department_id);
  },
  /** Replaces the providers of an item with exactly `departmentIds`. */
  async replaceProviders(db: Queryable, code: string, departmentIds: readonly number[]): Promise<void> {
    await db.query(
      'DELETE FROM catalog_item_providers WHERE item_code = $1 AND NOT (department_id = ANY($2::int8[]))',
      [code, departmentIds],
    );
    await db.query(
      `INSERT INTO catalog_item_providers (item_code, department_id)
       SELECT $1, d FROM unnest($2::int8[]) AS d ON CONFLICT DO NOTHING`,
      [code, departmentIds],
    );
  },
  async isProvider(db: Queryable, code: string, departmentId: number): Promise<boolean> {
    const { rows } = await db.query(
      'SELECT 1 FROM catalog_item_providers WHERE item_code = $1 AND department_id = $2',
      [code, departmentId],
    );
    return rows.length > 0;
  },
  async itemsProvidedBy(db: Queryable, departmentId: number): Promise<ItemWithVersionRow[]> {
    const { rows } = await db.query<ItemWithVersionRow>(
      `SELECT ${VERSION_COLS}
         FROM catalog_item_providers p
         JOIN catalog_items i ON i.code = p.item_code
         JOIN catalog_item_versions v ON v.item_code = i.code AND v.version = i.current_version
        WHERE p.department_id = $1
        ORDER BY i.code`,
      [departmentId],
    );
    return rows;
  },
};
