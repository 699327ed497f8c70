import { useEffect, useState } from 'react';
import { get } from '../../api/client';

/**
 * English titles of catalogue fields (`x-title-en`), by item code and field key, from
 * `GET /api/v1/catalog/field-titles`. Loaded once per page load and only when the reader works in
 * English: the Chinese titles arrive with the records themselves.
 */
export type FieldTitles = ReadonlyMap<string, ReadonlyMap<string, string>>;

interface FieldTitlesAnswer {
  items: { code: string; fields: { key: string; zh: string; en: string | null }[] }[];
}

let loaded: FieldTitles | null = null;
let pending: Promise<FieldTitles> | null = null;

export function toFieldTitles(answer: FieldTitlesAnswer): FieldTitles {
  return new Map(
    answer.items.map((i) => [
      i.code,
      new Map(i.fields.filter((f) => f.en).map((f) => [f.key, f.en as string])),
    ]),
  );
}

function load(): Promise<FieldTitles> {
  pending ??= get<FieldTitlesAnswer>('/api/v1/catalog/field-titles').then(
    (a) => (loaded = toFieldTitles(a)),
    (e: unknown) => {
      pending = null; // a later render may try again
      throw e;
    },
  );
  return pending;
}

/** The English titles when `enabled` (the language is English), else null. */
export function useEnglishFieldTitles(enabled: boolean): FieldTitles | null {
  const [titles, setTitles] = useState<FieldTitles | null>(loaded);
  useEffect(() => {
    if (!enabled || titles) return;
    let live = true;
    load().then(
      (t) => live && setTitles(t),
      () => undefined, // labels stay in Chinese
    );
    return () => {
      live = false;
    };
  }, [enabled, titles]);
  return enabled ? titles : null;
}

/**
 * The label of a field: in English, the title the record's own item version carries, else the
 * current version's (`titles`), else the catalogue's Chinese title.
 */
export function fieldLabel(
  titles: FieldTitles | null,
  itemCode: string,
  field: { key: string; label: string; labelEn?: string },
): string {
  if (!titles) return field.label;
  return field.labelEn ?? titles.get(itemCode)?.get(field.key) ?? field.label;
}
