import { describe, expect, it } from 'vitest';
import { citizenIdCheckChar, makeCitizenId, validateCitizenId } from './citizen-id';
import { makeUscc, USCC_ALPHABET, USCC_AUTHORITIES, validateUscc } from './uscc';

/** mulberry32: tiny seeded PRNG so failures reproduce without a dependency. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const N = 2000;
const PREFIXES = USCC_AUTHORITIES.flatMap((a) => a.categories.map((c) => a.code + c.code));

function pick<T>(rand: () => number, xs: readonly T[]): T {
  const x = xs[Math.floor(rand() * xs.length)];
  if (x === undefined) throw new Error('empty choice');
  return x;
}

function digits(rand: () => number, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += String(Math.floor(rand() * 10));
  return s;
}

function replaceAt(s: string, i: number, c: string): string {
  return s.slice(0, i) + c + s.slice(i + 1);
}

describe('generated USCCs', () => {
  it(`validate, and every substitution at position 18 is detected (${N} codes)`, () => {
    const rand = prng(20250321);
    const alphabet = [...USCC_ALPHABET];
    for (let n = 0; n < N; n++) {
      const body = Array.from({ length: 8 }, () => pick(rand, alphabet)).join('');
      const code = makeUscc(pick(rand, PREFIXES), digits(rand, 6), body);
      expect(validateUscc(code).valid, code).toBe(true);
      for (const c of alphabet) {
        if (c === code.charAt(17)) continue;
        expect(validateUscc(replaceAt(code, 17, c)), `${code} pos 18 → ${c}`).toMatchObject({
          valid: false,
          reason: 'CHECK_CHARACTER_WRONG',
        });
      }
      // MOD 31 with weights coprime to 31 catches a substitution anywhere, not only at 18.
      const pos = Math.floor(rand() * 17);
      const other = pick(
        rand,
        alphabet.filter((c) => c !== code.charAt(pos)),
      );
      expect(validateUscc(replaceAt(code, pos, other)).valid, `${code} pos ${pos + 1} → ${other}`).toBe(
        false,
      );
    }
  });
});

describe('generated citizen IDs', () => {
  it(`validate, and every substitution of the check character is detected (${N} numbers)`, () => {
    const rand = prng(19991001);
    const checks = [...'0123456789X'];
    for (let n = 0; n < N; n++) {
      const year = 1900 + Math.floor(rand() * 126);
      const month = 1 + Math.floor(rand() * 12);
      const day = 1 + Math.floor(rand() * 28);
      const birth = `${year}${String(month).padStart(2, '0')}${String(day).padStart(2, '0')}`;
      const id = makeCitizenId(digits(rand, 6), birth, digits(rand, 3));
      const r = validateCitizenId(id, { today: '2025-12-31' });
      expect(r.valid, id).toBe(true);
      if (r.valid) {
        expect(r.sex).toBe(Number(id.charAt(16)) % 2 === 1 ? 'M' : 'F');
        expect(r.birthDate.replaceAll('-', '')).toBe(birth);
      }
      for (const c of checks) {
        if (c === id.charAt(17)) continue;
        expect(validateCitizenId(replaceAt(id, 17, c)), `${id} → ${c}`).toMatchObject({
          valid: false,
          reason: 'CHECK_CHARACTER_WRONG',
          expected: citizenIdCheckChar(id.slice(0, 17)),
        });
      }
      const pos = Math.floor(rand() * 17);
      const d = String((Number(id.charAt(pos)) + 1 + Math.floor(rand() * 9)) % 10);
      expect(validateCitizenId(replaceAt(id, pos, d)).valid, `${id} pos ${pos + 1} → ${d}`).toBe(false);
    }
  });
});
