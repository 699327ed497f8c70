import { Button, Card, Descriptions, Drawer, Input, Space, Table, Tag, Typography } from 'antd';
import { useEffect, useId, useState } from 'react';
import { Link, useParams } from 'react-router';
import { get } from '../../api/client';
import { defineMessages } from '../../i18n/lang';
import { useLang } from '../../i18n/LangProvider';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { formatDate } from '../../ui/format';
import { common } from '../../ui/messages';
import { Pager } from '../../ui/Pager';
import { useAsync } from '../../ui/useAsync';
import { EntryDetail } from './EntryDetail';
import { basisLine, listText, periodText } from './labels';
import type { EntryView, ListType } from './types';

const m = defineMessages({
  lead: {
    zh: '依法设立的严重失信主体名单、经营异常名录和守信激励名单，及其设列依据、列入与退出条件。',
    en: 'Lists set up by law, with their legal basis and their entry and exit conditions.',
  },
  q: {
    zh: '名称或统一社会信用代码（自然人须输入完整身份证号码）',
    en: 'Name or code (natural persons: full ID number)',
  },
  empty: { zh: '没有在列的公示信息', en: 'Nobody on this list matches' },
});

function useTitle(title: string) {
  const { t } = useLang();
  useEffect(() => {
    document.title = `${title} · ${t(common.siteName)}`;
  }, [title, t]);
}

/** /lists: the public lists with their bases and the number on each. */
export function PublicListsPage() {
  const { t, pick } = useLang();
  useTitle(t(listText.lists));
  const lists = useAsync((signal) => get<ListType[]>('/api/v1/public/lists', undefined, signal), []);
  return (
    <div>
      <Typography.Title level={1} style={{ fontSize: 24 }}>
        {t(listText.lists)}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t(m.lead)}</Typography.Paragraph>
      {lists.error ? <ErrorAlert error={lists.error} onRetry={lists.reload} /> : null}
      <Space direction="vertical" style={{ width: '100%' }}>
        {(lists.data ?? []).map((l) => (
          <Card
            key={l.code}
            size="small"
            title={<Link to={`/lists/${encodeURIComponent(l.code)}`}>{pick(l.nameZh, l.nameEn)}</Link>}
            extra={
              <span>
                {t(listText.count)}: {l.activeEntries ?? 0}
              </span>
            }
          >
            <Descriptions column={1} size="small">
              <Descriptions.Item label={t(listText.domain)}>{l.domain}</Descriptions.Item>
              <Descriptions.Item label={t(listText.basis)}>
                {l.legalBasis.map((b) => basisLine(b, t)).join('；')}
                {l.basisStatus === 'to_be_confirmed' ? (
                  <Tag style={{ marginLeft: 8 }}>{t(listText.toConfirm)}</Tag>
                ) : null}
              </Descriptions.Item>
              <Descriptions.Item label={t(listText.period)}>{t(periodText(l.period))}</Descriptions.Item>
            </Descriptions>
          </Card>
        ))}
      </Space>
    </div>
  );
}

/** /lists/:code: one list's conditions and the search of its published entries. */
export function PublicListPage() {
  const { code = '' } = useParams();
  const { t, pick } = useLang();
  const qId = useId();
  const [q, setQ] = useState('');
  const [query, setQuery] = useState('');
  const [page, setPage] = useState(1);
  const [open, setOpen] = useState<EntryView | null>(null);
  const size = 20;
  const res = useAsync(
    (signal) =>
      get<{ listType: ListType; items: EntryView[]; more: boolean }>(
        `/api/v1/public/lists/${encodeURIComponent(code)}/entries`,
        { q: query, limit: size, offset: (page - 1) * size },
        signal,
      ),
    [code, query, page],
  );
  const l = res.data?.listType;
  useTitle(l ? pick(l.nameZh, l.nameEn) : t(listText.lists));
  return (
    <div>
      <Typography.Title level={1} style={{ fontSize: 24 }}>
        {l ? pick(l.nameZh, l.nameEn) : code}
      </Typography.Title>
      {l ? (
        <Descriptions column={1} size="small" bordered style={{ marginBottom: 16 }}>
          <Descriptions.Item label={t(listText.authority)}>
            {pick(l.authority.zh, l.authority.en)}
          </Descriptions.Item>
          <Descriptions.Item label={t(listText.basis)}>
            {l.legalBasis.map((b) => (
              <div key={b.instrument}>{basisLine(b, t)}</div>
            ))}
          </Descriptions.Item>
          <Descriptions.Item label={t(listText.entry)}>
            {pick(l.conditions.entry.zh, l.conditions.entry.en)}
          </Descriptions.Item>
          <Descriptions.Item label={t(listText.exit)}>
            {pick(l.conditions.exit.zh, l.conditions.exit.en)}
          </Descriptions.Item>
          <Descriptions.Item label={t(listText.publishedIn)}>
            {l.conditions.publishedIn || '—'}
          </Descriptions.Item>
          <Descriptions.Item label={t(listText.period)}>{t(periodText(l.period))}</Descriptions.Item>
          <Descriptions.Item label={t(listText.earlyExit)}>
            {l.earlyExit ? pick(l.earlyExit.conditions.zh, l.earlyExit.conditions.en) : t(listText.none)}
          </Descriptions.Item>
        </Descriptions>
      ) : null}
      <form
        className="xy-filters"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          setPage(1);
          setQuery(q.trim());
        }}
      >
        <div className="xy-field">
          <label htmlFor={qId}>{t(m.q)}</label>
          <Input id={qId} value={q} onChange={(e) => setQ(e.target.value)} maxLength={100} allowClear />
        </div>
        <Button type="primary" htmlType="submit">
          {t(common.search)}
        </Button>
      </form>
      {res.error ? <ErrorAlert error={res.error} onRetry={res.reload} /> : null}
      <Table<EntryView>
        rowKey="id"
        loading={res.loading}
        dataSource={res.data?.items ?? []}
        pagination={false}
        scroll={{ x: 640 }}
        locale={{ emptyText: t(m.empty) }}
        onRow={(r) => ({ onClick: () => setOpen(r), style: { cursor: 'pointer' } })}
        columns={[
          {
            key: 'subject',
            title: t(listText.subject),
            render: (_, r) => (
              <div>
                {r.subject.name}
                <div>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {r.subject.uscc ?? r.subject.idMasked}
                  </Typography.Text>
                </div>
              </div>
            ),
          },
          { key: 'decision', title: t(listText.decisionNo), render: (_, r) => r.decision?.decisionNo ?? '—' },
          { key: 'from', title: t(listText.from), render: (_, r) => formatDate(r.effectiveFrom) },
          {
            key: 'until',
            title: t(listText.until),
            render: (_, r) => (r.effectiveUntil ? formatDate(r.effectiveUntil) : t(common.longTerm)),
          },
          {
            key: 'dept',
            title: t(listText.department),
            render: (_, r) => pick(r.department.name ?? '—', r.department.nameEn),
          },
        ]}
      />
      <Pager page={page} more={res.data?.more ?? false} onChange={setPage} />
      <Drawer open={open !== null} onClose={() => setOpen(null)} width={640} title={open?.subject.name}>
        {open ? <EntryDetail entry={open} /> : null}
      </Drawer>
    </div>
  );
}
