import { defineMessages, type Msg, codeText } from '../../i18n/lang';
import { formatDate } from '../../ui/format';
import { common } from '../../ui/messages';
import type { EntryView, LegalBasis, ListPeriod } from './types';

export const listText = defineMessages({
  lists: { zh: '信用名单', en: 'Credit lists' },
  basis: { zh: '设列依据', en: 'Legal basis' },
  toConfirm: { zh: '依据待核实', en: 'Basis to be confirmed' },
  entry: { zh: '列入条件', en: 'Entry conditions' },
  exit: { zh: '退出条件', en: 'Exit conditions' },
  publishedIn: { zh: '条件公布文件', en: 'Published in' },
  period: { zh: '期限', en: 'Period' },
  earlyExit: { zh: '提前退出', en: 'Early exit' },
  none: { zh: '无', en: 'None' },
  authority: { zh: '认定单位', en: 'Listing authority' },
  domain: { zh: '领域', en: 'Domain' },
  count: { zh: '在列', en: 'On the list' },
  subject: { zh: '主体', en: 'Subject' },
  decisionNo: { zh: '决定文书号', en: 'Decision' },
  from: { zh: '列入日期', en: 'Listed on' },
  until: { zh: '移出日期', en: 'Until' },
  department: { zh: '认定部门', en: 'Deciding department' },
  facts: { zh: '失信事实', en: 'Facts' },
  parties: { zh: '关联主体', en: 'Related parties' },
  stage: { zh: '程序阶段', en: 'Stage' },
  status: { zh: '状态', en: 'Status' },
  steps: { zh: '程序记录', en: 'Procedure' },
  reasons: { zh: '决定理由', en: 'Reasons' },
  notice: { zh: '告知', en: 'Notice' },
  deadline: { zh: '陈述申辩截止', en: 'Statement deadline' },
  reviewOn: { zh: '复核日期', en: 'Review on' },
  earliest: { zh: '最早可提前退出', en: 'Earliest early exit' },
});

const STAGES: Record<string, Msg> = {
  proposed: { zh: '已提出', en: 'Proposed' },
  notified: { zh: '已告知', en: 'Notified' },
  listed: { zh: '已列入', en: 'Listed' },
  not_listed: { zh: '决定不列入', en: 'Not listed' },
  withdrawn: { zh: '已撤回', en: 'Withdrawn' },
  active: { zh: '在列', en: 'On the list' },
  ended: { zh: '已移出', en: 'Ended' },
  expired: { zh: '期满', en: 'Period ended' },
  pending_effect: { zh: '未生效', en: 'Not yet in effect' },
};

export function stageText(stage: string): Msg {
  return codeText(STAGES, stage);
}

const STEPS: Record<string, Msg> = {
  proposed: { zh: '提出列入', en: 'Proposed' },
  notified: { zh: '送达列入告知书和信用修复告知书', en: 'Notice and credit-repair notice served' },
  statement: { zh: '陈述申辩', en: 'Statement made' },
  statement_waived: { zh: '放弃陈述申辩', en: 'Statement waived' },
  decided: { zh: '作出决定', en: 'Decided' },
  published: { zh: '公示', en: 'Published' },
  withdrawn: { zh: '撤回', en: 'Withdrawn' },
  ended: { zh: '移出', en: 'Ended' },
  period_ended: { zh: '列入期限届满', en: 'Period ran out' },
  review_due: { zh: '到期复核', en: 'Review due' },
};

/** A step of the listing procedure, by its code. */
export function stepText(step: string): Msg {
  return codeText(STEPS, step);
}

export function stageColor(stage: string): string {
  if (stage === 'active' || stage === 'listed') return 'red';
  if (stage === 'proposed' || stage === 'notified') return 'orange';
  return 'default';
}

export function periodText(p: ListPeriod): Msg {
  switch (p.kind) {
    case 'fixed':
      return p.maxMonths && p.maxMonths > (p.months ?? 0)
        ? {
            zh: `${p.months} 个月（最长 ${p.maxMonths} 个月）`,
            en: `${p.months} months (at most ${p.maxMonths})`,
          }
        : { zh: `${p.months} 个月`, en: `${p.months} months` };
    case 'until_performed':
      return p.maxMonths
        ? { zh: `至履行义务，最长 ${p.maxMonths} 个月`, en: `Until performed, at most ${p.maxMonths} months` }
        : { zh: '至履行义务', en: 'Until the obligation is performed' };
    case 'indefinite':
      return {
        zh: `不定期，每 ${p.reviewMonths} 个月复核`,
        en: `Indefinite, reviewed every ${p.reviewMonths} months`,
      };
  }
}

const RANKS: Record<string, Msg> = {
  law: { zh: '法律', en: 'Law' },
  administrative_regulation: { zh: '行政法规', en: 'Administrative regulation' },
  local_regulation: { zh: '地方性法规', en: 'Local regulation' },
  central_policy: { zh: '党中央、国务院政策文件', en: 'Central policy document' },
  departmental_rule: { zh: '部门规章', en: 'Departmental rule' },
  local_government_rule: { zh: '地方政府规章', en: 'Local government rule' },
  normative_document: { zh: '规范性文件', en: 'Normative document' },
};

export function rankText(rank: string): Msg {
  return codeText(RANKS, rank);
}

/** "《…》第…条（法律）" */
export function basisLine(b: LegalBasis, t: (m: Msg) => string): string {
  return `${b.instrument}${b.article ? ` ${b.article}` : ''}（${t(rankText(b.rank))}）`;
}

/** One fact an entry cites: a record (id, item, document number) or a document, and its date. */
export function factLine(f: EntryView['facts'][number]): string {
  const what =
    f.kind === 'record'
      ? `#${f.recordId} ${f.itemCode ?? ''} ${f.docNo ?? ''}`
      : `${f.docNo ?? ''} ${f.title ?? ''}`;
  return `${what} ${f.date ? formatDate(f.date) : ''}`.trim();
}

/** An entry's time on the list: from – until, "no end date" once it runs without one, '—' before it starts. */
export function entryPeriodText(
  e: Pick<EntryView, 'effectiveFrom' | 'effectiveUntil'>,
  t: (m: Msg) => string,
): string {
  const from = e.effectiveFrom ? formatDate(e.effectiveFrom) : '—';
  const until = e.effectiveUntil ? formatDate(e.effectiveUntil) : e.effectiveFrom ? t(common.longTerm) : '—';
  return `${from} – ${until}`;
}
