import { PARTY_ROLE_LABELS, type PartyRole } from '../../../domain/lists/entry';
import { defineMessages, format, type Lang, type Msg } from '../../i18n/lang';
import { severityText } from '../records/labels';

export const measureText = defineMessages({
  title: { zh: '失信惩戒和守信激励措施清单', en: 'Measures inventory' },
  lead: {
    zh: '依法设定的惩戒和激励措施：类别、依据、触发条件、适用场景和解除条件。第一类措施（减损权益或增加义务）须以法律、行政法规或地方性法规为依据。',
    en: 'Measures set by law: class, legal basis, triggers, scenarios and when they lift. Class-1 measures (reducing rights or adding obligations) need a law, administrative regulation or local regulation.',
  },
  code: { zh: '编码', en: 'Code' },
  name: { zh: '措施', en: 'Measure' },
  kind: { zh: '种类', en: 'Kind' },
  cls: { zh: '类别', en: 'Class' },
  basis: { zh: '依据', en: 'Legal basis' },
  triggers: { zh: '触发条件', en: 'Triggers' },
  scenarios: { zh: '适用场景', en: 'Scenarios' },
  bodies: { zh: '实施主体', en: 'Implementing bodies' },
  lift: { zh: '解除', en: 'Lifts' },
  restriction: { zh: '惩戒', en: 'Restriction' },
  incentive: { zh: '激励', en: 'Incentive' },
  clean: { zh: '无严重失信', en: 'No serious dishonesty' },
  reaches: { zh: '及于关联人', en: 'Also reaches' },
});

/** The related-party roles a measure also reaches, in the reader's language ('' when none). */
export function reachesText(
  roles: readonly string[] | undefined,
  pick: (zh: string, en: string) => string,
): string {
  if (!roles?.length) return '';
  return roles
    .map((role) => {
      const l = PARTY_ROLE_LABELS[role as PartyRole];
      return l ? pick(l.zh, l.en) : role;
    })
    .join(pick('、', ', '));
}

export const CLASS_TEXT: Record<number, Msg> = {
  1: { zh: '第一类：减损权益或增加义务', en: 'Class 1: reduces rights or adds obligations' },
  2: { zh: '第二类：履职管理措施', en: 'Class 2: management measure' },
  3: { zh: '第三类：市场、社会自主实施', en: 'Class 3: taken by market or social actors' },
};

export const OUTCOME_TEXT: Record<string, Msg> = {
  allow: { zh: '通过', en: 'Allow' },
  restrict: { zh: '限制', en: 'Restrict' },
  review: { zh: '审查', en: 'Review' },
};

export function outcomeColor(o: string): string {
  return o === 'restrict' ? 'red' : o === 'review' ? 'orange' : 'green';
}

/** A list type's names, as the list endpoints give them. */
export interface ListName {
  code: string;
  nameZh: string;
  nameEn: string;
}

/** List names by code, for `triggerText` (a code given twice keeps its last entry). */
export function listNameMap(types: readonly ListName[] | null | undefined): ReadonlyMap<string, ListName> {
  return new Map((types ?? []).map((x) => [x.code, x]));
}

/**
 * A measure's trigger in the reader's language: the list's name (its code when the page does not
 * know the list, e.g. a non-public one), the item with its least severity, or the clean-record
 * condition.
 */
export function triggerText(
  tr: { kind: string; listType?: string; itemCode?: string; minSeverity?: string },
  lang: Lang,
  lists?: ReadonlyMap<string, ListName>,
): string {
  if (tr.kind === 'list') {
    const code = tr.listType ?? '';
    const l = lists?.get(code);
    if (!l) return code;
    return (lang === 'en' ? l.nameEn || l.nameZh : l.nameZh || l.nameEn) || code;
  }
  if (tr.kind === 'record')
    return `${tr.itemCode ?? ''}${tr.minSeverity ? ` ≥ ${severityText(tr.minSeverity, lang)}` : ''}`;
  if (tr.kind === 'clean_record') return format(measureText.clean, lang);
  return tr.kind;
}
