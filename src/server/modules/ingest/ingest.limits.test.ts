import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/support/app';
import { CF_TITLES, csv, login, penalty, setupWorld, titled, type World } from './ingest.test-support';

// A small limit so that "over the limit" is cheap to reach; a 2 GB body is offered all the same.
process.env.XINYONG_UPLOAD_LIMIT = '1MB';

let t: TestApp;
let w: World;
let base: string;
let officer: Record<string, string>;
const GB2 = 2 * 1024 ** 3;

beforeAll(async () => {
  t = await createTestApp(new Date('2026-06-01T02:00:00Z'));
  w = await setupWorld(t);
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  officer = await login(t, 'scjg');
});
afterAll(async () => {
  delete process.env.XINYONG_UPLOAD_LIMIT;
  await t?.close();
});

interface Sent {
  status: number;
  body: { error?: { code: string; details: Record<string, unknown> } };
  sent: number;
}

/** Sends a body of up to `size` bytes lazily (nothing is held in memory) and counts what got out. */
function send(
  path: string,
  headers: Record<string, string>,
  head: string,
  size: number,
  declareLength: boolean,
): Promise<Sent> {
  let sent = 0;
  const chunk = Buffer.alloc(64 * 1024, 'a');
  const body = new Readable({
    read() {
      if (sent === 0) {
        sent += head.length;
        this.push(head);
        return;
      }
      if (sent >= size) return void this.push(null);
      sent += chunk.length;
      this.push(chunk);
    },
  });
  return new Promise((resolve, reject) => {
    const req = http.request(`${base}${path}`, {
      method: 'POST',
      headers: { ...headers, ...(declareLength ? { 'content-length': String(size) } : {}) },
    });
    req.on('response', (res) => {
      // A well-behaved client stops sending once the server has answered.
      body.unpipe(req);
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => {
        body.destroy();
        req.destroy();
        resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as Sent['body'], sent });
      });
    });
    req.on('error', (err) => (sent > 0 ? undefined : reject(err)));
    body.pipe(req);
  });
}

const multipartHead = (boundary: string) =>
  `--${boundary}\r\nContent-Disposition: form-data; name="itemCode"\r\n\r\nXZCF\r\n` +
  `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="huge.csv"\r\nContent-Type: text/csv\r\n\r\n`;

describe('uploads over the limit', () => {
  it('refuses a declared 2 GB upload at once, before reading it', async () => {
    const rss = process.memoryUsage().rss;
    const r = await send(
      '/api/v1/ingest/batches',
      { ...officer, 'content-type': 'multipart/form-data; boundary=b' },
      multipartHead('b'),
      GB2,
      true,
    );
    expect(r.status).toBe(413);
    expect(r.body.error?.code).toBe('FILE_TOO_LARGE');
    expect(r.sent).toBeLessThan(64 * 1024 * 1024);
    expect(process.memoryUsage().rss - rss).toBeLessThan(200 * 1024 * 1024);
  });

  it('stops a 2 GB chunked upload at the limit without buffering it', async () => {
    const rss = process.memoryUsage().rss;
    const r = await send(
      '/api/v1/ingest/batches',
      { ...officer, 'content-type': 'multipart/form-data; boundary=b' },
      multipartHead('b'),
      GB2,
      false,
    );
    expect(r.status).toBe(413);
    expect(r.body.error?.code).toBe('FILE_TOO_LARGE');
    expect(r.sent).toBeLessThan(256 * 1024 * 1024);
    expect(process.memoryUsage().rss - rss).toBeLessThan(200 * 1024 * 1024);
  });

  it('fails a streamed NDJSON batch that passes the limit; nothing of it is stored', async () => {
    const line = `${JSON.stringify(penalty(w.scjg, 1))}\n`;
    const lines = Array.from({ length: Math.ceil((1.5 * 1024 * 1024) / line.length) }, (_, i) =>
      JSON.stringify(penalty(w.scjg, i + 10)),
    ).join('\n');
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/ingest/batches/ndjson?itemCode=XZCF',
      headers: { authorization: `Bearer ${w.apiKey}`, 'content-type': 'application/x-ndjson' },
      payload: lines,
    });
    expect(res.statusCode).toBe(413);
    const chunked = await send(
      '/api/v1/ingest/batches/ndjson?itemCode=XZCF',
      { authorization: `Bearer ${w.apiKey}`, 'content-type': 'application/x-ndjson' },
      lines.slice(0, 900 * 1024),
      GB2,
      false,
    );
    expect(chunked.status).toBe(413);
    expect(chunked.body.error?.code).toBe('FILE_TOO_LARGE');
    expect(chunked.body.error?.details.batchId).toBeGreaterThan(0);
    const stored = await t.db.pool.query('SELECT count(*)::int AS n FROM records');
    expect(stored.rows[0].n).toBe(0);
    const b = await t.db.pool.query("SELECT status, error->>'code' AS code FROM ingest_batches");
    expect(b.rows).toEqual([{ status: 'failed', code: 'FILE_TOO_LARGE' }]);
  });

  it('takes a file under the limit, and stays up', async () => {
    const ok = await fetch(`${base}/api/v1/ingest/batches`, {
      method: 'POST',
      headers: officer,
      body: (() => {
        const f = new FormData();
        f.append('itemCode', 'XZCF');
        f.append('file', new Blob([csv(titled(CF_TITLES), [penalty(w.scjg, 5)])]), 'small.csv');
        return f;
      })(),
    });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { counts: { accepted: number } }).counts.accepted).toBe(1);
    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
  });
});
