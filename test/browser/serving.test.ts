import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { brotliCompressSync, brotliDecompressSync } from 'node:zlib';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webApp } from '../../src/server/platform/web';
import { createTestApp, type TestApp } from '../support/app';

/** How the server hands out the web app (no browser needed). */
describe('serving the web app', () => {
  let dir: string;
  let app: FastifyInstance;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'xinyong-web-'));
    mkdirSync(path.join(dir, 'assets'));
    writeFileSync(path.join(dir, 'index.html'), '<!doctype html><div id="root"></div>');
    writeFileSync(path.join(dir, 'assets', 'index-abc123.js'), 'console.log(1)');
    writeFileSync(path.join(dir, 'assets', 'index-abc123.js.br'), brotliCompressSync('console.log(1)'));
    mkdirSync(path.join(dir, '.vite'));
    writeFileSync(path.join(dir, '.vite', 'manifest.json'), '{}');
    app = Fastify();
    await app.register(webApp, { dir });
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves index.html for app routes, with a fresh style nonce each time and never cached', async () => {
    const nonces = new Set<string>();
    for (const url of ['/', '/subjects/S1?at=2025-01-01', '/console/records', '/catalog/ADM']) {
      const res = await app.inject({ url });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type']).toMatch(/text\/html/);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.body).toContain('id="root"');
      const policy = String(res.headers['content-security-policy']);
      expect(policy).not.toContain('unsafe-inline');
      const nonce = /style-src 'self' 'nonce-([A-Za-z0-9+/=]+)'/.exec(policy)?.[1];
      expect(nonce, policy).toBeDefined();
      // The page hands the same nonce to the app (antd's style elements carry it).
      expect(res.body).toContain(`<meta name="csp-nonce" content="${nonce}" />`);
      nonces.add(nonce as string);
    }
    expect(nonces.size).toBe(4);
  });

  it('serves hashed assets as immutable for a year, precompressed when the browser accepts it', async () => {
    const res = await app.inject({ url: '/assets/index-abc123.js' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.body).toBe('console.log(1)');
    const br = await app.inject({
      url: '/assets/index-abc123.js',
      headers: { 'accept-encoding': 'br, gzip' },
    });
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers.vary).toMatch(/accept-encoding/i);
    expect(brotliDecompressSync(br.rawPayload).toString()).toBe('console.log(1)');
  });

  it('answers API paths and missing files with the API’s 404, never with the app', async () => {
    for (const url of [
      '/api/v1/nope',
      '/api',
      '/favicon.ico',
      '/assets/missing.js',
      '/.vite/manifest.json',
    ]) {
      const res = await app.inject({ url });
      expect(res.statusCode, url).toBe(404);
      expect(res.headers['content-type'], url).toMatch(/json/);
    }
  });

  it('says how to build the app when it is not built', async () => {
    const empty = Fastify();
    await empty.register(webApp, { dir: path.join(dir, 'nothing-here') });
    const res = await empty.inject({ url: '/' });
    expect(res.statusCode).toBe(503);
    expect(res.body).toContain('npm run build:web');
    expect(res.body).toContain('网页尚未构建');
    expect(res.body).not.toMatch(/<script/i);
    await empty.close();
  });
});

describe('the platform with the web app registered', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t?.close());

  it('keeps the API’s answers and puts the HTML policy on the app', async () => {
    const api = await t.app.inject({ url: '/api/v1/nope' });
    expect(api.statusCode).toBe(404);
    expect(api.json().error.code).toBe('ROUTE_NOT_FOUND');
    const post = await t.app.inject({ method: 'POST', url: '/subjects/S1' });
    expect(post.statusCode).toBe(404);
    const page = await t.app.inject({ url: '/subjects/S1' });
    expect([200, 503]).toContain(page.statusCode);
    const policy = String(page.headers['content-security-policy']);
    expect(/script-src [^;]*/.exec(policy)?.[0]).toBe("script-src 'self'");
    expect(policy).not.toContain('unsafe-inline');
    const stats = await t.app.inject({ url: '/api/v1/public/stats' });
    expect(stats.statusCode).toBe(200);
  });
});
