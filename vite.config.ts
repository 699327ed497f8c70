import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// echarts-for-react's esm build imports `tslib` without declaring it; npm keeps tslib nested under
// echarts, so resolve it the way echarts does rather than relying on hoisting.
const fromEcharts = createRequire(createRequire(import.meta.url).resolve('echarts/package.json'));
const tslib = path.join(path.dirname(fromEcharts.resolve('tslib')), 'tslib.es6.js');

/**
 * The web app: Vite root is src/web, output goes to web-dist/ which the server serves
 * (src/server/platform/web.ts). `npx vite` serves it for development, proxying /api to a server on
 * 127.0.0.1:8080.
 */
export default defineConfig({
  root: fileURLToPath(new URL('./src/web', import.meta.url)),
  base: '/',
  plugins: [react()],
  resolve: { alias: { tslib } },
  build: {
    outDir: fileURLToPath(new URL('./web-dist', import.meta.url)),
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
