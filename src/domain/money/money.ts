/**
 * Money amounts as exact decimal strings.
 *
 * Penalty and licence data state amounts in 万元 (10,000 CNY). Floating point cannot represent
 * e.g. 0.1 万元 exactly, so amounts are kept as canonical decimal strings and converted through
 * BigInt counts of 分 (0.01 元 = 0.000001 万元), the smallest unit that occurs.
 *
 * Canonical form: no grouping, no leading zeros, no trailing fractional zeros ('1234.5', '0.2',
 * '0'). That is what the parsers and converters return; `formatWan` produces display text.
 */
import type { Lang } from '../i18n';

export type MoneyParseErrorReason =
  'empty' | 'negative' | 'invalid' | 'grouping' | 'too-precise' | 'too-large' | 'wrong-unit';

export type MoneyParseResult =
  | { readonly ok: true; readonly value: string }
  | { readonly ok: false; readonly reason: MoneyParseErrorReason; readonly message: string };

const WAN_DECIMALS = 6; // 万元 → 分
const YUAN_DECIMALS = 2; // 元 → 分
// Far above any real amount (the largest fines are in the 10^6 万元 range); stops absurd input.
const MAX_INTEGER_DIGITS = 15;

const FULLWIDTH: Readonly<Record<string, string>> = {
  '．': '.',
  '，': ',',
  '－': '-',
  '−': '-',
  '＋': '+',
};

function normalise(input: string): string {
  return input
    .replace(/[\uFF10-\uFF19]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xff10 + 0x30))
    .replace(/[．，－−＋]/g, (c) => FULLWIDTH[c] ?? c)
    .replace(/^[\s\u3000]+|[\s\u3000]+$/g, '');
}

function fail(reason: MoneyParseErrorReason, message: string): MoneyParseResult {
  return { ok: false, reason, message };
}

interface Scaled {
  ok: true;
  units: bigint;
}

type ScaleResult = Scaled | { ok: false; reason: MoneyParseErrorReason; message: string };

/** Parse a non-negative decimal into an integer count of 10^-decimals units. */
function parseScaled(
  raw: string,
  decimals: number,
  unitSuffixes: readonly string[],
  foreignSuffixes: readonly string[],
): ScaleResult {
  let s = normalise(raw);
  if (s === '') return { ok: false, reason: 'empty', message: 'amount is empty' };
  // The longest matching suffix decides, so '12万元' is 万元 even though it also ends in '元'.
  const suffix = [...unitSuffixes, ...foreignSuffixes]
    .filter((u) => s.endsWith(u))
    .sort((a, b) => b.length - a.length)[0];
  if (suffix !== undefined) {
    if (!unitSuffixes.includes(suffix)) {
      return { ok: false, reason: 'wrong-unit', message: `amount is given in ${suffix}: ${raw}` };
    }
    s = s.slice(0, -suffix.length).trimEnd();
  }
  let negative = false;
  if (s.startsWith('-')) {
    negative = true;
    s = s.slice(1);
  } else if (s.startsWith('+')) {
    s = s.slice(1);
  }
  const m = /^(\d[\d,]*)?(?:\.(\d*))?$/.exec(s);
  if (!m || s === '' || s === '.' || (m[1] === undefined && !m[2])) {
    return { ok: false, reason: 'invalid', message: `not a decimal number: ${raw}` };
  }
  let intPart = m[1] ?? '0';
  const fracPart = m[2] ?? '';
  if (intPart.includes(',')) {
    if (!/^\d{1,3}(,\d{3})+$/.test(intPart)) {
      return { ok: false, reason: 'grouping', message: `misplaced thousands separator: ${raw}` };
    }
    intPart = intPart.replace(/,/g, '');
  }
  intPart = intPart.replace(/^0+(?=\d)/, '');
  if (intPart.length > MAX_INTEGER_DIGITS)
    return { ok: false, reason: 'too-large', message: `amount too large: ${raw}` };
  const significantFrac = fracPart.replace(/0+$/, '');
  if (significantFrac.length > decimals) {
    return { ok: false, reason: 'too-precise', message: `more than ${decimals} decimal places: ${raw}` };
  }
  const units = BigInt(intPart + significantFrac.padEnd(decimals, '0'));
  if (negative && units !== 0n)
    return { ok: false, reason: 'negative', message: `amount is negative: ${raw}` };
  return { ok: true, units };
}

function unitsToString(units: bigint, decimals: number): string {
  if (units < 0n) throw new RangeError('negative amount');
  const digits = units.toString().padStart(decimals + 1, '0');
  const int = digits.slice(0, digits.length - decimals);
  const frac = digits.slice(digits.length - decimals).replace(/0+$/, '');
  return frac ? `${int}.${frac}` : int;
}

