import type { Queryable } from '../../platform/db';
import type { Role } from '../../platform/context';

export interface DepartmentRow {
  id: number;
  uscc: string;
  name: string;
  name_en: string | null;
  region: string;
  status: 'active' | 'disabled';
  created_at: Date;
}

export interface UserRow {
  id: number;
  username: string;
  display_name: string;
  password_hash: string;
  department_id: number | null;
  subject_id: number | null;
  roles: Role[];
  status: 'active' | 'disabled';
  created_at: Date;
}

export interface ApiKeyRow {
  id: number;
  department_id: number;
  name: string;
  prefix: string;
  key_sha256: Buffer;
  scopes: string[];
  created_at: Date;
  expires_at: Date | null;
  revoked_at: Date | null;
}

export const accountsRepo = {
  async insertDepartment(
    db: Queryable,
    d: { uscc: string; name: string; nameEn: string | null; region: string; now: Date },
  ): Promise<DepartmentRow> {
    const { rows } = await db.query<DepartmentRow>(
      `INSERT INTO departments (uscc, name, name_en, region, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $5) ON CONFLICT (uscc) DO NOTHING
       RETURNING id, uscc, name, name_en, region, status, created_at`,
      [d.uscc, d.name, d.nameEn, d.region, d.now],
    );
    return rows[0] as DepartmentRow;
  },
  async listDepartments(db: Queryable): Promise<DepartmentRow[]> {
    const { rows } = await db.query<DepartmentRow>(
      'SELECT id, uscc, name, name_en, region, status, created_at FROM departments ORDER BY id',
    );
    return rows;
  },
  async departmentById(db: Queryable, id: number): Promise<DepartmentRow | undefined> {
    const { rows } = await db.query<DepartmentRow>(
      'SELECT id, uscc, name, name_en, region, status, created_at FROM departments WHERE id = $1',
      [id],
    );
    return rows[0];
  },
  async departmentByUscc(db: Queryable, uscc: string): Promise<DepartmentRow | undefined> {
    const { rows } = await db.query<DepartmentRow>(
      'SELECT id, uscc, name, name_en, region, status, created_at FROM departments WHERE uscc = $1',
      [uscc],
    );
    return rows[0];
  },
  async insertUser(
    db: Queryable,
    u: {
      username: string;
      displayName: string;
      hash: string;
      departmentId: number | null;
      subjectId: number | null;
      roles: Role[];
      now: Date;
    },
  ): Promise<UserRow | undefined> {
    const { rows } = await db.query<UserRow>(
      `INSERT INTO users (username, display_name, password_hash, department_id, roles, created_at, updated_at, subject_id)
       VALUES ($1, $2, $3, $4, $5, $6, $6, $7) ON CONFLICT (username) DO NOTHING
       RETURNING id, username, display_name, password_hash, department_id, subject_id, roles, status, created_at`,
      [u.username, u.displayName, u.hash, u.departmentId, u.roles, u.now, u.subjectId],
    );
    return rows[0];
  },
  async subjectExists(db: Queryable, id: number): Promise<boolean> {
    const { rowCount } = await db.query('SELECT 1 FROM subjects WHERE id = $1', [id]);
    return (rowCount ?? 0) > 0;
  },
  async userByName(db: Queryable, username: string): Promise<UserRow | undefined> {
    const { rows } = await db.query<UserRow>(
      `SELECT id, username, display_name, password_hash, department_id, subject_id, roles, status, created_at
         FROM users WHERE username = $1`,
      [username],
    );
    return rows[0];
  },
  async listUsers(db: Queryable): Promise<UserRow[]> {
    const { rows } = await db.query<UserRow>(
      `SELECT id, username, display_name, password_hash, department_id, subject_id, roles, status, created_at
         FROM users ORDER BY id`,
    );
    return rows;
  },
  async insertSession(
    db: Queryable,
    s: { tokenHash: Buffer; userId: number; csrf: string; now: Date; expires: Date },
  ): Promise<void> {
    await db.query(
      `INSERT INTO sessions (token_sha256, user_id, csrf_token, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)`,
      [s.tokenHash, s.userId, s.csrf, s.now, s.expires],
    );
  },
  async sessionUser(
    db: Queryable,
    tokenHash: Buffer,
    now: Date,
  ): Promise<(UserRow & { csrf_token: string }) | undefined> {
    const { rows } = await db.query<UserRow & { csrf_token: string }>(
      `SELECT u.id, u.username, u.display_name, u.password_hash, u.department_id, u.subject_id, u.roles, u.status, u.created_at,
              s.csrf_token
         FROM sessions s JOIN users u ON u.id = s.user_id
        WHERE s.token_sha256 = $1 AND s.revoked_at IS NULL AND s.expires_at > $2 AND u.status = 'active'`,
      [tokenHash, now],
    );
    return rows[0];
  },
  async revokeSession(db: Queryable, tokenHash: Buffer, now: Date): Promise<void> {
    await db.query('UPDATE sessions SET revoked_at = $2 WHERE token_sha256 = $1 AND revoked_at IS NULL', [
      tokenHash,
      now,
    ]);
  },
  async insertApiKey(
    db: Queryable,
    k: {
      departmentId: number;
      name: string;
      prefix: string;
      hash: Buffer;
      scopes: string[];
      now: Date;
      expires: Date | null;
    },
  ): Promise<ApiKeyRow> {
    const { rows } = await db.query<ApiKeyRow>(
      `INSERT INTO api_keys (department_id, name, prefix, key_sha256, scopes, created_at, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *`,
      [k.departmentId, k.name, k.prefix, k.hash, k.scopes, k.now, k.expires],
    );
    return rows[0] as ApiKeyRow;
  },
  async apiKeyByPrefix(db: Queryable, prefix: string): Promise<ApiKeyRow | undefined> {
    const { rows } = await db.query<ApiKeyRow>('SELECT * FROM api_keys WHERE prefix = $1', [prefix]);
    return rows[0];
  },
  async listApiKeys(db: Queryable, departmentId: number | null): Promise<ApiKeyRow[]> {
    const { rows } = await db.query<ApiKeyRow>(
      'SELECT * FROM api_keys WHERE ($1::int8 IS NULL OR department_id = $1) ORDER BY id',
      [departmentId],
    );
    return rows;
  },
  async revokeApiKey(db: Queryable, id: number, now: Date): Promise<ApiKeyRow | undefined> {
    const { rows } = await db.query<ApiKeyRow>(
      'UPDATE api_keys SET revoked_at = coalesce(revoked_at, $2) WHERE id = $1 RETURNING *',
      [id, now],
    );
    return rows[0];
  },
};
