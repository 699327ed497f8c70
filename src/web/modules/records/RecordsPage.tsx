import {
  Button,
  Descriptions,
  Drawer,
  Form,
  Input,
  InputNumber,
  Modal,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useId, useState } from 'react';
import { get, post } from '../../api/client';
import type {
  CatalogItem,
  CatalogItemSummary,
  JsonProp,
  Page,
  RecordDetail,
  RecordHead,
} from '../../api/types';
import { defineMessages } from '../../i18n/lang';
import { useLang } from '../../i18n/LangProvider';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { formatDate, formatDateTime, formatValue } from '../../ui/format';
import { common } from '../../ui/messages';
import { Pager } from '../../ui/Pager';
import { useAsync } from '../../ui/useAsync';
import { FormErrors, useFormSubmit } from '../../ui/useFormSubmit';
import { useSession } from '../accounts/session';
import { PageHeader } from '../console/PageHeader';
import { orderFields } from '../catalog/fieldOrder';
import { changeKindText, type StopRow, stopRows, type VersionRow, versionRows } from './history';
import { severityText, STOP_LABELS, stopKindText } from './labels';
import { correctionBody, isEncrypted, payloadResolver, stopKindsFor } from './recordEdit';
import { recordText } from './RecordCard';

const m = defineMessages({
  title: { zh: '信用记录', en: 'Credit records' },
  lead: {
    zh: '本部门报送的记录（平台管理员和审计员可见全部）。更正会生成新版本并保留历史；撤回后停止公示。',
    en: 'Records your department submitted (administrators and auditors see all). A correction makes a new version and keeps history; a withdrawal stops disclosure.',
  },
  item: { zh: '事项', en: 'Item' },
  allItems: { zh: '全部事项', en: 'All items' },
  docNo: { zh: '文书号', en: 'Document no.' },
  subject: { zh: '主体代码', en: 'Subject code' },
  subjectCol: { zh: '主体', en: 'Subject' },
  status: { zh: '状态', en: 'Status' },
  disclosed: { zh: '公示中', en: 'Disclosed' },
  notDisclosed: { zh: '未公示', en: 'Not disclosed' },
  stopped: { zh: '已停止（{kind}）', en: 'Stopped ({kind})' },
  version: { zh: '版本', en: 'Version' },
  window: { zh: '公示期', en: 'Window' },
  detail: { zh: '详情', en: 'Details' },
  correct: { zh: '更正', en: 'Correct' },
  withdraw: { zh: '撤回', en: 'Withdraw' },
  stop: { zh: '停止公示', en: 'Stop disclosure' },
  reason: { zh: '原因', en: 'Reason' },
  reasonRequired: { zh: '请填写原因（至少 2 个字）', en: 'Give a reason (2 characters or more)' },
  kind: { zh: '方式', en: 'Kind' },
  correctTitle: { zh: '更正记录 #{id}', en: 'Correct record #{id}' },
  stopTitle: { zh: '停止公示记录 #{id}', en: 'Stop disclosing record #{id}' },
  encrypted: {
    zh: '该字段加密保存，更正时请重新填写',
    en: 'This field is stored encrypted; enter it again to correct',
  },
  versions: { zh: '历史版本', en: 'Versions' },
  stops: { zh: '停止记录', en: 'Stops' },
  payload: { zh: '报送内容', en: 'Submitted data' },
  severity: { zh: '严重程度', en: 'Severity' },
  change: { zh: '变更', en: 'Change' },
  recordedAt: { zh: '记录时间', en: 'Recorded at' },
  recordedBy: { zh: '记录人', en: 'Recorded by' },
  effectiveAt: { zh: '生效时间', en: 'Effective at' },
  lifted: { zh: '已于 {at} 解除', en: 'Lifted {at}' },
  done: { zh: '已保存', en: 'Saved' },
});

/**
 * The correction form of a record (one input per catalogue field). By default it posts a
 * correction; `onSubmit` sends the same body elsewhere (e.g. an objection answered by correcting).
 */
