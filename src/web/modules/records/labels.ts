import { LEGAL_BASIS_RANKS } from '../../../domain/catalog/ranks';
import { SEVERITY_LABELS } from '../../../domain/catalog/rules';
import type { LegalBasisEntry } from '../../api/types';
import type { Lang } from '../../i18n/lang';

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The legal basis of a record as the API gives it (stored JSON): a list of instruments. */
export function legalBasisList(raw: unknown): LegalBasisEntry[] {
  const list = Array.isArray(raw) ? raw : isRecord(raw) ? [raw] : [];
  const out: LegalBasisEntry[] = [];
  for (const b of list) {
    if (typeof b === 'string' && b.trim()) out.push({ instrument: b.trim() });
    else if (isRecord(b) && typeof b.instrument === 'string' && b.instrument.trim())
      out.push({
        instrument: b.instrument.trim(),
        ...(typeof b.article === 'string' && b.article ? { article: b.article } : {}),
        ...(typeof b.rank === 'string' ? { rank: b.rank } : {}),
        ...(typeof b.note === 'string' && b.note ? { note: b.note } : {}),
      });
  }
  return out;
}

export function rankText(rank: string | undefined, lang: Lang): string {
  const r = LEGAL_BASIS_RANKS.find((x) => x.code === rank);
  if (!r) return rank ?? '';
  return lang === 'en' ? r.en : r.zh;
}

/** `《中华人民共和国行政处罚法》第四十八条` / `… art. 第四十八条`. */
export function legalBasisText(b: LegalBasisEntry, lang: Lang): string {
  const article = b.article ? (lang === 'en' ? `, ${b.article}` : b.article) : '';
  return `${b.instrument}${article}`;
}

export function severityText(severity: string | null | undefined, lang: Lang): string {
  if (!severity) return '';
  const l = SEVERITY_LABELS[severity as keyof typeof SEVERITY_LABELS];
  if (!l) return severity;
  return lang === 'en' ? l.en : l.zh;
}

export function severityColor(severity: string | null | undefined): string | undefined {
  return severity === 'SERIOUS'
    ? 'red'
    : severity === 'GENERAL'
      ? 'orange'
      : severity === 'MINOR'
        ? 'gold'
        : undefined;
}

/** Why a record stopped showing (the stop kinds of migration 0005). */
export const STOP_LABELS = {
  withdrawn: { zh: '提供部门撤回', en: 'Withdrawn by the provider' },
  court_order: { zh: '法院裁定', en: 'Court order' },
  repaired: { zh: '信用修复', en: 'Credit repair' },
  other: { zh: '其他', en: 'Other' },
};

/** A stop kind in the reader's words; an unknown one as it came. */
export function stopKindText(kind: string, lang: Lang): string {
  const l = (STOP_LABELS as Record<string, { zh: string; en: string } | undefined>)[kind];
  if (!l) return kind;
  return lang === 'en' ? l.en : l.zh;
}
