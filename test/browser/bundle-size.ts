import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

/**
 * Sizes of the built web app (web-dist/), from Vite's manifest: the JavaScript a visitor of the
 * portal downloads before anything else (the entry chunk and everything it imports statically)
 * and, for each lazy route, what it adds. Run `npx tsx test/browser/bundle-size.ts` after
 * `npm run build:web`; exits 1 above the budget.
 */

export const PORTAL_BUDGET_GZIP = 300 * 1024;

interface ManifestChunk {
  file: string;
  src?: string;
  name?: string;
  isEntry?: boolean;
  isDynamicEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
  css?: string[];
}
type Manifest = Record<string, ManifestChunk>;

export interface BundleReport {
  entry: string;
  /** `brotli`: the .br files the build writes (what the server sends to browsers that accept it). */
  initial: { files: string[]; raw: number; gzip: number; brotli: number | null };
  css: { raw: number; gzip: number };
  /** Extra JS (gzip) each lazy chunk adds on top of what is already loaded. */
  lazy: { src: string; gzip: number }[];
  total: { raw: number; gzip: number };
}

export const WEB_DIST = fileURLToPath(new URL('../../web-dist/', import.meta.url));

function sizes(dist: string, file: string): { raw: number; gzip: number } {
  const buf = readFileSync(path.join(dist, file));
  return { raw: buf.length, gzip: gzipSync(buf, { level: 9 }).length };
}

function closure(manifest: Manifest, start: string[], seen = new Set<string>()): Set<string> {
  const stack = [...start];
  while (stack.length) {
    const key = stack.pop() as string;
    if (seen.has(key)) continue;
    seen.add(key);
    for (const imp of manifest[key]?.imports ?? []) stack.push(imp);
  }
  return seen;
}

export function bundleReport(dist = WEB_DIST): BundleReport {
  const manifestPath = path.join(dist, '.vite', 'manifest.json');
  if (!existsSync(manifestPath)) throw new Error(`no ${manifestPath}: run npm run build:web first`);
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest;
  const entryKey = Object.keys(manifest).find((k) => manifest[k]?.isEntry);
  if (!entryKey) throw new Error('the manifest has no entry chunk');
  const initialKeys = closure(manifest, [entryKey]);
  const files = [...initialKeys].map((k) => (manifest[k] as ManifestChunk).file);
  let raw = 0;
  let gzip = 0;
  // Files too small to be worth compressing are sent as they are.
  let brotli = 0;
  let compressed = false;
  for (const f of files) {
    const s = sizes(dist, f);
    raw += s.raw;
    gzip += s.gzip;
    const br = path.join(dist, `${f}.br`);
    if (existsSync(br)) compressed = true;
    brotli += existsSync(br) ? statSync(br).size : s.raw;
  }
  const cssFiles = new Set([...initialKeys].flatMap((k) => manifest[k]?.css ?? []));
  const css = { raw: 0, gzip: 0 };
  for (const f of cssFiles) {
    const s = sizes(dist, f);
    css.raw += s.raw;
    css.gzip += s.gzip;
  }
  const lazy: { src: string; gzip: number }[] = [];
  for (const [key, chunk] of Object.entries(manifest)) {
    if (!chunk.isDynamicEntry) continue;
    const extra = [...closure(manifest, [key])].filter((k) => !initialKeys.has(k));
    lazy.push({
      src: chunk.src ?? key,
      gzip: extra.reduce((n, k) => n + sizes(dist, (manifest[k] as ManifestChunk).file).gzip, 0),
    });
  }
  const total = { raw: 0, gzip: 0 };
  for (const chunk of Object.values(manifest)) {
    if (!chunk.file.endsWith('.js')) continue;
    const s = sizes(dist, chunk.file);
    total.raw += s.raw;
    total.gzip += s.gzip;
  }
  return {
    entry: entryKey,
    initial: { files, raw, gzip, brotli: compressed ? brotli : null },
    css,
    lazy: lazy.sort((a, b) => b.gzip - a.gzip),
    total,
  };
}

export const kB = (n: number) => `${(n / 1024).toFixed(1)} kB`;

function main(): number {
  const r = bundleReport();
  const br = r.initial.brotli === null ? '' : `, ${kB(r.initial.brotli)} brotli as served`;
  console.log(
    `portal initial JS: ${kB(r.initial.gzip)} gzip (${kB(r.initial.raw)} raw${br}, ${r.initial.files.length} files)`,
  );
  console.log(`initial CSS: ${kB(r.css.gzip)} gzip`);
  for (const l of r.lazy) console.log(`  lazy ${l.src}: +${kB(l.gzip)} gzip`);
  console.log(`all JS: ${kB(r.total.gzip)} gzip`);
  if (r.initial.gzip > PORTAL_BUDGET_GZIP) {
    console.error(`over budget: ${kB(r.initial.gzip)} > ${kB(PORTAL_BUDGET_GZIP)}`);
    return 1;
  }
  return 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1]))
  process.exitCode = main();
