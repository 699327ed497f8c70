import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { CommonErrors } from './errors';
import { sendError } from './http';

export interface WebOptions {
  /** The built web app (`npm run build:web` writes it); defaults to `<project>/web-dist`. */
  dir?: string;
}

export const DEFAULT_WEB_DIR = fileURLToPath(new URL('../../../web-dist/', import.meta.url));

const NOT_BUILT = `<!doctype html>
<html lang="zh-CN">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>信用 Xinyong · 网页尚未构建 / web app not built</title></head>
<body>
<h1>网页尚未构建</h1>
<p>服务器正在运行，接口可用（<a href="/api/docs">/api/docs</a>），但网页应用还没有构建。请在项目目录运行 <code>npm run build:web</code>，然后刷新本页。</p>
<h1 lang="en">The web app is not built</h1>
<p lang="en">The server is running and its API works (<a href="/api/docs">/api/docs</a>), but the web app has not been built yet. Run <code>npm run build:web</code> in the project directory, then reload this page.</p>
</body>
</html>
`;

/**
 * The policy of the built app's page. Scripts only from the app's own files; styles from its files
 * and from the style elements antd's CSS-in-JS writes, which carry the page's nonce (one per
 * response, handed to the app in `<meta name="csp-nonce">`, src/web/ui/AppProviders.tsx; other HTML
 * answers get the policy without a nonce, app.ts). No
 * 'unsafe-inline' for either: injected markup can neither run script nor add a style sheet.
 */
export function appPolicy(nonce?: string): string {
  const style = nonce === undefined ? "style-src 'self'" : `style-src 'self' 'nonce-${nonce}'`;
  return (
    `default-src 'self'; script-src 'self'; ${style}; img-src 'self' data:; ` +
    "font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
  );
}

/** index.html as built, read again only when the file changes (a rebuild while serving). */
function indexReader(file: string): () => string {
  let cached: { mtimeMs: number; size: number; html: string } | undefined;
  return () => {
    const st = statSync(file);
    if (!cached || cached.mtimeMs !== st.mtimeMs || cached.size !== st.size)
      cached = { mtimeMs: st.mtimeMs, size: st.size, html: readFileSync(file, 'utf8') };
    return cached.html;
  };
}

/** The page with its nonce in `<meta name="csp-nonce">`, first in its head. */
function withNonce(html: string, nonce: string): string {
  const meta = `<meta name="csp-nonce" content="${nonce}" />`;
  const head = /<head[^>]*>/i.exec(html);
  if (head)
    return html.slice(0, head.index + head[0].length) + meta + html.slice(head.index + head[0].length);
  const doctype = /^<!doctype html>/i.exec(html);
  return doctype ? doctype[0] + meta + html.slice(doctype[0].length) : meta + html;
}

/** A path that names a file (has an extension) is an asset request, not an app route. */
function looksLikeFile(urlPath: string): boolean {
  const last = urlPath.split('/').pop() ?? '';
  return /\.[A-Za-z0-9]{1,8}$/.test(last) && !last.endsWith('.html');
}

/**
 * Serves the web app: hashed files under /assets/ cached for a year (their names change with
 * their content), index.html with a fresh CSP nonce on every visit, and index.html for every other GET that
 * is not an API path so the browser's router can take the URL (deep links, reloads). Register
 * after the API. The app's HTML policy (`appPolicy`: no inline script, no inline style without the
 * nonce) holds for the build: Vite emits module files only, and antd's CSS-in-JS tags its style
 * elements with the nonce.
 */
export async function webApp(app: FastifyInstance, opts: WebOptions): Promise<void> {
  const dir = opts.dir ?? DEFAULT_WEB_DIR;
  const readIndex = indexReader(path.join(dir, 'index.html'));

  // Registered even when web-dist does not exist yet, so a build after start needs no restart.
  await app.register(fastifyStatic, {
    root: path.join(dir, 'assets'),
    prefix: '/assets/',
    wildcard: true,
    index: false,
    list: false,
    dotfiles: 'deny',
    maxAge: '365d',
    immutable: true,
    // The build writes .br/.gz beside each asset (vite.config.ts); sent when the browser accepts them.
    preCompressed: true,
    decorateReply: true,
  });

  app.get('/*', { config: { access: ['public'] }, schema: { hide: true } }, async (request, reply) => {
    const urlPath = request.url.split('?')[0] ?? '/';
    if (urlPath === '/api' || urlPath.startsWith('/api/') || looksLikeFile(urlPath))
      return sendError(request, reply, CommonErrors.ROUTE_NOT_FOUND());
    if (!existsSync(path.join(dir, 'index.html'))) {
      return reply
        .status(503)
        .header('cache-control', 'no-store')
        .type('text/html; charset=utf-8')
        .send(NOT_BUILT);
    }
    // A fresh nonce per response: the page is never reused from a cache.
    const nonce = randomBytes(18).toString('base64');
    const html = withNonce(readIndex(), nonce);
    return reply
      .header('cache-control', 'no-store')
      .header('content-security-policy', appPolicy(nonce))
      .type('text/html; charset=utf-8')
      .send(html);
  });
}
