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
  /** The confirmed TOTP secret, encrypted with the field key (FieldCrypto). */
  totp_secret_cipher: Buffer | null;
  /** A secret being enrolled, encrypted likewise. */
  totp_pending_cipher: Buffer | null;
  /** RFC 6238 step of the last accepted code (replay protection). */
  totp_last_step: number | null;
}

export interface LoginAttemptRow {
  username: string;
  failures: number;
  window_start: Date;
  locked_until: Date | null;
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
  replaced_by: number | null;
}

const USER_COLS =
  'id, username, display_name, password_hash, department_id, subject_id, roles, status, created_at, totp_secret_cipher, totp_pending_cipher, totp_last_step';

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
       RETURNING ${USER_COLS}`,
      [u.username, u.displayName, u.hash, u.departmentId, u.roles, u.now, u.subjectId],
    );
    return rows[0];
  },
  async subjectExists(db: Queryable, id: number): Promise<boolean> {
    const { rowCount } = await db.query('SELECT 1 FROM subjects WHERE id = $1', [id]);
    return (rowCount ?? 0) > 0;
  },
  async userByName(db: Queryable, username: string): Promise<UserRow | undefined> {
    const { rows } = await db.query<UserRow>(`SELECT ${USER_COLS} FROM users WHERE username = $1`, [
      username,
    ]);
    return rows[0];
  },
  async listUsers(db: Queryable): Promise<UserRow[]> {
    const { rows } = await db.query<UserRow>(`SELECT ${USER_COLS} FROM users ORDER BY id`);
    return rows;
  },
  async insertSession(
    db: Queryable,
    s: { tokenHash: Buffer; userId: number; csrf: string; now: Date; expires: Date },
  ): Promise<void> {
    await db.query(
      `INSERT INTO sessions (token_sha256, user_id, csrf_token, created_at, expires_at, last_seen_at)
       VALUES ($1, $2, $3, $4, $5, $4)`,
      [s.tokenHash, s.userId, s.csrf, s.now, s.expires],
    );
  },
  async sessionUser(
    db: Queryable,
    tokenHash: Buffer,
    now: Date,
    idleMinutes: number,
  ): Promise<(UserRow & { csrf_token: string }) | undefined> {
    // Live, not revoked, not idle longer than the limit; using it moves its idle clock (at most
    // one write a minute per session).
    const { rows } = await db.query<UserRow & { csrf_token: string }>(
      `WITH live AS (
         SELECT s.token_sha256, s.user_id, s.csrf_token, s.last_seen_at FROM sessions s
          WHERE s.token_sha256 = $1 AND s.revoked_at IS NULL AND s.expires_at > $2::timestamptz
            AND s.last_seen_at > $2::timestamptz - make_interval(mins => $3::int)
       ), touched AS (
         UPDATE sessions s SET last_seen_at = $2 FROM live
          WHERE s.token_sha256 = live.token_sha256 AND live.last_seen_at < $2::timestamptz - interval '1 minute'
       )
       SELECT ${USER_COLS.split(', ')
         .map((c) => `u.${c}`)
         .join(', ')}, live.csrf_token
         FROM live JOIN users u ON u.id = live.user_id
        WHERE u.status = 'active'`,
      [tokenHash, now, idleMinutes],
    );
    return rows[0];
  },
  async revokeUserSessions(
    db: Queryable,
    userId: number,
    now: Date,
    keep: Buffer | null = null,
  ): Promise<number> {
    const { rowCount } = await db.query(
      `UPDATE sessions SET revoked_at = $2
        WHERE user_id = $1 AND revoked_at IS NULL AND expires_at > $2 AND ($3::bytea IS NULL OR token_sha256 <> $3)`,
      [userId, now, keep],
    );
    return rowCount ?? 0;
  },
  async userById(db: Queryable, id: number): Promise<UserRow | undefined> {
    const { rows } = await db.query<UserRow>(`SELECT ${USER_COLS} FROM users WHERE id = $1`, [id]);
    return rows[0];
  },
  /** Sets a user's status; undefined when there is no such user or it already has that status. */
  async setUserStatus(
    db: Queryable,
    id: number,
    status: 'active' | 'disabled',
    now: Date,
  ): Promise<UserRow | undefined> {
    const { rows } = await db.query<UserRow>(
      `UPDATE users SET status = $2, updated_at = $3 WHERE id = $1 AND status <> $2 RETURNING ${USER_COLS}`,
      [id, status, now],
    );
    return rows[0];
  },
  async setTotp(
    db: Queryable,
    id: number,
    t: { secret: Buffer | null; pending: Buffer | null; lastStep?: number | null },
    now: Date,
  ): Promise<UserRow | undefined> {
    // A new or cleared secret starts a new replay history; confirming one keeps the step its
    // confirming code used.
    const { rows } = await db.query<UserRow>(
      `UPDATE users SET totp_secret_cipher = $2, totp_pending_cipher = $3, totp_secret = NULL,
              totp_pending = NULL, updated_at = $4,
              totp_last_step = CASE WHEN $5::bool THEN $6::int8 ELSE totp_last_step END
        WHERE id = $1 RETURNING ${USER_COLS}`,
      [id, t.secret, t.pending, now, t.lastStep !== undefined, t.lastStep ?? null],
    );
    return rows[0];
  },
  /**
   * Records `step` as the last accepted TOTP step unless it (or a later one) was accepted before.
   * Atomic: of two concurrent logins with the same code, the second waits for the first's row lock
   * and then finds the step taken. False means a replay.
   */
  async consumeTotpStep(db: Queryable, id: number, step: number): Promise<boolean> {
    const { rowCount } = await db.query(
      `UPDATE users SET totp_last_step = $2
        WHERE id = $1 AND (totp_last_step IS NULL OR totp_last_step < $2)`,
      [id, step],
    );
    return (rowCount ?? 0) > 0;
  },
  /** Users whose TOTP secrets are still stored as plaintext (written before migration 0017). */
  async plaintextTotp(
    db: Queryable,
  ): Promise<{ id: number; totp_secret: string | null; totp_pending: string | null }[]> {
    const { rows } = await db.query<{ id: number; totp_secret: string | null; totp_pending: string | null }>(
      `SELECT id, totp_secret, totp_pending FROM users
        WHERE totp_secret IS NOT NULL OR totp_pending IS NOT NULL ORDER BY id FOR UPDATE`,
    );
    return rows;
  },
  async sealTotp(db: Queryable, id: number, secret: Buffer | null, pending: Buffer | null): Promise<void> {
    await db.query(
      `UPDATE users SET totp_secret_cipher = coalesce($2, totp_secret_cipher),
              totp_pending_cipher = coalesce($3, totp_pending_cipher), totp_secret = NULL, totp_pending = NULL
        WHERE id = $1`,
      [id, secret, pending],
    );
  },
  async loginAttempt(db: Queryable, username: string): Promise<LoginAttemptRow | undefined> {
    const { rows } = await db.query<LoginAttemptRow>('SELECT * FROM login_attempts WHERE username = $1', [
      username,
    ]);
    return rows[0];
  },
  /** Counts one failure in the window (a new window once the old one has passed); locks at `max`. */
  async recordLoginFailure(
    db: Queryable,
    a: { username: string; now: Date; windowMinutes: number; max: number; lockMinutes: number },
  ): Promise<LoginAttemptRow> {
    const { rows } = await db.query<LoginAttemptRow>(
      `INSERT INTO login_attempts AS la (username, failures, window_start, locked_until)
       VALUES ($1, 1, $2::timestamptz,
               CASE WHEN $4::int <= 1 THEN $2::timestamptz + make_interval(mins => $5::int) END)
       ON CONFLICT (username) DO UPDATE SET
         failures = CASE WHEN la.window_start <= $2::timestamptz - make_interval(mins => $3::int) THEN 1
                         ELSE la.failures + 1 END,
         window_start = CASE WHEN la.window_start <= $2::timestamptz - make_interval(mins => $3::int) THEN $2::timestamptz
                             ELSE la.window_start END,
         locked_until = CASE
           WHEN (CASE WHEN la.window_start <= $2::timestamptz - make_interval(mins => $3::int) THEN 1
                      ELSE la.failures + 1 END) >= $4::int
           THEN $2::timestamptz + make_interval(mins => $5::int) ELSE la.locked_until END
       RETURNING *`,
      [a.username, a.now, a.windowMinutes, a.max, a.lockMinutes],
    );
    return rows[0] as LoginAttemptRow;
  },
  async clearLoginFailures(db: Queryable, username: string): Promise<void> {
    await db.query('DELETE FROM login_attempts WHERE username = $1', [username]);
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
  async apiKeyById(db: Queryable, id: number): Promise<ApiKeyRow | undefined> {
    const { rows } = await db.query<ApiKeyRow>('SELECT * FROM api_keys WHERE id = $1', [id]);
    return rows[0];
  },
  /** Marks a key replaced and cuts its life to the grace period (never lengthens it). */
  async retireApiKey(
    db: Queryable,
    id: number,
    replacedBy: number,
    until: Date,
  ): Promise<ApiKeyRow | undefined> {
    const { rows } = await db.query<ApiKeyRow>(
      `UPDATE api_keys SET replaced_by = $2, expires_at = LEAST(coalesce(expires_at, $3), $3)
        WHERE id = $1 RETURNING *`,
      [id, replacedBy, until],
    );
    return rows[0];
  },
  /** Revokes a live key; undefined when there is no such key or it was revoked before. */
  async revokeApiKey(db: Queryable, id: number, now: Date): Promise<ApiKeyRow | undefined> {
    const { rows } = await db.query<ApiKeyRow>(
      'UPDATE api_keys SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL RETURNING *',
      [id, now],
    );
    return rows[0];
  },
  async maxEventSeq(db: Queryable): Promise<number> {
    const { rows } = await db.query<{ max: number }>('SELECT coalesce(max(seq), 0)::int8 AS max FROM events');
    return Number(rows[0]?.max ?? 0);
  },
  /** API keys changed since event `after`, and whether a department changed (drop every key). */
  async apiKeyChangesSince(
    db: Queryable,
    after: number,
  ): Promise<{ lastSeq: number; keyIds: number[]; global: boolean }> {
    // A key's creation cannot make a cached row stale (nothing was cached before it existed), and
    // evicting on it would drop the key a department has just started to use.
    const { rows } = await db.query<{ last: number | null; keys: string[] | null; global: boolean | null }>(
      `SELECT max(seq)::int8 AS last,
              array_agg(DISTINCT entity_id)
                FILTER (WHERE entity_type = 'apikey' AND type <> 'apikey.created') AS keys,
              bool_or(entity_type = 'department') AS global
         FROM (SELECT seq, type, entity_type, entity_id FROM events WHERE seq > $1 ORDER BY seq LIMIT 10000) e`,
      [after],
    );
    const r = rows[0];
    return {
      lastSeq: Number(r?.last ?? after),
      keyIds: (r?.keys ?? []).map(Number).filter(Number.isSafeInteger),
      global: r?.global ?? false,
    };
  },
};
