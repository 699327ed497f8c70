import { Button, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { get } from '../../api/client';
import { defineMessages } from '../../i18n/lang';
import { useLang } from '../../i18n/LangProvider';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { formatDateTime } from '../../ui/format';
import { useAsync } from '../../ui/useAsync';
import { PageHeader } from '../console/PageHeader';
import { fieldText, purposeText, readerKindText, readTypeText, type ReadView } from './reads';

const m = defineMessages({
  title: { zh: '谁查看了我的信息', en: 'Who read my data' },
  lead: {
    zh: '平台记录每一次对本主体非公开信息的查阅：查阅者、目的、查阅的字段和记录。对不当查阅可向信用主管部门反映。',
    en: 'Every read of non-public data on your subject is recorded: who, for what purpose, which fields and records. Report improper reads to the credit office.',
  },
  at: { zh: '时间', en: 'When' },
  who: { zh: '查阅者', en: 'Who' },
  what: { zh: '查阅内容', en: 'What' },
  purpose: { zh: '目的', en: 'Purpose' },
  none: { zh: '未说明', en: 'Not stated' },
  webhook: { zh: '订阅推送', en: 'Webhook' },
  check: { zh: '核查场景', en: 'Check scenario' },
  fields: { zh: '字段', en: 'Fields' },
  records: { zh: '记录', en: 'Records' },
  more: { zh: '加载更早的记录', en: 'Load earlier reads' },
  empty: { zh: '暂无查阅记录', en: 'No reads recorded' },
});

interface Page {
  items: ReadView[];
  more: boolean;
  nextBefore: number | null;
}

/** /console/my-reads: the subject's own account sees who read its non-public data (issue 7). */
export function MyReadsPage() {
  const { t, pick } = useLang();
  // The pages loaded with "load earlier", after the first; the last page loaded says where to go on.
  const [earlier, setEarlier] = useState<Page[]>([]);
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState<unknown>(null);
  const first = useAsync((signal) => get<Page>('/api/v1/me/reads', { limit: 50 }, signal), []);
  const pages = first.data ? [first.data, ...earlier] : [];
  const items = pages.flatMap((p) => p.items);
  const next = pages.at(-1)?.nextBefore ?? null;

  const loadMore = async () => {
    if (next === null) return;
    setLoadingMore(true);
    setMoreError(null);
    try {
      const page = await get<Page>('/api/v1/me/reads', { limit: 50, before: next });
      setEarlier((e) => [...e, page]);
    } catch (err) {
      setMoreError(err);
    } finally {
      setLoadingMore(false);
    }
  };

  return (
    <div>
      <PageHeader title={t(m.title)}>{t(m.lead)}</PageHeader>
      {first.error ? <ErrorAlert error={first.error} onRetry={first.reload} /> : null}
      <Table<ReadView>
        rowKey="seq"
        size="small"
        loading={first.loading}
        dataSource={items}
        pagination={false}
        scroll={{ x: 720 }}
        locale={{ emptyText: t(m.empty) }}
        columns={[
          { key: 'at', title: t(m.at), width: 170, render: (_, r) => formatDateTime(r.at) },
          {
            key: 'who',
            title: t(m.who),
            render: (_, r) => (
              <div data-testid="reader">
                <div>
                  {r.who.name ?? '—'} <Tag>{t(readerKindText(r.who.kind))}</Tag>
                  {r.who.via === 'webhook' ? <Tag color="blue">{t(m.webhook)}</Tag> : null}
                </div>
                {r.who.department ? (
                  <Typography.Text type="secondary">
                    {pick(r.who.department, r.who.departmentEn)}
                  </Typography.Text>
                ) : null}
              </div>
            ),
          },
          { key: 'what', title: t(m.what), render: (_, r) => t(readTypeText(r.type)) },
          {
            key: 'purpose',
            title: t(m.purpose),
            render: (_, r) => {
              const p = purposeText(r.purpose);
              if (!p) return <Typography.Text type="secondary">{t(m.none)}</Typography.Text>;
              if (!('scenario' in p)) return p.text;
              const name = r.scenario ? pick(r.scenario.nameZh, r.scenario.nameEn) : p.scenario;
              return `${t(m.check)}: ${name}`;
            },
          },
          {
            key: 'detail',
            title: `${t(m.fields)} / ${t(m.records)}`,
            render: (_, r) => (
              <span>
                {r.fields.map((f) => t(fieldText(f))).join(pick('、', ', '))}
                {r.recordIds.length ? ` · ${r.recordIds.map((id) => `#${id}`).join(' ')}` : ''}
              </span>
            ),
          },
        ]}
      />
      {moreError ? <ErrorAlert error={moreError} onRetry={loadMore} /> : null}
      {next !== null ? (
        <Button style={{ marginTop: 12 }} loading={loadingMore} onClick={loadMore}>
          {t(m.more)}
        </Button>
      ) : null}
    </div>
  );
}
