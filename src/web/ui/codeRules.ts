import { validateUscc } from '../../domain/identifiers/uscc';
import type { Lang } from '../i18n/lang';

/**
 * A form rule checking a USCC with the same domain code the server runs (check character,
 * alphabet, length), so the user learns of a typo before submitting. The server stays the judge.
 */
export function usccRule(lang: Lang) {
  return {
    validator: async (_: unknown, value: unknown) => {
      if (typeof value !== 'string' || !value.trim()) return;
      const r = validateUscc(value);
      if (!r.valid) throw new Error(lang === 'en' ? r.message.en : r.message.zh);
    },
  };
}
