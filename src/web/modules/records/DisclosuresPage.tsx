import { Button, DatePicker, Descriptions, Input, Select, Table, Tag, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useId, useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { get } from '../../api/client';
import type { DisclosedRecord, Page } from '../../api/types';
import { defineMessages } from '../../i18n/lang';
import { useLang } from '../../i18n/LangProvider';
import { isFutureDate } from '../../ui/asOf';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { formatDate, formatValue } from '../../ui/format';
import { common } from '../../ui/messages';
import { Pager } from '../../ui/Pager';
import { useAsync } from '../../ui/useAsync';
import { useCatalogItems } from '../catalog/CategoryPages';
import {
  SHUANG_GONGSHI_ITEMS,
  disclosureApiQuery,
  queryTooShort,
  readDisclosureParams,
  writeDisclosureParams,
  type DisclosureFilters,
} from './disclosureQuery';
import { severityColor, severityText } from './labels';
import { departmentOptions, usePublicDepartments } from './publicDepartments';
import { recordText } from './RecordCard';

const m = defineMessages({
  title: { zh: '“双公示”信息查询', en: 'Licences and penalties (双公示)' },
  lead: {
    zh: '查询各部门依法公示的行政许可和行政处罚信息。',
    en: 'Administrative licences and penalties disclosed by the departments according to law.',
  },
  q: { zh: '主体名称或代码', en: 'Subject name or code' },
  item: { zh: '信息类型', en: 'Type' },
  allItems: { zh: '全部类型', en: 'All types' },
  department: { zh: '提供部门', en: 'Department' },
  allDepartments: { zh: '全部部门', en: 'All departments' },
  dates: { zh: '决定日期', en: 'Decision date' },
  from: { zh: '开始日期', en: 'From' },
  to: { zh: '结束日期', en: 'To' },
  subject: { zh: '主体', en: 'Subject' },
  until: { zh: '公示截止', en: 'Disclosed until' },
  none: { zh: '没有符合条件的公示信息', en: 'Nothing matches' },
  tooShort: { zh: '请至少输入 2 个字符', en: 'Enter at least 2 characters' },
});

export function DisclosuresPage() {
  const { t, lang, pick } = useLang();
  const [params, setParams] = useSearchParams();
  const f = readDisclosureParams(params);
  const [q, setQ] = useState(f.q);
  useEffect(() => setQ(f.q), [f.q]);
  const ids = { q: useId(), item: useId(), dept: useId(), from: useId(), to: useId() };
  const set = (patch: Partial<DisclosureFilters>) =>
    setParams(writeDisclosureParams({ ...f, page: 1, ...patch }));

  const items = useCatalogItems();
  const result = useAsync(
    (signal) => get<Page<DisclosedRecord>>('/api/v1/public/records', disclosureApiQuery(f), signal),
    [f.q, f.item, f.department, f.from, f.to, f.page],
  );

  // The same list as the public departments page: those providing licences or penalties.
  const departments = usePublicDepartments();
  const deptOptions = departmentOptions(departments.data, SHUANG_GONGSHI_ITEMS, lang === 'en');

  useEffect(() => {
    document.title = `${t(m.title)} · ${t(common.siteName)}`;
  }, [t]);

  const columns = useMemo(
    () => [
      {
        key: 'subject',
        title: t(m.subject),
        render: (_: unknown, r: DisclosedRecord) => (
          <div>
            <Link to={`/subjects/${encodeURIComponent(r.subject.ref)}`}>{r.subject.name}</Link>
            {r.subject.uscc ? (
              <div>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {r.subject.uscc}
                </Typography.Text>
              </div>
            ) : null}
          </div>
        ),
      },
      {
        key: 'item',
        title: t(m.item),
        render: (_: unknown, r: DisclosedRecord) => (
          <span>
            {pick(r.item.nameZh, r.item.nameEn)}{' '}
            {r.severity ? (
              <Tag color={severityColor(r.severity)}>{severityText(r.severity, lang)}</Tag>
            ) : null}
          </span>
        ),
      },
      { key: 'docNo', title: t(recordText.docNo), dataIndex: 'docNo' },
      {
        key: 'decisionDate',
        title: t(recordText.decisionDate),
        render: (_: unknown, r: DisclosedRecord) => formatDate(r.decisionDate),
      },
      {
        key: 'provider',
        title: t(m.department),
        render: (_: unknown, r: DisclosedRecord) =>
          r.provider ? pick(r.provider.name, r.provider.nameEn) : '—',
      },
      {
        key: 'until',
        title: t(m.until),
        render: (_: unknown, r: DisclosedRecord) =>
          r.disclosedUntil ? formatDate(r.disclosedUntil) : t(common.longTerm),
      },
    ],
    [t, lang, pick],
  );

  const dateValue = (v: string | null) => (v ? dayjs(v) : null);
  const dateString = (d: Dayjs | null) => (d ? d.format('YYYY-MM-DD') : null);
  const now = new Date();

  return (
    <div>
      <Typography.Title level={1} style={{ fontSize: 24 }}>
        {t(m.title)}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t(m.lead)}</Typography.Paragraph>
      <form
        className="xy-filters"
        role="search"
        aria-label={t(m.title)}
        onSubmit={(e) => {
          e.preventDefault();
          if (!queryTooShort(q)) set({ q: q.trim() });
        }}
      >
        <div className="xy-field">
          <label htmlFor={ids.q}>{t(m.q)}</label>
          <Input
            id={ids.q}
            value={q}
            onChange={(e) => setQ(e.target.value)}
            maxLength={100}
            allowClear
            status={queryTooShort(q) ? 'error' : undefined}
            aria-describedby={queryTooShort(q) ? `${ids.q}-err` : undefined}
          />
          {queryTooShort(q) ? (
            <Typography.Text type="danger" id={`${ids.q}-err`} style={{ fontSize: 12 }}>
              {t(m.tooShort)}
            </Typography.Text>
          ) : null}
        </div>
        <div className="xy-field">
          <label htmlFor={ids.item}>{t(m.item)}</label>
          <Select
            id={ids.item}
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            placeholder={t(m.allItems)}
            value={f.item ?? undefined}
            onChange={(item?: string) => set({ item: item ?? null })}
            options={(items.data ?? [])
              .filter((i) => SHUANG_GONGSHI_ITEMS.includes(i.code))
              .map((i) => ({ value: i.code, label: pick(i.nameZh, i.nameEn) }))}
          />
        </div>
        <div className="xy-field">
          <label htmlFor={ids.dept}>{t(m.department)}</label>
          <Select
            id={ids.dept}
            allowClear
            placeholder={t(m.allDepartments)}
            value={f.department ?? undefined}
            onChange={(department?: number) => set({ department: department ?? null })}
            options={deptOptions}
            loading={departments.loading}
            showSearch={{ optionFilterProp: 'label' }}
            popupMatchSelectWidth={false}
            style={{ minWidth: 200 }}
            data-testid="filter-department"
          />
        </div>
        <div className="xy-field">
          <label htmlFor={ids.from}>
            {t(m.dates)} · {t(m.from)}
          </label>
          <DatePicker
            id={ids.from}
            value={dateValue(f.from)}
            disabledDate={(d: Dayjs) => isFutureDate(d.format('YYYY-MM-DD'), now)}
            onChange={(d: Dayjs | null) => set({ from: dateString(d) })}
          />
        </div>
        <div className="xy-field">
          <label htmlFor={ids.to}>
            {t(m.dates)} · {t(m.to)}
          </label>
          <DatePicker
            id={ids.to}
            value={dateValue(f.to)}
            disabledDate={(d: Dayjs) => isFutureDate(d.format('YYYY-MM-DD'), now)}
            onChange={(d: Dayjs | null) => set({ to: dateString(d) })}
          />
        </div>
        <div>
          <Button type="primary" htmlType="submit" data-testid="disclosures-search">
            {t(common.search)}
          </Button>{' '}
          <Button onClick={() => setParams(new URLSearchParams())}>{t(common.reset)}</Button>
        </div>
      </form>
      {result.error ? <ErrorAlert error={result.error} onRetry={result.reload} /> : null}
      <Table<DisclosedRecord>
        data-testid="disclosures"
        rowKey="id"
        size="middle"
        loading={result.loading}
        columns={columns}
        dataSource={result.data?.items ?? []}
        pagination={false}
        scroll={{ x: 760 }}
        locale={{ emptyText: t(m.none) }}
        expandable={{
          expandedRowRender: (r) => (
            <Descriptions
              size="small"
              column={{ xs: 1, md: 2 }}
              items={r.fields.map((fl) => ({
                key: fl.key,
                label: fl.label,
                children: formatValue(fl.value, lang),
              }))}
            />
          ),
          rowExpandable: (r) => r.fields.length > 0,
        }}
      />
      {result.data ? (
        <Pager
          page={f.page}
          more={result.data.more}
          onChange={(page) => setParams(writeDisclosureParams({ ...f, page }))}
        />
      ) : null}
    </div>
  );
}
