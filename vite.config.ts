import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

// echarts-for-react's esm build imports `tslib` without declaring it; npm keeps tslib nested under
// echarts, so resolve it the way echarts does rather than relying on hoisting.
const fromEcharts = createRequire(createRequire(import.meta.url).resolve('echarts/package.json'));
const tslib = path.join(path.dirname(fromEcharts.resolve('tslib')), 'tslib.es6.js');

/**
 * Writes `.br` and `.gz` beside each built asset: the server sends them to browsers that accept
 * them (@fastify/static `preCompressed`), so a slow link downloads ~1/3 of the bytes, compressed
 * once at build time instead of on every request.
 */
function precompress(outDir: string): Plugin {
  return {
    name: 'xinyong-precompress',
    apply: 'build',
    closeBundle() {
      const dir = path.join(outDir, 'assets');
      for (const name of readdirSync(dir)) {
        if (!/\.(js|css|svg|json)$/.test(name)) continue;
        const file = path.join(dir, name);
        const data = readFileSync(file);
        if (data.length < 1024) continue;
        writeFileSync(
          `${file}.br`,
          brotliCompressSync(data, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }),
        );
        writeFileSync(`${file}.gz`, gzipSync(data, { level: 9 }));
      }
    },
  };
}

const outDir = fileURLToPath(new URL('./web-dist', import.meta.url));

/**
 * The web app: Vite root is src/web, output goes to web-dist/ which the server serves
 * (src/server/platform/web.ts). `npx vite` serves it for development, proxying /api to a server on
 * 127.0.0.1:8080.
 */
export default defineConfig({
  root: fileURLToPath(new URL('./src/web', import.meta.url)),
  base: '/',
  plugins: [react(), precompress(outDir)],
  resolve: { alias: { tslib } },
  build: {
    outDir,
    emptyOutDir: true,
    // The manifest lets test/browser/bundle-size.ts follow the entry's static imports.
    manifest: true,
    chunkSizeWarningLimit: 1200,
    // No inline module-preload polyfill script: keeps index.html free of inline scripts for a strict CSP.
    modulePreload: { polyfill: false },
  },
  server: {
    proxy: { '/api': 'http://127.0.0.1:8080' },
  },
});
