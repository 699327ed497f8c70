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
