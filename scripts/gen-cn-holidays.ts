/**
 * Generates src/domain/calendar/data/cn-holidays.json.
 *
 *   npx tsx scripts/gen-cn-holidays.ts
 *
 * - Years covered by the installed `chinese-days` package (State Council schedules, including
 *   调休 make-up working days) are copied as published.
 * - PROVISIONAL_YEARS (not yet in the package) get only the statutory holidays of
 *   《全国年节及纪念日放假办法》 as amended with effect from 2025-01-01 (元旦 1 day, 春节 4 days
 *   from 除夕, 清明 1, 劳动节 2, 端午 1, 中秋 1, 国庆 3). No 调休 days are invented: the State
 *   Council's yearly notice decides those and overrides this data.
 *
 * The statutory-day rule is cross-checked against the package's published years so a wrong
 * lunar conversion or rule fails the generator instead of shipping.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import chineseDays from 'chinese-days';

const PUBLISHED_YEARS = [2024, 2025, 2026];
const PROVISIONAL_YEARS = [2027];

interface DayName {
  zh: string;
  en: string;
}

interface YearData {
  source: string;
  provisional?: true;
  note?: string;
  holidays: string[];
  workdays: string[];
  names: Record<string, DayName>;
}

interface PackageYear {
  holidays: Record<string, string>;
  workdays: Record<string, string>;
}

const require = createRequire(import.meta.url);
const pkgJsonPath = require.resolve('chinese-days/package.json');
const pkgDir = dirname(pkgJsonPath);
const pkg = JSON.parse(readFileSync(pkgJsonPath, 'utf8')) as { version: string };
const source = `chinese-days@${pkg.version}`;

function parseName(v: string): DayName {
  // Package format: "Spring Festival,春节,4" (English, Chinese, statutory day count).
  const [en, zh] = v.split(',');
  if (!en || !zh) throw new Error(`unexpected name ${v}`);
  return { zh, en };
}

function fromPackage(year: number): YearData {
  const raw = JSON.parse(readFileSync(join(pkgDir, 'dist', 'years', `${year}.json`), 'utf8')) as PackageYear;
  const names: Record<string, DayName> = {};
  for (const [date, v] of [...Object.entries(raw.holidays), ...Object.entries(raw.workdays)]) {
    names[date] = parseName(v);
  }
  const sortedNames: Record<string, DayName> = {};
  for (const d of Object.keys(names).sort()) sortedNames[d] = names[d] as DayName;
  return {
    source,
    holidays: Object.keys(raw.holidays).sort(),
    workdays: Object.keys(raw.workdays).sort(),
    names: sortedNames,
  };
}

function addDays(date: string, n: number): string {
  const t = Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)));
  return new Date(t + n * 86_400_000).toISOString().slice(0, 10);
}

function lunarToSolar(year: number, month: number, day: number): string {
  const { date } = chineseDays.getSolarDateFromLunar(
    `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`,
  );
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date))
    throw new Error(`lunar conversion failed for ${year}-${month}-${day}`);
  return date;
}

function qingming(year: number): string {
  const terms = chineseDays.getSolarTerms(`${year}-04-01`, `${year}-04-10`);
  const term = terms.find((t) => t.name === '清明');
  if (!term) throw new Error(`no 清明 in ${year}`);
  return term.date;
}

/** Statutory days off (not the State Council's bridged 调休 blocks). */
function statutoryHolidays(year: number): Record<string, DayName> {
  const y = String(year);
  const out: Record<string, DayName> = {};
  const put = (date: string, zh: string, en: string) => (out[date] = { zh, en });
  put(`${y}-01-01`, '元旦', "New Year's Day");
  const newYear = lunarToSolar(year, 1, 1);
  for (let i = -1; i <= 2; i++) put(addDays(newYear, i), '春节', 'Spring Festival');
  put(qingming(year), '清明', 'Tomb-sweeping Day');
  put(`${y}-05-01`, '劳动节', 'Labour Day');
  put(`${y}-05-02`, '劳动节', 'Labour Day');
  put(lunarToSolar(year, 5, 5), '端午', 'Dragon Boat Festival');
  put(lunarToSolar(year, 8, 15), '中秋', 'Mid-autumn Festival');
  for (const d of ['10-01', '10-02', '10-03']) put(`${y}-${d}`, '国庆节', 'National Day');
  return out;
}

function provisional(year: number): YearData {
  const statutory = statutoryHolidays(year);
  const dates = Object.keys(statutory).sort();
  const names: Record<string, DayName> = {};
  for (const d of dates) names[d] = statutory[d] as DayName;
  return {
    source: '全国年节及纪念日放假办法 (2025 amendment); lunar dates via ' + source,
    provisional: true,
    note:
      'Statutory holidays only. The State Council notice for this year (bridged days off and 调休 make-up ' +
      'working days) has not been loaded; it overrides this data once published.',
    holidays: dates,
    workdays: [],
    names,
  };
}

const out: Record<string, YearData> = {};
for (const year of PUBLISHED_YEARS) {
  const data = fromPackage(year);
  // The published schedule must contain every statutory day our rule derives (2025+ rules).
  if (year >= 2025) {
    const holidays = new Set(data.holidays);
    for (const [d, n] of Object.entries(statutoryHolidays(year))) {
      if (!holidays.has(d))
        throw new Error(`rule check failed: ${d} ${n.zh} not a holiday in ${source} ${year}`);
    }
  }
  out[String(year)] = data;
}
for (const year of PROVISIONAL_YEARS) out[String(year)] = provisional(year);

const here = dirname(fileURLToPath(import.meta.url));
const target = join(here, '..', 'src', 'domain', 'calendar', 'data', 'cn-holidays.json');
mkdirSync(dirname(target), { recursive: true });
const text = JSON.stringify(out);
writeFileSync(target, text + '\n');
console.log(`wrote ${target}: years ${Object.keys(out).join(', ')}, ${Buffer.byteLength(text)} bytes`);
