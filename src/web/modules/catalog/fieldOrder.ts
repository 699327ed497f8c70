/**
 * A readable order for an item's fields. Stored schemas lose their key order (PostgreSQL jsonb
 * sorts keys), so forms order them as the templates do: the subject and the document first, then
 * required fields, then the rest, 备注 (remarks) last.
 */
export function orderFields(
  keys: readonly string[],
  keyFields: Readonly<Record<string, string | undefined>> | undefined,
  required: readonly string[] = [],
): string[] {
  const kf = keyFields ?? {};
  const lead = [
    kf.subjectName,
    kf.subjectCategory,
    kf.subjectUscc,
    kf.subjectIdType,
    kf.subjectIdNo,
    kf.docNo,
    kf.decisionDate,
  ];
  const rank = (k: string): number => {
    const j = lead.indexOf(k);
    if (j >= 0) return j;
    if (k === 'BZ') return 3000;
    return required.includes(k) ? 1000 : 2000;
  };
  return [...keys].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}
