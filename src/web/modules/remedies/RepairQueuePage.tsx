import { Button, Form, Input, Modal, Radio, Space, Switch, Table, Tabs, Tag, Typography } from 'antd';
import { useState } from 'react';
import { get, post } from '../../api/client';
import { defineMessages, pick } from '../../i18n/lang';
import { useLang } from '../../i18n/LangProvider';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { useAsync } from '../../ui/useAsync';
import { useSession } from '../accounts/session';
import { PageHeader } from '../console/PageHeader';
import type { RecordDetail, RecordHead } from '../../api/types';
import { CorrectForm } from '../records/RecordsPage';
import {
  GROUND_LABELS,
  deadlineText,
  objectionTarget,
  statusColor,
  type Application,
  type Objection,
} from './remedies';

const m = defineMessages({
  title: { zh: '修复与异议待办', en: 'Repairs and objections to handle' },
  lead: {
    zh: '平台在申请之日起 10 个工作日内转办并答复申请人；认定部门在收到之日起 3 个工作日内作出决定（可说明理由延期一次）。逾期事项标红，并计入监控指标。',
    en: 'The platform forwards within 10 working days of application; the deciding department decides within 3 working days of receipt (one extension, with a reason). Overdue items are red and counted in the metrics.',
  },
  repairs: { zh: '修复申请', en: 'Repair applications' },
  objections: { zh: '异议', en: 'Objections' },
  overdueOnly: { zh: '只看逾期', en: 'Overdue only' },
  target: { zh: '申请修复的信息', en: 'Information' },
  status: { zh: '状态', en: 'Status' },
  deadline: { zh: '期限', en: 'Deadline' },
  forward: { zh: '转办', en: 'Forward' },
  reject: { zh: '不予受理', en: 'Not admissible' },
  extend: { zh: '延期', en: 'Extend' },
  decide: { zh: '决定', en: 'Decide' },
  grant: { zh: '准予修复', en: 'Grant' },
  refuse: { zh: '不予修复', en: 'Refuse' },
  reasons: { zh: '理由', en: 'Reasons' },
  lateReason: { zh: '逾期原因（超过期限时必填）', en: 'Reason for the delay (required after the deadline)' },
  ground: { zh: '事由', en: 'Ground' },
  answer: { zh: '答复', en: 'Answer' },
  confirm: { zh: '维持', en: 'Confirm' },
  withdraw: { zh: '撤回记录', en: 'Withdraw the record' },
  correct: { zh: '更正记录（生成新版本）', en: 'Correct the record (a new version)' },
  correctTitle: { zh: '答复异议 #{id}：更正记录 #{record}', en: 'Objection #{id}: correct record #{record}' },
  record: { zh: '记录', en: 'Record' },
  applicant: { zh: '申请人', en: 'Applicant' },
  self: { zh: '主体本人', en: 'The subject' },
  agent: { zh: '代理人：{name}', en: 'Agent: {name}' },
  statementLabel: { zh: '申请说明', en: 'Statement' },
  files: { zh: '材料', en: 'Materials' },
  noFiles: { zh: '未上传材料', en: 'No files' },
  authorisationFile: { zh: '授权委托书', en: 'Authorisation letter' },
  evidenceFile: { zh: '证明材料', en: 'Evidence' },
  noLetter: {
    zh: '代理申请缺少授权委托书',
    en: 'Agent application without an authorisation letter',
  },
  opened: { zh: '提出日期', en: 'Opened' },
  overturn: { zh: '撤销原决定', en: 'Overturn' },
  correctHint: {
    zh: '请在期限内逐条答复：维持、更正（打开记录的更正表单，生成新版本）或撤回记录。答复结果告知异议人。',
    en: 'Answer each within its deadline: confirm, correct (opens the record’s correction form; a new version) or withdraw the record. The subject is told the outcome.',
  },
});

type Action =
  { kind: 'reject' | 'extend' | 'decide'; app: Application } | { kind: 'resolve'; objection: Objection };