export function CorrectForm({
  record,
  onDone,
  onCancel,
  onSubmit,
  initialReason = '',
  title,
}: {
  record: RecordHead;
  onDone(): void;
  onCancel(): void;
  onSubmit?: (body: ReturnType<typeof correctionBody>) => Promise<unknown>;
  initialReason?: string;
  title?: string;
}) {
  const { t, lang } = useLang();
  const [form] = Form.useForm();
  const item = useAsync(
    (signal) =>
      get<CatalogItem>(
        `/api/v1/catalog/items/${encodeURIComponent(record.itemCode)}`,
        { version: record.itemVersion },
        signal,
      ),
    [record.itemCode, record.itemVersion],
  );
  const schema = item.data?.payloadSchema;
  const allProps = schema?.properties ?? {};
  const props = orderFields(Object.keys(allProps), item.data?.keyFields, schema?.required).map(
    (k) => [k, allProps[k] as JsonProp] as const,
  );
  const { submit, busy, general } = useFormSubmit(
    form,
    payloadResolver(props.map(([k]) => k)),
    (v: { payload: Record<string, unknown>; severity?: string | null; reason: string }) =>
      onSubmit
        ? onSubmit(correctionBody(v))
        : post(`/api/v1/records/${record.id}/corrections`, correctionBody(v)),
    onDone,
  );
  if (item.error) return <ErrorAlert error={item.error} onRetry={item.reload} />;
  if (!item.data) return null;
  const initial = {
    payload: Object.fromEntries(Object.entries(record.payload).filter(([, v]) => !isEncrypted(v))),
    severity: record.severity,
    reason: initialReason,
  };
  const input = (p: JsonProp) => {
    const items = p.items && typeof p.items === 'object' ? (p.items as JsonProp) : null;
    if (p.type === 'array') {
      const choices = Array.isArray(items?.enum)
        ? items.enum.map((e) => ({ value: String(e), label: String(e) }))
        : [];
      return <Select mode={choices.length ? 'multiple' : 'tags'} allowClear options={choices} />;
    }
    if (Array.isArray(p.enum))
      return <Select allowClear options={p.enum.map((e) => ({ value: e as string, label: String(e) }))} />;
    if (p.type === 'number' || p.type === 'integer') return <InputNumber style={{ width: '100%' }} />;
    return <Input placeholder={p.format === 'date' ? 'YYYY-MM-DD' : undefined} />;
  };
  return (
    <Modal
      open
      title={title ?? t(m.correctTitle, { id: record.id })}
      okText={t(common.save)}
      cancelText={t(common.cancel)}
      confirmLoading={busy}
      onOk={() => form.submit()}
      onCancel={onCancel}
      width="min(720px, 100vw)"
    >
      <FormErrors messages={general} />
      <Form
        form={form}
        layout="vertical"
        initialValues={initial}
        onFinish={submit}
        data-testid="correct-form"
      >
        {props.map(([key, p]) => (
          <Form.Item
            key={key}
            name={['payload', key]}
            label={`${lang === 'en' && p['x-title-en'] ? p['x-title-en'] : typeof p.title === 'string' ? p.title : key} (${key})`}
            extra={isEncrypted(record.payload[key]) ? t(m.encrypted) : undefined}
          >
            {input(p)}
          </Form.Item>
        ))}
        {item.data.severityRule.kind === 'declared' ? (
          <Form.Item name="severity" label={t(m.severity)}>
            <Select
              options={['MINOR', 'GENERAL', 'SERIOUS'].map((s) => ({
                value: s,
                label: severityText(s, lang),
              }))}
            />
          </Form.Item>
        ) : null}
        <Form.Item
          name="reason"
          label={t(m.reason)}
          rules={[{ required: true, min: 2, message: t(m.reasonRequired) }]}
        >
          <Input.TextArea rows={2} maxLength={500} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function StopForm({
  record,
  kinds,
  onDone,
  onCancel,
}: {
  record: RecordHead;
  kinds: readonly ('withdrawn' | 'court_order' | 'other')[];
  onDone(): void;
  onCancel(): void;
}) {
  const { t, lang } = useLang();
  const [form] = Form.useForm<{ kind: string; reason: string }>();
  const { submit, busy, general } = useFormSubmit(
    form,
    [['kind'], ['reason'], ['effectiveAt']],
    (v: { kind: string; reason: string }) =>
      post(`/api/v1/records/${record.id}/stops`, { kind: v.kind, reason: v.reason.trim() }),
    onDone,
  );
  return (
    <Modal
      open
      title={t(m.stopTitle, { id: record.id })}
      okText={t(m.stop)}
      okButtonProps={{ danger: true }}
      cancelText={t(common.cancel)}
      confirmLoading={busy}
      onOk={() => form.submit()}
      onCancel={onCancel}
    >
      <FormErrors messages={general} />
      <Form form={form} layout="vertical" initialValues={{ kind: kinds[0], reason: '' }} onFinish={submit}>
        <Form.Item name="kind" label={t(m.kind)}>
          <Select
            options={kinds.map((k) => ({
              value: k,
              label: lang === 'en' ? STOP_LABELS[k].en : STOP_LABELS[k].zh,
            }))}
          />
        </Form.Item>
        <Form.Item
          name="reason"
          label={t(m.reason)}
          rules={[{ required: true, min: 2, whitespace: true, message: t(m.reasonRequired) }]}
        >
          <Input.TextArea rows={3} maxLength={500} data-testid="stop-reason" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function Detail({ id }: { id: number }) {
  const { t, lang } = useLang();
  const d = useAsync((signal) => get<RecordDetail>(`/api/v1/records/${id}`, undefined, signal), [id]);
  if (d.error) return <ErrorAlert error={d.error} onRetry={d.reload} />;
  if (!d.data) return null;
  const r = d.data.record;
  return (
    <div>
      <Descriptions
        size="small"
        column={1}
        bordered
        title={t(m.payload)}
        items={Object.entries(r.payload).map(([k, v]) => ({
          key: k,
          label: k,
          children: isEncrypted(v) ? (
            <Tag>{lang === 'en' ? 'encrypted' : '已加密'}</Tag>
          ) : (
            formatValue(v, lang)
          ),
        }))}
      />
      <Typography.Title level={5} style={{ marginTop: 16 }}>
        {t(m.versions)}
      </Typography.Title>
      <Table<VersionRow>
        data-testid="record-versions"
        rowKey="version"
        size="small"
        pagination={false}
        dataSource={versionRows(d.data.versions)}
        scroll={{ x: 560 }}
        columns={[
          { key: 'v', title: t(m.version), dataIndex: 'version', width: 60 },
          { key: 'kind', title: t(m.change), render: (_, v) => changeKindText(v.changeKind, lang) },
          { key: 'reason', title: t(m.reason), render: (_, v) => v.reason ?? '—' },
          { key: 'at', title: t(m.recordedAt), render: (_, v) => formatDateTime(v.recordedAt) },
          { key: 'by', title: t(m.recordedBy), render: (_, v) => v.recordedBy ?? '—' },
        ]}
      />
      {d.data.stops.length ? (
        <>
          <Typography.Title level={5} style={{ marginTop: 16 }}>
            {t(m.stops)}
          </Typography.Title>
          <Table<StopRow>
            data-testid="record-stops"
            rowKey={(s) => `${s.kind}|${s.effectiveAt}|${s.recordedAt}`}
            size="small"
            pagination={false}
            dataSource={stopRows(d.data.stops)}
            scroll={{ x: 560 }}
            columns={[
              {
                key: 'kind',
                title: t(m.kind),
                render: (_, s) => (
                  <>
                    {stopKindText(s.kind, lang)}
                    {s.liftedAt ? (
                      <Tag style={{ marginLeft: 4 }}>{t(m.lifted, { at: formatDateTime(s.liftedAt) })}</Tag>
                    ) : null}
                  </>
                ),
              },
              { key: 'reason', title: t(m.reason), render: (_, s) => s.reason ?? '—' },
              { key: 'eff', title: t(m.effectiveAt), render: (_, s) => formatDateTime(s.effectiveAt) },
              { key: 'at', title: t(m.recordedAt), render: (_, s) => formatDateTime(s.recordedAt) },
              { key: 'by', title: t(m.recordedBy), render: (_, s) => s.recordedBy ?? '—' },
            ]}
          />
        </>
      ) : null}
    </div>
  );
}

const PAGE = 50;

export function RecordsPage() {
  const { t, lang, pick } = useLang();
  const session = useSession();
  const canWrite = session.hasRole('dept_officer', 'platform_admin');
  const kinds = stopKindsFor(session.me?.user.roles ?? []);
  const [filters, setFilters] = useState<{ itemCode?: string; docNo?: string; subject?: string }>({});
  const [page, setPage] = useState(1);
  const [docNo, setDocNo] = useState('');
  const [subject, setSubject] = useState('');
  const [viewing, setViewing] = useState<number | null>(null);
  const [correcting, setCorrecting] = useState<RecordHead | null>(null);
  const [stopping, setStopping] = useState<RecordHead | null>(null);
  const ids = { item: useId(), doc: useId(), subj: useId() };
  const items = useAsync(
    (signal) => get<CatalogItemSummary[]>('/api/v1/catalog/items', undefined, signal),
    [],
  );
  const list = useAsync(
    (signal) =>
      get<Page<RecordHead>>(
        '/api/v1/records',
        { ...filters, limit: PAGE, offset: (page - 1) * PAGE },
        signal,
      ),
    [filters.itemCode, filters.docNo, filters.subject, page],
  );
  const itemName = (code: string) => {
    const i = items.data?.find((x) => x.code === code);
    return i ? pick(i.nameZh, i.nameEn) : code;
  };
  const done = () => {
    setCorrecting(null);
    setStopping(null);
    list.reload();
  };
  return (
    <div>
      <PageHeader title={t(m.title)}>{t(m.lead)}</PageHeader>
      <form
        className="xy-filters"
        onSubmit={(e) => {
          e.preventDefault();
          setPage(1);
          setFilters((f) => ({
            ...f,
            docNo: docNo.trim() || undefined,
            subject: subject.trim() || undefined,
          }));
        }}
      >
        <div className="xy-field">
          <label htmlFor={ids.item}>{t(m.item)}</label>
          <Select
            id={ids.item}
            allowClear
            placeholder={t(m.allItems)}
            value={filters.itemCode}
            onChange={(itemCode?: string) => {
              setPage(1);
              setFilters((f) => ({ ...f, itemCode }));
            }}
            options={(items.data ?? []).map((i) => ({ value: i.code, label: pick(i.nameZh, i.nameEn) }))}
          />
        </div>
        <div className="xy-field">
          <label htmlFor={ids.doc}>{t(m.docNo)}</label>
          <Input id={ids.doc} value={docNo} onChange={(e) => setDocNo(e.target.value)} allowClear />
        </div>
        <div className="xy-field">
          <label htmlFor={ids.subj}>{t(m.subject)}</label>
          <Input id={ids.subj} value={subject} onChange={(e) => setSubject(e.target.value)} allowClear />
        </div>
        <Button type="primary" htmlType="submit">
          {t(common.search)}
        </Button>
      </form>
      {list.error ? <ErrorAlert error={list.error} onRetry={list.reload} /> : null}
      <Table<RecordHead>
        data-testid="records-table"
        rowKey="id"
        size="middle"
        loading={list.loading}
        dataSource={list.data?.items ?? []}
        pagination={false}
        scroll={{ x: 1060 }}
        columns={[
          { key: 'id', title: 'ID', dataIndex: 'id', width: 70 },
          {
            key: 'subject',
            title: t(m.subjectCol),
            render: (_, r) => (
              <a href={`/subjects/S${r.subjectId}`} target="_blank" rel="noreferrer">
                S{r.subjectId}
              </a>
            ),
          },
          { key: 'item', title: t(m.item), render: (_, r) => itemName(r.itemCode) },
          { key: 'docNo', title: t(recordText.docNo), dataIndex: 'docNo' },
          { key: 'date', title: t(recordText.decisionDate), render: (_, r) => formatDate(r.decisionDate) },
          { key: 'sev', title: t(m.severity), render: (_, r) => severityText(r.severity, lang) },
          {
            key: 'window',
            title: t(m.window),
            render: (_, r) =>
              `${formatDate(r.windowFrom)} – ${r.windowUntil ? formatDate(r.windowUntil) : t(common.longTerm)}`,
          },
          { key: 'v', title: t(m.version), dataIndex: 'version', width: 70 },
          {
            key: 'status',
            title: t(m.status),
            render: (_, r) =>
              r.stopKind ? (
                <Tag>{t(m.stopped, { kind: stopKindText(r.stopKind, lang) })}</Tag>
              ) : r.disclosedNow ? (
                <Tag color="green">{t(m.disclosed)}</Tag>
              ) : (
                <Tag>{t(m.notDisclosed)}</Tag>
              ),
          },
          {
            key: 'actions',
            title: t(common.actions),
            fixed: 'right',
            render: (_, r) => (
              <Space size={4} wrap>
                <Button size="small" onClick={() => setViewing(r.id)}>
                  {t(m.detail)}
                </Button>
                {canWrite && !r.stopKind ? (
                  <>
                    <Button size="small" onClick={() => setCorrecting(r)} data-testid={`correct-${r.id}`}>
                      {t(m.correct)}
                    </Button>
                    <Button
                      size="small"
                      danger
                      onClick={() => setStopping(r)}
                      data-testid={`withdraw-${r.id}`}
                    >
                      {kinds.length > 1 ? t(m.stop) : t(m.withdraw)}
                    </Button>
                  </>
                ) : null}
              </Space>
            ),
          },
        ]}
      />
      {list.data ? <Pager page={page} more={list.data.more} onChange={setPage} /> : null}
      <Drawer
        open={viewing !== null}
        onClose={() => setViewing(null)}
        size="min(720px, 100vw)"
        title={viewing ? `${t(m.detail)} #${viewing}` : ''}
      >
        {viewing ? <Detail id={viewing} /> : null}
      </Drawer>
      {correcting ? (
        <CorrectForm record={correcting} onDone={done} onCancel={() => setCorrecting(null)} />
      ) : null}
      {stopping ? (
        <StopForm record={stopping} kinds={kinds} onDone={done} onCancel={() => setStopping(null)} />
      ) : null}
    </div>
  );
}