const WAN_SUFFIXES = ['万元', '万'] as const;
const YUAN_SUFFIXES = ['元'] as const;

/**
 * Parse an amount in 万元: '0.2', '1,234.5', '１２', '12万元'. Rejects negatives, malformed
 * grouping, more than 6 decimals (finer than 1 分), and amounts labelled in 元.
 */
export function parseWanYuan(input: string): MoneyParseResult {
  const r = parseScaled(input, WAN_DECIMALS, WAN_SUFFIXES, YUAN_SUFFIXES);
  return r.ok ? { ok: true, value: unitsToString(r.units, WAN_DECIMALS) } : fail(r.reason, r.message);
}

/** Parse an amount in 元 ('2,000', '2000.50', '2000元'), at most 2 decimals. */
export function parseYuan(input: string): MoneyParseResult {
  const r = parseScaled(input, YUAN_DECIMALS, YUAN_SUFFIXES, WAN_SUFFIXES);
  return r.ok ? { ok: true, value: unitsToString(r.units, YUAN_DECIMALS) } : fail(r.reason, r.message);
}

type AmountInput = string | number | bigint;

function toText(v: AmountInput): string {
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number') {
    // String(number) is the shortest round-trip form, i.e. the literal the caller wrote (0.1 → '0.1').
    if (!Number.isFinite(v)) throw new RangeError(`not a finite amount: ${v}`);
    return String(v);
  }
  return v;
}

function scaledOrThrow(
  v: AmountInput,
  decimals: number,
  own: readonly string[],
  foreign: readonly string[],
): bigint {
  const r = parseScaled(toText(v), decimals, own, foreign);
  if (!r.ok) throw new RangeError(r.message);
  return r.units;
}

/** 万元 → integer 分, for storage or arithmetic. */
export function wanToFen(wan: AmountInput): bigint {
  return scaledOrThrow(wan, WAN_DECIMALS, WAN_SUFFIXES, YUAN_SUFFIXES);
}

/** 元 → integer 分. */
export function yuanToFen(yuan: AmountInput): bigint {
  return scaledOrThrow(yuan, YUAN_DECIMALS, YUAN_SUFFIXES, WAN_SUFFIXES);
}

export function fenToWan(fen: bigint): string {
  return unitsToString(fen, WAN_DECIMALS);
}

export function fenToYuan(fen: bigint): string {
  return unitsToString(fen, YUAN_DECIMALS);
}

/** Exact: yuanToWan('2000') === '0.2'. Throws RangeError on invalid input or sub-分 precision. */
export function yuanToWan(yuan: AmountInput): string {
  return fenToWan(yuanToFen(yuan));
}

/** Exact: wanToYuan('0.2') === '2000'. */
export function wanToYuan(wan: AmountInput): string {
  return fenToYuan(wanToFen(wan));
}

export function compareWan(a: AmountInput, b: AmountInput): -1 | 0 | 1 {
  const x = wanToFen(a);
  const y = wanToFen(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

export function sumWan(values: readonly AmountInput[]): string {
  return fenToWan(values.reduce<bigint>((acc, v) => acc + wanToFen(v), 0n));
}

function group(intDigits: string): string {
  return intDigits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

export interface FormatWanOptions {
  /** Append the unit (default true): '万元' in Chinese; in English the amount is shown in CNY. */
  readonly unit?: boolean;
  /** Pad the fraction with zeros to at least this many digits (never rounds). */
  readonly minFractionDigits?: number;
}

function groupDecimal(canonical: string, minFractionDigits = 0): string {
  const [int = '0', frac = ''] = canonical.split('.');
  const padded = frac.padEnd(minFractionDigits, '0');
  return padded ? `${group(int)}.${padded}` : group(int);
}

/**
 * Display text for a 万元 amount. zh-CN: '1,234.5万元'. en: converted exactly to yuan,
 * 'CNY 12,345,000' (分 shown as two decimals when present), because "10k CNY" is not an
 * English unit. With `unit: false` both give the grouped 万元 number.
 */
export function formatWan(wan: AmountInput, locale: Lang = 'zh-CN', opts: FormatWanOptions = {}): string {
  const fen = wanToFen(wan);
  const { unit = true, minFractionDigits } = opts;
  if (!unit) return groupDecimal(fenToWan(fen), minFractionDigits);
  if (locale === 'en') {
    const yuan = fenToYuan(fen);
    return `CNY ${groupDecimal(yuan, yuan.includes('.') ? 2 : (minFractionDigits ?? 0))}`;
  }
  return `${groupDecimal(fenToWan(fen), minFractionDigits)}万元`;
}