export function RepairQueuePage() {
  const { t, lang } = useLang();
  const { hasRole } = useSession();
  const isAdmin = hasRole('platform_admin');
  const isReviewer = hasRole('dept_reviewer');
  const [overdue, setOverdue] = useState(false);
  const [action, setAction] = useState<Action | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [correcting, setCorrecting] = useState<{
    objection: Objection;
    record: RecordHead;
    reasons: string;
    lateReason?: string;
  } | null>(null);
  const canRepairs = isAdmin || isReviewer || hasRole('auditor');
  const apps = useAsync(
    (signal) =>
      canRepairs ? get<Application[]>('/api/v1/repairs/queue', { overdue }, signal) : Promise.resolve([]),
    [overdue, canRepairs],
  );
  const objections = useAsync(
    (signal) => get<Objection[]>('/api/v1/objections', { overdue, status: 'open' }, signal),
    [overdue],
  );

  const act = async (fn: () => Promise<unknown>) => {
    setError(null);
    try {
      await fn();
      setAction(null);
      apps.reload();
      objections.reload();
    } catch (err) {
      setError(err);
    }
  };

  return (
    <>
      <PageHeader
        title={t(m.title)}
        extra={
          <Space>
            <Switch checked={overdue} onChange={setOverdue} aria-label={t(m.overdueOnly)} />
            {t(m.overdueOnly)}
          </Space>
        }
      >
        {t(m.lead)}
      </PageHeader>
      {error ? <ErrorAlert error={error} /> : null}
      <Tabs
        items={[
          {
            key: 'repairs',
            label: t(m.repairs),
            children: (
              <>
                {apps.error ? <ErrorAlert error={apps.error} onRetry={apps.reload} /> : null}
                <Table<Application>
                  rowKey="id"
                  size="small"
                  loading={apps.loading}
                  dataSource={apps.data ?? []}
                  pagination={false}
                  scroll={{ x: 860 }}
                  rowClassName={(a) => (a.clock.pending?.overdue ? 'xy-row-overdue' : '')}
                  expandable={{ expandedRowRender: (a) => <ApplicationDetail app={a} /> }}
                  columns={[
                    { title: '#', dataIndex: 'id' },
                    { title: t(m.target), render: (_, a) => pick(lang, a.target.label, a.target.labelEn) },
                    {
                      title: t(m.applicant),
                      render: (_, a) =>
                        a.applicant.kind === 'agent' ? (
                          <Tag color="purple" data-testid={`applicant-agent-${a.id}`}>
                            {t(m.agent, { name: a.applicant.agentName ?? '' })}
                          </Tag>
                        ) : (
                          t(m.self)
                        ),
                    },
                    {
                      title: t(m.status),
                      render: (_, a) => (
                        <Tag color={statusColor(a.status)}>
                          {pick(lang, a.statusLabel.zh, a.statusLabel.en)}
                        </Tag>
                      ),
                    },
                    {
                      title: t(m.deadline),
                      render: (_, a) => {
                        const d = deadlineText(a.clock.pending);
                        return d ? (
                          <Typography.Text type={a.clock.pending?.overdue ? 'danger' : undefined}>
                            {t(d)}
                          </Typography.Text>
                        ) : (
                          '—'
                        );
                      },
                    },
                    {
                      title: '',
                      render: (_, a) => (
                        <Space>
                          {isAdmin && a.status === 'submitted' ? (
                            <>
                              <Button
                                size="small"
                                type="primary"
                                onClick={() => act(() => post(`/api/v1/repairs/${a.id}/forward`, {}))}
                              >
                                {t(m.forward)}
                              </Button>
                              <Button size="small" onClick={() => setAction({ kind: 'reject', app: a })}>
                                {t(m.reject)}
                              </Button>
                            </>
                          ) : null}
                          {isReviewer && a.status === 'forwarded' ? (
                            <>
                              <Button
                                size="small"
                                type="primary"
                                onClick={() => setAction({ kind: 'decide', app: a })}
                              >
                                {t(m.decide)}
                              </Button>
                              <Button
                                size="small"
                                disabled={a.clock.extended}
                                onClick={() => setAction({ kind: 'extend', app: a })}
                              >
                                {t(m.extend)}
                              </Button>
                            </>
                          ) : null}
                        </Space>
                      ),
                    },
                  ]}
                />
              </>
            ),
          },
          {
            key: 'objections',
            label: t(m.objections),
            children: (
              <>
                <Typography.Paragraph type="secondary">{t(m.correctHint)}</Typography.Paragraph>
                <Table<Objection>
                  rowKey="id"
                  size="small"
                  loading={objections.loading}
                  dataSource={objections.data ?? []}
                  pagination={false}
                  scroll={{ x: 760 }}
                  columns={[
                    { title: '#', dataIndex: 'id' },
                    {
                      title: t(m.record),
                      render: (_, o) => t(objectionTarget(o)),
                    },
                    { title: t(m.opened), dataIndex: 'openedOn' },
                    {
                      title: t(m.ground),
                      render: (_, o) =>
                        GROUND_LABELS[o.ground]
                          ? t(GROUND_LABELS[o.ground] as { zh: string; en: string })
                          : o.ground,
                    },
                    { title: t(m.reasons), dataIndex: 'statement' },
                    {
                      title: t(m.deadline),
                      render: (_, o) => (
                        <Typography.Text type={o.overdue ? 'danger' : undefined}>{o.due}</Typography.Text>
                      ),
                    },
                    {
                      title: '',
                      render: (_, o) => (
                        <Button
                          size="small"
                          onClick={() => setAction({ kind: 'resolve', objection: o })}
                          data-testid={`answer-objection-${o.id}`}
                        >
                          {t(m.answer)}
                        </Button>
                      ),
                    },
                  ]}
                />
              </>
            ),
          },
        ]}
      />
      {action ? (
        <ActionModal
          action={action}
          onCancel={() => setAction(null)}
          onSubmit={(url, body) => act(() => post(url, body))}
          onCorrect={(objection, reasons, lateReason) =>
            act(async () => {
              const detail = await get<RecordDetail>(`/api/v1/records/${objection.recordId}`);
              setCorrecting({ objection, record: detail.record, reasons, lateReason });
            })
          }
        />
      ) : null}
      {correcting ? (
        <CorrectForm
          record={correcting.record}
          initialReason={correcting.reasons}
          title={t(m.correctTitle, { id: correcting.objection.id, record: correcting.record.id })}
          onSubmit={(body) =>
            post(`/api/v1/objections/${correcting.objection.id}/resolution`, {
              outcome: 'corrected',
              reasons: body.reason,
              ...(correcting.lateReason ? { lateReason: correcting.lateReason } : {}),
              correction: { payload: body.payload, ...(body.severity ? { severity: body.severity } : {}) },
            })
          }
          onDone={() => {
            setCorrecting(null);
            objections.reload();
          }}
          onCancel={() => setCorrecting(null)}
        />
      ) : null}
    </>
  );
}

