import type { CatalogItem } from '../../api/types';
import type { Msg } from '../../i18n/lang';

/** Titles of the fields an item discloses publicly, in schema order. */
export function publicFieldTitles(item: Pick<CatalogItem, 'payloadSchema' | 'fieldVisibility'>): string[] {
  const props = item.payloadSchema.properties ?? {};
  return Object.entries(props)
    .filter(([key, p]) => item.fieldVisibility[key] === 'public' && p['x-sensitive'] !== true)
    .map(([key, p]) => (typeof p.title === 'string' && p.title ? p.title : key));
}

export function periodText(rule: CatalogItem['periodRule'] | undefined): Msg {
  switch (rule?.kind) {
    case 'fixed':
      return {
        zh: `自决定之日起 ${rule.months ?? '?'} 个月`,
        en: `${rule.months ?? '?'} months from the decision`,
      };
    case 'validity':
      return { zh: '至许可有效期届满', en: 'Until the licence expires' };
    case 'permanent':
      return { zh: '长期公示', en: 'Disclosed without end date' };
    case 'severity':
      return {
        zh: '按严重程度：轻微不公示，一般最长 1 年，严重最长 3 年（信用修复后可提前停止）',
        en: 'By severity: minor not disclosed, general up to 1 year, serious up to 3 years (credit repair may end it earlier)',
      };
    default:
      return { zh: '—', en: '—' };
  }
}
