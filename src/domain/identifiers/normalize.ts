/**
 * Input clean-up shared by all identifier validators.
 *
 * What is changed, and why it is safe:
 * - Full-width ASCII (U+FF01–U+FF5E, typed by Chinese IMEs) becomes half-width, and the
 *   ideographic space U+3000 becomes a space: `９１４４…` is the same code as `9144…`.
 * - All whitespace is removed, not only at the ends: no identifier contains whitespace, and
 *   printed certificates often group characters (`9144 0300 …`).
 * - ASCII a–z become A–Z; only ASCII, so the length never changes (`ß`.toUpperCase() would).
 *
 * What is deliberately not changed:
 * - Hyphens. Only the organisation-code validator strips one, and only in its printed
 *   position (`19220382-1`); anywhere else a hyphen is reported as an illegal character, because
 *   a hyphen inside a USCC or ID number means the input was mangled, not formatted.
 * - Look-alike letters (O→0, I→1, Z→2, S→5). Guessing would turn a typo into a different,
 *   possibly valid, code.
 *
 * Positions reported by validators are 1-based positions in the normalised form.
 */
export function normalizeIdInput(raw: string): string {
  return raw
    .replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/\s+/g, '')
    .replace(/[a-z]/g, (c) => c.toUpperCase());
}

/**
 * Splits by code point so that a stray emoji counts as one (illegal) character and reported
 * positions match what the user sees.
 */
export function codePoints(s: string): string[] {
  return Array.from(s);
}