function ActionModal({
  action,
  onCancel,
  onSubmit,
  onCorrect,
}: {
  action: Action;
  onCancel: () => void;
  onSubmit: (url: string, body: unknown) => void;
  onCorrect: (objection: Objection, reasons: string, lateReason?: string) => void;
}) {
  const { t } = useLang();
  const overdue =
    action.kind === 'resolve' ? action.objection.overdue : (action.app.clock.pending?.overdue ?? false);
  const submit = (v: { outcome?: string; reasons: string; lateReason?: string }) => {
    switch (action.kind) {
      case 'reject':
        return onSubmit(`/api/v1/repairs/${action.app.id}/reject`, { reason: v.reasons });
      case 'extend':
        return onSubmit(`/api/v1/repairs/${action.app.id}/extension`, { reason: v.reasons });
      case 'decide':
        return onSubmit(`/api/v1/repairs/${action.app.id}/decision`, {
          outcome: v.outcome,
          reasons: v.reasons,
          ...(v.lateReason ? { lateReason: v.lateReason } : {}),
        });
      case 'resolve':
        if (v.outcome === 'corrected')
          return onCorrect(action.objection, v.reasons.trim(), v.lateReason?.trim() || undefined);
        return onSubmit(`/api/v1/objections/${action.objection.id}/resolution`, {
          outcome: v.outcome,
          reasons: v.reasons,
          ...(v.lateReason ? { lateReason: v.lateReason } : {}),
        });
    }
  };
  const outcomes =
    action.kind === 'decide'
      ? [
          { value: 'granted', label: t(m.grant) },
          { value: 'refused', label: t(m.refuse) },
        ]
      : action.kind === 'resolve'
        ? action.objection.ground === 'repair_decision'
          ? [
              { value: 'confirmed', label: t(m.confirm) },
              { value: 'overturned', label: t(m.overturn) },
            ]
          : [
              { value: 'confirmed', label: t(m.confirm) },
              { value: 'corrected', label: t(m.correct) },
              { value: 'withdrawn', label: t(m.withdraw) },
            ]
        : null;
  return (
    <Modal
      open
      title={t(action.kind === 'resolve' ? m.answer : m[action.kind])}
      onCancel={onCancel}
      footer={null}
    >
      <Form layout="vertical" onFinish={submit} initialValues={{ outcome: outcomes?.[0]?.value }}>
        {outcomes ? (
          <Form.Item name="outcome">
            <Radio.Group options={outcomes} />
          </Form.Item>
        ) : null}
        <Form.Item name="reasons" label={t(m.reasons)} rules={[{ required: true, min: 2 }]}>
          <Input.TextArea rows={3} maxLength={4000} data-testid="action-reasons" />
        </Form.Item>
        {overdue && action.kind !== 'reject' && action.kind !== 'extend' ? (
          <Form.Item name="lateReason" label={t(m.lateReason)} rules={[{ required: true, min: 2 }]}>
            <Input.TextArea rows={2} maxLength={2000} />
          </Form.Item>
        ) : null}
        <Button type="primary" htmlType="submit" data-testid="action-submit">
          {t(m.answer)}
        </Button>
      </Form>
    </Modal>
  );
}

