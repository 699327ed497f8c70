import {
  Button,
  DatePicker,
  Drawer,
  Form,
  Input,
  InputNumber,
  Modal,
  Radio,
  Select,
  Space,
  Table,
  Tag,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { useState, type ReactNode } from 'react';
import { get, post } from '../../api/client';
import { defineMessages, type Msg } from '../../i18n/lang';
import { useLang } from '../../i18n/LangProvider';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { formatDate, formatDateTime } from '../../ui/format';
import { common } from '../../ui/messages';
import { Pager } from '../../ui/Pager';
import { useAsync } from '../../ui/useAsync';
import { FormErrors, useFormSubmit } from '../../ui/useFormSubmit';
import { useSession } from '../accounts/session';
import { PageHeader } from '../console/PageHeader';
import { EntryDetail } from './EntryDetail';
import { listText, stageColor, stageText } from './labels';
import type { EntryPage, EntryView, ListType } from './types';

const m = defineMessages({
  title: { zh: '名单办理', en: 'List procedures' },
  lead: {
    zh: '提出列入建议（须引用失信事实）→ 告知（列入告知书与信用修复告知书同时送达）→ 陈述申辩 → 决定 → 公示 → 移出。',
    en: 'Propose (citing the facts) → notify (notice and credit-repair notice together) → statement → decision → publication → exit.',
  },
  propose: { zh: '提出列入建议', en: 'Propose an entry' },
  notify: { zh: '告知', en: 'Notify' },
  statement: { zh: '陈述申辩', en: 'Statement' },
  decide: { zh: '决定', en: 'Decide' },
  withdraw: { zh: '撤回', en: 'Withdraw' },
  end: { zh: '移出', en: 'End' },
  listType: { zh: '名单', en: 'List' },
  subjectCode: {
    zh: '主体代码（统一社会信用代码、身份证号码或 S 编号）',
    en: 'Subject code (USCC, ID number or S ref)',
  },
  summary: { zh: '失信行为', en: 'Conduct' },
  recordIds: { zh: '信用记录编号（逗号分隔）', en: 'Record ids (comma-separated)' },
  docNo: { zh: '文书号', en: 'Document number' },
  docTitle: { zh: '文书名称', en: 'Document title' },
  docDate: { zh: '文书日期', en: 'Document date' },
  partyCode: { zh: '关联主体代码（可选）', en: 'Related party code (optional)' },
  partyRole: { zh: '关联角色', en: 'Role' },
  noticeNo: { zh: '列入告知书文号', en: 'Notice number' },
  repairNoticeNo: { zh: '信用修复告知书文号', en: 'Credit-repair notice number' },
  notifiedOn: { zh: '送达日期（默认今天）', en: 'Served on (default today)' },
  text: { zh: '陈述申辩内容', en: 'Statement' },
  waived: { zh: '当事人放弃陈述申辩', en: 'The subject waives its statement' },
  waiverDocNo: {
    zh: '当事人签署的放弃陈述申辩书文号',
    en: 'Number of the waiver the subject signed',
  },
  outcome: { zh: '结论', en: 'Outcome' },
  list: { zh: '列入', en: 'List' },
  notList: { zh: '不予列入', en: 'Do not list' },
  reasons: { zh: '理由', en: 'Reasons' },
  months: { zh: '期限（月，可选）', en: 'Period in months (optional)' },
  reason: { zh: '移出事由', en: 'Ground' },
  note: { zh: '说明', en: 'Note' },
});

const ROLES = [
  'legal_representative',
  'principal_responsible',
  'directly_responsible',
  'actual_controller',
  'affiliate',
  'successor',
];
const END_REASONS: [string, Msg][] = [
  ['early_exit', { zh: '提前退出', en: 'Early exit' }],
  ['repair', { zh: '信用修复', en: 'Credit repair' }],
  ['performed', { zh: '已履行义务', en: 'Obligation performed' }],
  ['court', { zh: '法院裁判', en: 'Court order' }],
  ['other', { zh: '其他', en: 'Other' }],
];

type Action = 'propose' | 'notify' | 'statement' | 'decide' | 'withdraw' | 'end';

interface FormValues {
  [key: string]: unknown;
}

function splitIds(v: unknown): number[] {
  return String(v ?? '')
    .split(/[,，\s]+/)
    .map((x) => Number(x))
    .filter((n) => Number.isInteger(n) && n > 0);
}

/** The request each action sends, built from its form. */
function requestFor(action: Action, entry: EntryView | null, v: FormValues): [string, unknown] {
  const date = (d: unknown) => (d ? (d as Dayjs).format('YYYY-MM-DD') : undefined);
  switch (action) {
    case 'propose': {
      const facts: Record<string, unknown>[] = splitIds(v.recordIds).map((recordId) => ({ recordId }));
      if (v.docNo) facts.push({ docNo: v.docNo, title: v.docTitle || undefined, date: date(v.docDate) });
      const parties = v.partyCode
        ? [{ subject: v.partyCode, role: v.partyRole ?? 'legal_representative' }]
        : undefined;
      return [
        '/api/v1/list-entries',
        { listType: v.listType, subject: v.subject, summary: v.summary, facts, parties },
      ];
    }
    case 'notify':
      return [
        `/api/v1/list-entries/${entry?.id}/notify`,
        { noticeNo: v.noticeNo, repairNoticeNo: v.repairNoticeNo, notifiedOn: date(v.notifiedOn) },
      ];
    case 'statement':
      return [
        `/api/v1/list-entries/${entry?.id}/statement`,
        v.waived ? { waived: true, waiverDocNo: v.waiverDocNo } : { text: v.text },
      ];
    case 'decide':
      return [
        `/api/v1/list-entries/${entry?.id}/decision`,
        {
          outcome: v.outcome,
          decisionNo: v.decisionNo,
          reasons: v.reasons,
          periodMonths: typeof v.periodMonths === 'number' ? v.periodMonths : undefined,
        },
      ];
    case 'withdraw':
      return [`/api/v1/list-entries/${entry?.id}/withdrawal`, { reason: v.reason }];
    case 'end':
      return [`/api/v1/list-entries/${entry?.id}/end`, { reason: v.reason, note: v.note || undefined }];
  }
}

function ActionForm({
  action,
  entry,
  listTypes,
  onDone,
  onCancel,
}: {
  action: Action;
  entry: EntryView | null;
  listTypes: ListType[];
  onDone(): void;
  onCancel(): void;
}) {
  const { t, pick } = useLang();
  const [form] = Form.useForm<FormValues>();
  const fields = [
    'listType',
    'subject',
    'summary',
    'facts',
    'parties',
    'noticeNo',
    'repairNoticeNo',
    'notifiedOn',
    'text',
    'outcome',
    'decisionNo',
    'reasons',
    'periodMonths',
    'reason',
    'note',
  ].map((f) => [f]);
  const { submit, busy, general } = useFormSubmit<FormValues, unknown>(
    form,
    fields,
    (v) => {
      const [path, body] = requestFor(action, entry, v);
      return post(path, body);
    },
    onDone,
  );
  const items: Record<Action, ReactNode> = {
    propose: (
      <>
        <Form.Item name="listType" label={t(m.listType)} rules={[{ required: true }]}>
          <Select
            options={listTypes
              .filter((l) => l.status === 'active')
              .map((l) => ({ value: l.code, label: pick(l.nameZh, l.nameEn) }))}
          />
        </Form.Item>
        <Form.Item name="subject" label={t(m.subjectCode)} rules={[{ required: true }]}>
          <Input maxLength={40} />
        </Form.Item>
        <Form.Item name="summary" label={t(m.summary)} rules={[{ required: true }]}>
          <Input.TextArea rows={3} maxLength={4000} />
        </Form.Item>
        <Form.Item name="recordIds" label={t(m.recordIds)}>
          <Input />
        </Form.Item>
        <Space wrap>
          <Form.Item name="docNo" label={t(m.docNo)}>
            <Input maxLength={200} />
          </Form.Item>
          <Form.Item name="docTitle" label={t(m.docTitle)}>
            <Input maxLength={500} />
          </Form.Item>
          <Form.Item name="docDate" label={t(m.docDate)}>
            <DatePicker />
          </Form.Item>
        </Space>
        <Space wrap>
          <Form.Item name="partyCode" label={t(m.partyCode)}>
            <Input maxLength={40} />
          </Form.Item>
          <Form.Item name="partyRole" label={t(m.partyRole)}>
            <Select style={{ minWidth: 180 }} options={ROLES.map((r) => ({ value: r, label: r }))} />
          </Form.Item>
        </Space>
      </>
    ),
    notify: (
      <>
        <Form.Item name="noticeNo" label={t(m.noticeNo)} rules={[{ required: true }]}>
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item name="repairNoticeNo" label={t(m.repairNoticeNo)} rules={[{ required: true }]}>
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item name="notifiedOn" label={t(m.notifiedOn)}>
          <DatePicker />
        </Form.Item>
      </>
    ),
    statement: (
      <>
        <Form.Item name="waived" initialValue={false}>
          <Radio.Group
            options={[
              { value: false, label: t(m.text) },
              { value: true, label: t(m.waived) },
            ]}
          />
        </Form.Item>
        <Form.Item name="text" label={t(m.text)}>
          <Input.TextArea rows={4} maxLength={20000} />
        </Form.Item>
        {/* A waiver recorded for the subject cites the waiver it signed (the server refuses it otherwise). */}
        <Form.Item noStyle dependencies={['waived']}>
          {({ getFieldValue }) =>
            getFieldValue('waived') === true ? (
              <Form.Item name="waiverDocNo" label={t(m.waiverDocNo)} rules={[{ required: true }]}>
                <Input maxLength={200} />
              </Form.Item>
            ) : null
          }
        </Form.Item>
      </>
    ),
    decide: (
      <>
        <Form.Item name="outcome" label={t(m.outcome)} initialValue="list" rules={[{ required: true }]}>
          <Radio.Group
            options={[
              { value: 'list', label: t(m.list) },
              { value: 'not_list', label: t(m.notList) },
            ]}
          />
        </Form.Item>
        <Form.Item name="decisionNo" label={t(listText.decisionNo)} rules={[{ required: true }]}>
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item name="reasons" label={t(m.reasons)} rules={[{ required: true }]}>
          <Input.TextArea rows={3} maxLength={20000} />
        </Form.Item>
        <Form.Item name="periodMonths" label={t(m.months)}>
          <InputNumber min={1} max={240} />
        </Form.Item>
      </>
    ),
    withdraw: (
      <Form.Item name="reason" label={t(m.reasons)} rules={[{ required: true }]}>
        <Input.TextArea rows={2} maxLength={2000} />
      </Form.Item>
    ),
    end: (
      <>
        <Form.Item name="reason" label={t(m.reason)} rules={[{ required: true }]}>
          <Select options={END_REASONS.map(([value, label]) => ({ value, label: t(label) }))} />
        </Form.Item>
        <Form.Item name="note" label={t(m.note)}>
          <Input.TextArea rows={2} maxLength={2000} />
        </Form.Item>
      </>
    ),
  };
  return (
    <Form form={form} layout="vertical" onFinish={submit}>
      <FormErrors messages={general} />
      {items[action]}
      <Space>
        <Button type="primary" htmlType="submit" loading={busy}>
          {t(common.submit)}
        </Button>
        <Button onClick={onCancel}>{t(common.cancel)}</Button>
      </Space>
    </Form>
  );
}

export function ListEntriesConsole() {
  const { t, pick } = useLang();
  const session = useSession();
  const [page, setPage] = useState(1);
  const [stage, setStage] = useState<string | undefined>();
  const [action, setAction] = useState<{ action: Action; entry: EntryView | null } | null>(null);
  const [detail, setDetail] = useState<number | null>(null);
  const size = 50;
  const entries = useAsync(
    (signal) =>
      get<EntryPage>('/api/v1/list-entries', { stage, limit: size, offset: (page - 1) * size }, signal),
    [stage, page],
  );
  const types = useAsync((signal) => get<ListType[]>('/api/v1/list-types', undefined, signal), []);
  const shown = useAsync(
    (signal) =>
      detail ? get<EntryView>(`/api/v1/list-entries/${detail}`, undefined, signal) : Promise.resolve(null),
    [detail],
  );
  const officer = session.hasRole('dept_officer');
  const reviewer = session.hasRole('dept_reviewer');
  const actionsFor = (e: EntryView): [Action, Msg][] => {
    const out: [Action, Msg][] = [];
    if (e.stage === 'proposed' && officer) out.push(['notify', m.notify]);
    if (e.stage === 'notified' && reviewer && !e.statementAt && !e.waivedAt)
      out.push(['statement', m.statement]);
    if (e.stage === 'notified' && (officer || reviewer)) out.push(['decide', m.decide]);
    if ((e.stage === 'proposed' || e.stage === 'notified') && officer) out.push(['withdraw', m.withdraw]);
    if (e.status === 'active' && (officer || reviewer)) out.push(['end', m.end]);
    return out;
  };
  const labels: Record<Action, Msg> = {
    propose: m.propose,
    notify: m.notify,
    statement: m.statement,
    decide: m.decide,
    withdraw: m.withdraw,
    end: m.end,
  };
  return (
    <div>
      <PageHeader
        title={t(m.title)}
        extra={
          officer ? (
            <Button type="primary" onClick={() => setAction({ action: 'propose', entry: null })}>
              {t(m.propose)}
            </Button>
          ) : null
        }
      >
        {t(m.lead)}
      </PageHeader>
      <Space style={{ marginBottom: 12 }}>
        <Select
          allowClear
          placeholder={t(listText.stage)}
          style={{ minWidth: 160 }}
          value={stage}
          onChange={(v: string | undefined) => {
            setPage(1);
            setStage(v);
          }}
          options={['proposed', 'notified', 'listed', 'not_listed', 'withdrawn'].map((s) => ({
            value: s,
            label: t(stageText(s)),
          }))}
        />
      </Space>
      {entries.error ? <ErrorAlert error={entries.error} onRetry={entries.reload} /> : null}
      <Table<EntryView>
        rowKey="id"
        loading={entries.loading}
        dataSource={entries.data?.items ?? []}
        pagination={false}
        scroll={{ x: 860 }}
        columns={[
          { key: 'id', title: '#', dataIndex: 'id' },
          { key: 'list', title: t(m.listType), render: (_, e) => pick(e.listType.nameZh, e.listType.nameEn) },
          { key: 'subject', title: t(listText.subject), render: (_, e) => e.subject.name },
          {
            key: 'status',
            title: t(listText.status),
            render: (_, e) => <Tag color={stageColor(e.status)}>{t(stageText(e.status))}</Tag>,
          },
          {
            key: 'deadline',
            title: t(listText.deadline),
            render: (_, e) => (e.notice?.statementDeadline ? formatDate(e.notice.statementDeadline) : '—'),
          },
          { key: 'proposed', title: t(m.propose), render: (_, e) => formatDateTime(e.proposedAt) },
          {
            key: 'actions',
            title: t(common.actions),
            render: (_, e) => (
              <Space wrap>
                <Button size="small" onClick={() => setDetail(e.id)}>
                  {t(common.view)}
                </Button>
                {actionsFor(e).map(([a, label]) => (
                  <Button key={a} size="small" onClick={() => setAction({ action: a, entry: e })}>
                    {t(label)}
                  </Button>
                ))}
              </Space>
            ),
          },
        ]}
      />
      <Pager page={page} more={entries.data?.more ?? false} onChange={setPage} />
      <Modal
        open={action !== null}
        title={action ? t(labels[action.action]) : ''}
        footer={null}
        onCancel={() => setAction(null)}
        destroyOnHidden
        width={640}
      >
        {action ? (
          <ActionForm
            action={action.action}
            entry={action.entry}
            listTypes={types.data ?? []}
            onCancel={() => setAction(null)}
            onDone={() => {
              setAction(null);
              entries.reload();
            }}
          />
        ) : null}
      </Modal>
      <Drawer open={detail !== null} onClose={() => setDetail(null)} width={680} title={`#${detail ?? ''}`}>
        {shown.error ? <ErrorAlert error={shown.error} /> : null}
        {shown.data ? <EntryDetail entry={shown.data} /> : null}
      </Drawer>
    </div>
  );
}
