import { Button, DatePicker, Input, InputNumber, Select, Table, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useEffect, useId, useState } from 'react';
import { get } from '../../api/client';
import type { AuditEvent } from '../../api/types';
import { defineMessages } from '../../i18n/lang';
import { useLang } from '../../i18n/LangProvider';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { formatDateTime } from '../../ui/format';
import { common } from '../../ui/messages';
import { PageHeader } from '../console/PageHeader';
import { eventQuery, type EventFilters } from './eventQuery';

const m = defineMessages({
  title: { zh: '事件日志', en: 'Event log' },
  lead: {
    zh: '平台每一次状态变更和每一次非公开数据读取都记入只追加的事件日志（只读）。',
    en: 'Every state change and every read of non-public data is written to the append-only event log (read-only).',
  },
  type: { zh: '事件类型（或前缀）', en: 'Event type (or prefix)' },
  entityType: { zh: '对象类型', en: 'Entity type' },
  entityId: { zh: '对象编号', en: 'Entity ID' },
  subjectId: { zh: '主体编号', en: 'Subject ID' },
  actorKind: { zh: '操作者类型', en: 'Actor kind' },
  from: { zh: '起始时间', en: 'From' },
  to: { zh: '截止时间', en: 'To' },
  seq: { zh: '序号', en: 'Seq' },
  at: { zh: '时间', en: 'Time' },
  actor: { zh: '操作者', en: 'Actor' },
  entity: { zh: '对象', en: 'Entity' },
  request: { zh: '请求', en: 'Request' },
  more: { zh: '加载更多', en: 'Load more' },
  any: { zh: '全部', en: 'Any' },
});

interface Response {
  items: AuditEvent[];
  more: boolean;
  nextAfterSeq?: number;
}

export function EventsPage() {
  const { t } = useLang();
  const ids = {
    type: useId(),
    et: useId(),
    eid: useId(),
    sid: useId(),
    ak: useId(),
    from: useId(),
    to: useId(),
  };
  const [draft, setDraft] = useState<EventFilters>({});
  const [filters, setFilters] = useState<EventFilters>({});
  const [rows, setRows] = useState<AuditEvent[]>([]);
  const [more, setMore] = useState(false);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const load = async (f: EventFilters, afterSeq: number, append: boolean) => {
    setLoading(true);
    setError(null);
    try {
      const r = await get<Response>('/api/v1/events', eventQuery(f, afterSeq));
      setRows((prev) => (append ? [...prev, ...r.items] : r.items));
      setMore(r.more);
    } catch (err) {
      setError(err);
    } finally {
      setLoading(false);
    }
  };

  useEffect(() => {
    void load(filters, 0, false);
  }, [filters]);

  const set = (patch: Partial<EventFilters>) => setDraft((d) => ({ ...d, ...patch }));
  const dt = (d: Dayjs | null) => (d ? d.toISOString() : undefined);

  return (
    <div>
      <PageHeader title={t(m.title)}>{t(m.lead)}</PageHeader>
      <form
        className="xy-filters"
        onSubmit={(e) => {
          e.preventDefault();
          setFilters({ ...draft });
        }}
      >
        <div className="xy-field">
          <label htmlFor={ids.type}>{t(m.type)}</label>
          <Input
            id={ids.type}
            value={draft.type}
            onChange={(e) => set({ type: e.target.value })}
            placeholder="record"
          />
        </div>
        <div className="xy-field">
          <label htmlFor={ids.et}>{t(m.entityType)}</label>
          <Input id={ids.et} value={draft.entityType} onChange={(e) => set({ entityType: e.target.value })} />
        </div>
        <div className="xy-field">
          <label htmlFor={ids.eid}>{t(m.entityId)}</label>
          <Input id={ids.eid} value={draft.entityId} onChange={(e) => set({ entityId: e.target.value })} />
        </div>
        <div className="xy-field">
          <label htmlFor={ids.sid}>{t(m.subjectId)}</label>
          <InputNumber
            id={ids.sid}
            min={1}
            style={{ width: '100%' }}
            value={draft.subjectId ?? null}
            onChange={(v) => set({ subjectId: typeof v === 'number' ? v : undefined })}
          />
        </div>
        <div className="xy-field">
          <label htmlFor={ids.ak}>{t(m.actorKind)}</label>
          <Select
            id={ids.ak}
            allowClear
            placeholder={t(m.any)}
            value={draft.actorKind}
            onChange={(v?: EventFilters['actorKind']) => set({ actorKind: v })}
            options={(['user', 'apikey', 'system', 'public'] as const).map((k) => ({ value: k, label: k }))}
          />
        </div>
        <div className="xy-field">
          <label htmlFor={ids.from}>{t(m.from)}</label>
          <DatePicker id={ids.from} showTime onChange={(d: Dayjs | null) => set({ from: dt(d) })} />
        </div>
        <div className="xy-field">
          <label htmlFor={ids.to}>{t(m.to)}</label>
          <DatePicker id={ids.to} showTime onChange={(d: Dayjs | null) => set({ to: dt(d) })} />
        </div>
        <Button type="primary" htmlType="submit" data-testid="events-search">
          {t(common.search)}
        </Button>
      </form>
      {error ? <ErrorAlert error={error} onRetry={() => void load(filters, 0, false)} /> : null}
      <Table<AuditEvent>
        data-testid="events-table"
        rowKey="seq"
        size="small"
        loading={loading}
        dataSource={rows}
        pagination={false}
        scroll={{ x: 1000 }}
        expandable={{
          expandedRowRender: (e) => (
            <pre style={{ whiteSpace: 'pre-wrap', fontSize: 12, margin: 0 }}>
              {JSON.stringify(e.payload, null, 2)}
            </pre>
          ),
        }}
        columns={[
          { key: 'seq', title: t(m.seq), dataIndex: 'seq', width: 80 },
          { key: 'at', title: t(m.at), render: (_, e) => formatDateTime(e.at), width: 150 },
          {
            key: 'type',
            title: t(m.type),
            render: (_, e) => <Typography.Text code>{e.type}</Typography.Text>,
          },
          {
            key: 'actor',
            title: t(m.actor),
            render: (_, e) => `${e.actorKind}${e.actorId ? `:${e.actorId}` : ''}`,
          },
          {
            key: 'entity',
            title: t(m.entity),
            render: (_, e) => `${e.entityType ?? ''} ${e.entityId ?? ''}`,
          },
          { key: 'subject', title: t(m.subjectId), render: (_, e) => e.subjectId ?? '' },
          {
            key: 'req',
            title: t(m.request),
            render: (_, e) => <Typography.Text type="secondary">{e.requestId ?? ''}</Typography.Text>,
          },
        ]}
      />
      {more ? (
        <div className="xy-pager">
          <Button loading={loading} onClick={() => void load(filters, rows[rows.length - 1]?.seq ?? 0, true)}>
            {t(m.more)}
          </Button>
        </div>
      ) : null}
    </div>
  );
}
