import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { EmbeddedStartError, startEmbedded } from './embedded';

const dir = mkdtempSync(path.join(os.tmpdir(), 'xinyong-embedded-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function query(url: string, sql: string): Promise<pg.QueryResult> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await c.query(sql);
  } finally {
    await c.end();
  }
}

describe('embedded PostgreSQL lifecycle', () => {
  it('starts, keeps data across a stop and a restart, with a UTF-8 ctype', async () => {
    const a = await startEmbedded({ dataDir: dir, port: 56100 });
    await query(a.url, 'CREATE TABLE kept (v text)');
    await query(a.url, "INSERT INTO kept VALUES ('渝中区')");
    const ctype = await query(a.url, "SELECT datctype FROM pg_database WHERE datname = 'postgres'");
    expect(ctype.rows[0].datctype).toMatch(/UTF-?8/i);
    await a.stop();
    const b = await startEmbedded({ dataDir: dir, port: 56100 });
    const r = await query(b.url, 'SELECT v FROM kept');
    expect(r.rows[0].v).toBe('渝中区');
    await b.stop();
  });

  it('refuses a second owner of the same data directory', async () => {
    const a = await startEmbedded({ dataDir: dir, port: 56100 });
    try {
      // The lock records our own PID, so pretend to be another live process.
      const { writeFileSync } = await import('node:fs');
      writeFileSync(path.join(dir, 'xinyong.lock'), String(process.ppid));
      await expect(startEmbedded({ dataDir: dir, port: 56110 })).rejects.toBeInstanceOf(EmbeddedStartError);
      writeFileSync(path.join(dir, 'xinyong.lock'), String(process.pid));
    } finally {
      await a.stop();
    }
  });

  it('recovers after the owning process is killed with SIGKILL', async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'test/fixtures/embedded-child.ts', dir, '56120'],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /READY (\S+)/.exec(out);
        if (m) resolve(m[1] as string);
      });
      child.on('exit', (code) => reject(new Error(`child exited ${code}`)));
    });
    await query(url, "INSERT INTO kept VALUES ('after crash')");
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    // The orphaned postmaster still holds the directory; the next start must shut it down and take over.
    const b = await startEmbedded({ dataDir: dir, port: 56120 });
    const r = await query(b.url, 'SELECT count(*)::int AS n FROM kept');
    expect(r.rows[0].n).toBe(2);
    await b.stop();
  });
});
