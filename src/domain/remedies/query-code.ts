/**
 * Query codes (查询码): anyone holding one can follow an application's progress without logging
 * in. 16 symbols of Crockford's base-32 (no I, L, O, U) carry 80 random bits, shown in groups of
 * four: `XY-7K3M-Q9TD-WHFP-2RCA`. Input is forgiving: case, spaces, O→0 and I/L→1.
 */
export const CODE_SYMBOLS = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

const SHAPE = /^XY-[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/;

/** Formats 10 random bytes (80 bits) as a query code. */
export function formatQueryCode(random: Uint8Array): string {
  if (random.length < 10) throw new RangeError('a query code needs 10 random bytes');
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of random.subarray(0, 10)) {
    value = ((value << 8) | byte) & 0xffff;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += CODE_SYMBOLS[(value >>> bits) & 31];
    }
  }
  return `XY-${out.slice(0, 4)}-${out.slice(4, 8)}-${out.slice(8, 12)}-${out.slice(12, 16)}`;
}

/** The canonical form of what someone typed, or null when it cannot be a query code. */
export function normaliseQueryCode(input: string): string | null {
  const raw = input.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  const body = raw.startsWith('XY') ? raw.slice(2) : raw;
  if (body.length !== 16) return null;
  const code = `XY-${body.slice(0, 4)}-${body.slice(4, 8)}-${body.slice(8, 12)}-${body.slice(12, 16)}`;
  return SHAPE.test(code) ? code : null;
}
