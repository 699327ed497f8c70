import { pinyin } from 'pinyin-pro';

/** Search keys of a name: full pinyin and initials, lower case, letters and digits only. */
export function pinyinKeys(name: string): { pinyin: string; initials: string } {
  const full = pinyin(name, { toneType: 'none', type: 'array', nonZh: 'consecutive' });
  const first = pinyin(name, { pattern: 'first', toneType: 'none', type: 'array', nonZh: 'consecutive' });
  const clean = (parts: string[]): string =>
    parts
      .join('')
      .toLowerCase()
      .replace(/[^a-z0-9]/g, '');
  return { pinyin: clean(full), initials: clean(first) };
}

export const CJK = /[\u3400-\u9fff\uf900-\ufaff\u{20000}-\u{2ffff}]/u;

export type QueryShape =
  { kind: 'name'; term: string; chars: number } | { kind: 'pinyin'; term: string } | { kind: 'empty' };

/**
 * Decides how to search a free-text query: Chinese (or mixed) text is a name substring, plain
 * ASCII letters are pinyin or initials. Identifier-looking input is handled before this.
 */
export function queryShape(q: string): QueryShape {
  const term = q.normalize('NFKC').trim().replace(/\s+/g, ' ');
  if (!term) return { kind: 'empty' };
  if (CJK.test(term)) return { kind: 'name', term, chars: [...term].length };
  const letters = term.toLowerCase().replace(/[^a-z0-9]/g, '');
  if (/^[a-z]/.test(letters)) return { kind: 'pinyin', term: letters };
  return { kind: 'name', term, chars: [...term].length };
}

/** Escapes LIKE wildcards so user text is matched literally. */
export function likeEscape(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * The bigram keys a name is stored under for top-k search (see migration 0020): `^` + its first
 * two characters, and each distinct bigram at a later position. Mirrors SQL `name_grams(name)`.
 */
export function nameGrams(name: string): string[] {
  const c = [...name];
  if (c.length < 2) return [];
  const out = new Set<string>([`^${c[0]}${c[1]}`]);
  for (let i = 1; i + 1 < c.length; i++) out.add(`${c[i]}${c[i + 1]}`);
  return [...out];
}

/**
 * Which stored bigram to read a term's matches through, each the rarest that can find them:
 * `prefix` for names starting with the term (`^` + its first bigram, or any later bigram of it,
 * which such a name holds at a later position), `inner` for names holding it at a later position
 * (any of its bigrams). `frequency` is the share of stored rows with the gram; unknown grams are
 * rare (0). Ties keep the earlier candidate. The term has at least two characters.
 */
export function gramSources(
  term: string,
  frequency: (gram: string) => number,
): { prefix: string; inner: string } {
  const c = [...term];
  const bigrams: string[] = [];
  for (let i = 0; i + 1 < c.length; i++) bigrams.push(`${c[i]}${c[i + 1]}`);
  const rarest = (candidates: string[]): string =>
    candidates.reduce((best, g) => (frequency(g) < frequency(best) ? g : best));
  return { prefix: rarest([`^${bigrams[0]}`, ...bigrams.slice(1)]), inner: rarest(bigrams) };
}
