import { Card, Descriptions, Empty, Skeleton, Space, Tag, Typography, type TabsProps } from 'antd';
import { Link } from 'react-router';
import { get } from '../../api/client';
import { defineMessages } from '../../i18n/lang';
import { useLang } from '../../i18n/LangProvider';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { useAsync } from '../../ui/useAsync';
import { basisLine, entryPeriodText, listText } from './labels';
import type { EntryView } from './types';

/** The subject page's tab key (`?tab=lists`). */
export const LISTS_TAB_KEY = 'lists';

const m = defineMessages({
  tab: { zh: '名单信息', en: 'Lists' },
  none: {
    zh: '该主体当前不在任何公示的信用名单上',
    en: 'This subject is not on any published credit list',
  },
  noneAt: {
    zh: '该主体在所选日期不在任何公示的信用名单上',
    en: 'This subject was not on any published credit list on the chosen date',
  },
  red: { zh: '守信激励', en: 'Incentive (red list)' },
  dishonest: { zh: '失信名单', en: 'Dishonesty list' },
  note: {
    zh: '仅显示已公示且在列的记录；退出名单后不再显示。',
    en: 'Only published entries still on a list are shown; an entry leaves this page when it ends.',
  },
});

export interface SubjectListEntries {
  at: string;
  items: EntryView[];
}

export function loadSubjectLists(
  ref: string,
  at: string | undefined,
  signal?: AbortSignal,
): Promise<SubjectListEntries> {
  return get<SubjectListEntries>(
    `/api/v1/public/subjects/${encodeURIComponent(ref)}/list-entries`,
    { at },
    signal,
  );
}

/** The entries a subject has on public lists (at the page's instant), one card each. */
export function SubjectListsTab({ items, past }: { items: EntryView[]; past: boolean }) {
  const { t, pick } = useLang();
  if (!items.length) return <Empty description={t(past ? m.noneAt : m.none)} />;
  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }} data-testid="subject-lists">
      {items.map((e) => (
        <Card
          key={e.id}
          size="small"
          data-testid="subject-list-entry"
          title={
            <Link to={`/lists/${encodeURIComponent(e.listType.code)}`}>
              {pick(e.listType.nameZh, e.listType.nameEn)}
            </Link>
          }
          extra={
            <Tag color={e.listType.kind === 'red' ? 'green' : 'red'}>
              {t(e.listType.kind === 'red' ? m.red : m.dishonest)}
            </Tag>
          }
        >
          <Descriptions
            column={1}
            size="small"
            items={[
              { key: 'facts', label: t(listText.facts), children: e.summary },
              {
                key: 'dept',
                label: t(listText.department),
                children: pick(e.department.name ?? '—', e.department.nameEn),
              },
              {
                key: 'decision',
                label: t(listText.decisionNo),
                children: e.decision?.decisionNo ?? '—',
              },
              {
                key: 'period',
                label: t(listText.period),
                children: entryPeriodText(e, t),
              },
              {
                key: 'basis',
                label: t(listText.basis),
                children: e.legalBasis.map((b) => <div key={b.instrument}>{basisLine(b, t)}</div>),
              },
              {
                key: 'exit',
                label: t(listText.exit),
                children: pick(e.exitConditions.zh, e.exitConditions.en),
              },
            ]}
          />
        </Card>
      ))}
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {t(m.note)}
      </Typography.Text>
    </Space>
  );
}

type TabItem = NonNullable<TabsProps['items']>[number];

/**
 * The subject page's "lists" tab: loads the subject's current public entries (as of `at` when the
 * page shows a past date) and returns the Tabs item, its label carrying the count.
 */
export function useSubjectListsTab(ref: string, at: string | undefined): TabItem {
  const { t } = useLang();
  const state = useAsync((signal) => loadSubjectLists(ref, at, signal), [ref, at]);
  const n = state.data?.items.length;
  return {
    key: LISTS_TAB_KEY,
    label: n === undefined ? t(m.tab) : `${t(m.tab)} (${n})`,
    children: state.error ? (
      <ErrorAlert error={state.error} onRetry={state.reload} />
    ) : state.data ? (
      <SubjectListsTab items={state.data.items} past={at !== undefined} />
    ) : (
      <Skeleton active paragraph={{ rows: 2 }} />
    ),
  };
}