/** What the platform and the department check: who applies, the statement and the materials. */
function ApplicationDetail({ app }: { app: Application }) {
  const { t } = useLang();
  const letter = app.files.some((f) => f.kind === 'authorisation');
  return (
    <Space orientation="vertical" size={4} style={{ width: '100%' }}>
      <Typography.Text>
        <Typography.Text strong>{t(m.statementLabel)}：</Typography.Text>
        {app.statement}
      </Typography.Text>
      {app.applicant.kind === 'agent' && !letter ? <Tag color="red">{t(m.noLetter)}</Tag> : null}
      <Typography.Text strong>{t(m.files)}</Typography.Text>
      {app.files.length ? (
        <ul style={{ margin: 0 }} data-testid={`application-files-${app.id}`}>
          {app.files.map((f) => (
            <li key={f.id}>
              <Tag color={f.kind === 'authorisation' ? 'purple' : undefined}>
                {t(f.kind === 'authorisation' ? m.authorisationFile : m.evidenceFile)}
              </Tag>
              <a href={`/api/v1/repairs/${app.id}/files/${f.id}`} download={f.filename}>
                {f.filename}
              </a>{' '}
              <Typography.Text type="secondary">({Math.ceil(f.size / 1024)} KB)</Typography.Text>
            </li>
          ))}
        </ul>
      ) : (
        <Typography.Text type="secondary">{t(m.noFiles)}</Typography.Text>
      )}
    </Space>
  );
}
