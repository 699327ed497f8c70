import {
  Alert,
  Button,
  Checkbox,
  Form,
  Input,
  Modal,
  Select,
  Space,
  Table,
  Tag,
  Typography,
  Upload,
} from 'antd';
import type { UploadFile } from 'antd';
import { useState } from 'react';
import { get, post, upload } from '../../api/client';
import type { PublicProfile } from '../../api/types';
import { loadProfile } from '../subjects/prefetch';
import { defineMessages, pick } from '../../i18n/lang';
import { useLang } from '../../i18n/LangProvider';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { formatDate } from '../../ui/format';
import { useAsync } from '../../ui/useAsync';
import { PageHeader } from '../console/PageHeader';
import {
  GROUND_LABELS,
  OUTCOME_LABELS,
  STEP_LABELS,
  deadlineText,
  recordStateText,
  statusColor,
  type Application,
  type Eligibility,
  type MyRecord,
  type Objection,
  objectionTarget,
} from './remedies';

const m = defineMessages({
  title: { zh: '信用修复与异议', en: 'Credit repair and objections' },
  lead: {
    zh: '查看本主体的全部信用记录，申请信用修复或对记录提出异议，并跟踪办理进度。信用修复免费，任何机构不得收费。',
    en: 'See every record held on your subject, apply for repair or object, and follow both. Credit repair is free of charge.',
  },
  records: { zh: '我的信用记录', en: 'My records' },
  item: { zh: '事项', en: 'Item' },
  docNo: { zh: '文书号', en: 'Document' },
  decided: { zh: '决定日期', en: 'Decided' },
  state: { zh: '状态', en: 'State' },
  repair: { zh: '可否修复', en: 'Repair' },
  apply: { zh: '申请修复', en: 'Apply for repair' },
  object: { zh: '提出异议', en: 'Object' },
  disputed: { zh: '有异议/核查中', en: 'Under review' },
  applications: { zh: '我的修复申请', en: 'My applications' },
  objections: { zh: '我的异议', en: 'My objections' },
  statement: { zh: '纠正失信行为、履行义务的情况', en: 'How the conduct was corrected' },
  evidence: {
    zh: '证明材料（PDF、JPG、PNG，每个不超过 10 MB）',
    en: 'Evidence (PDF, JPG, PNG, up to 10 MB each)',
  },
  commitment: { zh: '信用修复承诺书', en: 'Commitment letter' },
  accept: { zh: '我已阅读并接受以上承诺', en: 'I have read and accept this commitment' },
  submitted: {
    zh: '已提交。查询码（请保存，凭此可在公开页面查询进度）：',
    en: 'Submitted. Query code (keep it to follow progress publicly):',
  },
  queryCode: { zh: '查询码', en: 'Query code' },
  status: { zh: '进度', en: 'Status' },
  overdue: { zh: '已逾期', en: 'Overdue' },
  objectionOpen: { zh: '核查中', en: 'Being checked' },
  objectionClosed: { zh: '已办结', en: 'Closed' },
  deadline: { zh: '期限', en: 'Deadline' },
  ground: { zh: '异议事由', en: 'Ground' },
  due: { zh: '答复期限', en: 'Answer due' },
  outcome: { zh: '处理结果', en: 'Outcome' },
  reasons: { zh: '理由', en: 'Reasons' },
  required: { zh: '必填', en: 'Required' },
  objectStatement: { zh: '异议理由及依据', en: 'Why the record is wrong, and on what basis' },
  newVersion: { zh: '更正后为第 {n} 版', en: 'corrected: version {n}' },
  record: { zh: '记录', en: 'Record' },
  asAgent: { zh: '作为代理人申请', en: 'Apply as agent' },
  asAgentLead: {
    zh: '律师或信用服务机构受主体委托代为申请信用修复：填写代理人名称和被代理主体的统一社会信用代码，选择要修复的信息，并上传主体签章的授权委托书。平台受理时核验委托书。',
    en: 'A lawyer or credit service agency applies for a subject it represents: give the agent’s name and the subject’s USCC, choose the information, and upload the authorisation letter signed by the subject. The platform checks the letter when it takes the application.',
  },
  agentName: { zh: '代理人（律师或信用服务机构）名称', en: 'Agent (lawyer or credit service agency)' },
  representedCode: { zh: '被代理主体的统一社会信用代码', en: 'USCC of the subject represented' },
  findRecords: { zh: '查找公示信息', en: 'Find disclosed information' },
  chooseRecord: { zh: '申请修复的信息', en: 'Information to repair' },
  noRecords: { zh: '该主体目前没有公示的信息', en: 'Nothing is disclosed about this subject now' },
  authorisation: {
    zh: '授权委托书（必传；PDF、JPG、PNG，不超过 10 MB）',
    en: 'Authorisation letter (required; PDF, JPG, PNG, up to 10 MB)',
  },
  agentFor: { zh: '代理人：{agent}，代 {subject} 申请', en: 'Agent {agent}, applying for {subject}' },
});

export function MyRemediesPage() {
  const { t, lang } = useLang();
  const data = useAsync(
    async (signal) => ({
      records: await get<{ subject: { ref: string; name: string }; records: MyRecord[] }>(
        '/api/v1/me/records',
        undefined,
        signal,
      ),
      apps: await get<Application[]>('/api/v1/repairs/mine', undefined, signal),
      objections: await get<Objection[]>('/api/v1/objections/mine', undefined, signal),
    }),
    [],
  );
  const [applying, setApplying] = useState<MyRecord | null>(null);
  const [objecting, setObjecting] = useState<MyRecord | null>(null);
  const [agentPicking, setAgentPicking] = useState(false);
  const [agentApplying, setAgentApplying] = useState<AgentTarget | null>(null);

  return (
    <>
      <PageHeader title={t(m.title)}>{t(m.lead)}</PageHeader>
      {data.error ? <ErrorAlert error={data.error} onRetry={data.reload} /> : null}
      <Space style={{ marginBottom: 8 }}>
        <Typography.Title level={2} style={{ fontSize: 16, margin: 0 }}>
          {t(m.records)} {data.data ? `· ${data.data.records.subject.name}` : ''}
        </Typography.Title>
        <Button onClick={() => setAgentPicking(true)} data-testid="apply-as-agent">
          {t(m.asAgent)}
        </Button>
      </Space>
      <Table<MyRecord>
        rowKey="id"
        size="small"
        loading={data.loading}
        dataSource={data.data?.records.records ?? []}
        pagination={false}
        scroll={{ x: 860 }}
        columns={[
          { title: t(m.item), dataIndex: 'itemCode' },
          { title: t(m.docNo), dataIndex: 'docNo' },
          { title: t(m.decided), dataIndex: 'decisionDate' },
          {
            title: t(m.state),
            render: (_, r) => (
              <Space>
                <Tag color={r.state === 'disclosed' ? 'green' : undefined}>{t(recordStateText(r.state))}</Tag>
                {r.disputed ? <Tag color="orange">{t(m.disputed)}</Tag> : null}
              </Space>
            ),
          },
          {
            title: t(m.repair),
            render: (_, r) => (
              <Typography.Text type={r.eligibility.eligible ? 'success' : 'secondary'}>
                {pick(lang, r.eligibility.message.zh, r.eligibility.message.en)}
              </Typography.Text>
            ),
          },
          {
            title: '',
            render: (_, r) => (
              <Space>
                <Button
                  size="small"
                  type="primary"
                  disabled={!r.eligibility.eligible}
                  onClick={() => setApplying(r)}
                  data-testid={`apply-${r.id}`}
                >
                  {t(m.apply)}
                </Button>
                <Button size="small" disabled={r.disputed} onClick={() => setObjecting(r)}>
                  {t(m.object)}
                </Button>
              </Space>
            ),
          },
        ]}
      />

      <Typography.Title level={2} style={{ fontSize: 16, marginTop: 24 }}>
        {t(m.applications)}
      </Typography.Title>
      <Table<Application>
        rowKey="id"
        size="small"
        dataSource={data.data?.apps ?? []}
        pagination={false}
        scroll={{ x: 640 }}
        expandable={{
          expandedRowRender: (a) => (
            <ul style={{ margin: 0 }}>
              {a.steps.map((s, i) => (
                <li key={i}>
                  {formatDate(s.at)}{' '}
                  {STEP_LABELS[s.step] ? t(STEP_LABELS[s.step] as { zh: string; en: string }) : s.step}
                  {s.due ? ` · ${t(m.deadline)} ${s.due}` : ''}
                  {s.late ? <Tag color="red">overdue</Tag> : null}
                </li>
              ))}
            </ul>
          ),
        }}
        columns={[
          { title: '#', dataIndex: 'id' },
          { title: t(m.item), render: (_, a) => pick(lang, a.target.label, a.target.labelEn) },
          {
            title: t(m.status),
            render: (_, a) => (
              <Tag color={statusColor(a.status)}>{pick(lang, a.statusLabel.zh, a.statusLabel.en)}</Tag>
            ),
          },
          {
            title: t(m.queryCode),
            render: (_, a) => (a.queryCode ? <Typography.Text copyable>{a.queryCode}</Typography.Text> : '—'),
          },
          {
            title: t(m.deadline),
            render: (_, a) => {
              const d = deadlineText(a.clock.pending);
              return d ? t(d) : '—';
            },
          },
        ]}
      />

      <Typography.Title level={2} style={{ fontSize: 16, marginTop: 24 }}>
        {t(m.objections)}
      </Typography.Title>
      <Table<Objection>
        rowKey="id"
        size="small"
        dataSource={data.data?.objections ?? []}
        pagination={false}
        scroll={{ x: 640 }}
        columns={[
          { title: '#', dataIndex: 'id' },
          { title: t(m.record), render: (_, o) => t(objectionTarget(o)) },
          {
            title: t(m.ground),
            render: (_, o) =>
              GROUND_LABELS[o.ground] ? t(GROUND_LABELS[o.ground] as { zh: string; en: string }) : o.ground,
          },
          {
            title: t(m.due),
            render: (_, o) => (
              <span>
                {o.due} {o.overdue ? <Tag color="red">{t(m.overdue)}</Tag> : null}
              </span>
            ),
          },
          {
            title: t(m.outcome),
            render: (_, o) =>
              o.outcome && OUTCOME_LABELS[o.outcome] ? (
                t(OUTCOME_LABELS[o.outcome] as { zh: string; en: string })
              ) : (
                <Tag>{t(o.status === 'open' ? m.objectionOpen : m.objectionClosed)}</Tag>
              ),
          },
          {
            title: t(m.reasons),
            render: (_, o) => (
              <span data-testid={`objection-outcome-${o.id}`}>
                {o.outcomeReasons ?? ''}
                {o.resultVersion ? ` (${t(m.newVersion, { n: o.resultVersion })})` : ''}
              </span>
            ),
          },
        ]}
      />

      {applying ? (
        <ApplyModal
          record={applying}
          onClose={() => {
            setApplying(null);
            data.reload();
          }}
        />
      ) : null}
      {agentPicking ? (
        <AgentPickModal
          onCancel={() => setAgentPicking(false)}
          onPicked={(target) => {
            setAgentPicking(false);
            setAgentApplying(target);
          }}
        />
      ) : null}
      {agentApplying ? (
        <ApplyModal
          record={{ id: agentApplying.recordId, docNo: agentApplying.docNo }}
          agent={agentApplying}
          onClose={() => {
            setAgentApplying(null);
            data.reload();
          }}
        />
      ) : null}
      {objecting ? (
        <ObjectModal
          record={objecting}
          onClose={() => {
            setObjecting(null);
            data.reload();
          }}
        />
      ) : null}
    </>
  );
}

interface AgentTarget {
  name: string;
  subject: string;
  subjectName: string;
  recordId: number;
  docNo: string;
}

function ApplyModal({
  record,
  agent,
  onClose,
}: {
  record: { id: number; docNo: string };
  agent?: AgentTarget;
  onClose: () => void;
}) {
  const { t } = useLang();
  const [draft, setDraft] = useState<Application | null>(null);
  const [statement, setStatement] = useState('');
  const [files, setFiles] = useState<UploadFile[]>([]);
  const [letters, setLetters] = useState<UploadFile[]>([]);
  const [accepted, setAccepted] = useState(false);
  const [done, setDone] = useState<Application | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const run = async (fn: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await fn();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const start = () =>
    run(async () =>
      setDraft(
        await post<Application>('/api/v1/repairs', {
          recordId: record.id,
          statement,
          ...(agent ? { agent: { name: agent.name, subject: agent.subject } } : {}),
        }),
      ),
    );
  const send = async (id: number, kind: 'evidence' | 'authorisation', list: UploadFile[]) => {
    if (!list.length) return;
    const form = new FormData();
    form.append('kind', kind); // the server reads the kind before the files
    for (const f of list) if (f.originFileObj) form.append('file', f.originFileObj, f.name);
    await upload(`/api/v1/repairs/${id}/files`, form);
  };
  const [sent, setSent] = useState({ letters: false, files: false });
  const submit = () =>
    run(async () => {
      if (!draft) return;
      // A retry after a refused submission does not upload the same files twice.
      if (!sent.letters) {
        await send(draft.id, 'authorisation', letters);
        if (letters.length) setSent((x) => ({ ...x, letters: true }));
      }
      if (!sent.files) {
        await send(draft.id, 'evidence', files);
        if (files.length) setSent((x) => ({ ...x, files: true }));
      }
      setDone(
        await post<Application>(`/api/v1/repairs/${draft.id}/submit`, {
          acceptCommitment: accepted,
          commitmentSha256: draft.commitment.sha256,
        }),
      );
    });

  return (
    <Modal
      open
      title={`${agent ? t(m.asAgent) : t(m.apply)} · ${record.docNo}`}
      onCancel={onClose}
      footer={null}
      width={720}
    >
      {agent ? (
        <Alert
          type="info"
          style={{ marginBottom: 12 }}
          title={t(m.agentFor, { agent: agent.name, subject: agent.subjectName })}
        />
      ) : null}
      {error ? <ErrorAlert error={error} /> : null}
      {done ? (
        <Alert
          type="success"
          showIcon
          title={t(m.submitted)}
          description={
            <Typography.Text copyable strong>
              {done.queryCode}
            </Typography.Text>
          }
        />
      ) : !draft ? (
        <Form layout="vertical" onFinish={start}>
          <Form.Item label={t(m.statement)} required htmlFor="repair-statement">
            <Input.TextArea
              id="repair-statement"
              data-testid="repair-statement"
              rows={4}
              value={statement}
              onChange={(e) => setStatement(e.target.value)}
              maxLength={4000}
            />
          </Form.Item>
          <Button
            type="primary"
            htmlType="submit"
            loading={busy}
            disabled={statement.trim().length < 2}
            data-testid="repair-draft"
          >
            {t(m.apply)}
          </Button>
        </Form>
      ) : (
        <Space direction="vertical" style={{ width: '100%' }}>
          <Typography.Text strong>{t(m.commitment)}</Typography.Text>
          <pre
            style={{
              whiteSpace: 'pre-wrap',
              background: '#fafafa',
              padding: 12,
              maxHeight: 280,
              overflow: 'auto',
            }}
          >
            {draft.commitment.text}
          </pre>
          {agent ? (
            <>
              <Typography.Text>{t(m.authorisation)}</Typography.Text>
              <Upload
                accept=".pdf,.jpg,.jpeg,.png"
                beforeUpload={() => false}
                fileList={letters}
                onChange={(i) => setLetters(i.fileList)}
                data-testid="authorisation-upload"
              >
                <Button aria-label={t(m.authorisation)}>+</Button>
              </Upload>
            </>
          ) : null}
          <Typography.Text>{t(m.evidence)}</Typography.Text>
          <Upload
            multiple
            accept=".pdf,.jpg,.jpeg,.png"
            beforeUpload={() => false}
            fileList={files}
            onChange={(i) => setFiles(i.fileList)}
          >
            <Button aria-label={t(m.evidence)}>+</Button>
          </Upload>
          <Checkbox
            checked={accepted}
            onChange={(e) => setAccepted(e.target.checked)}
            data-testid="accept-commitment"
          >
            {t(m.accept)}
          </Checkbox>
          <Button
            type="primary"
            onClick={submit}
            loading={busy}
            disabled={!accepted || (agent !== undefined && letters.length === 0)}
            data-testid="repair-submit"
          >
            {t(m.apply)}
          </Button>
        </Space>
      )}
    </Modal>
  );
}

function ObjectModal({ record, onClose }: { record: MyRecord; onClose: () => void }) {
  const { t } = useLang();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (v: { ground: string; statement: string }) => {
    setBusy(true);
    setError(null);
    try {
      await post('/api/v1/objections', { recordId: record.id, ground: v.ground, statement: v.statement });
      onClose();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal open title={`${t(m.object)} · ${record.docNo}`} onCancel={onClose} footer={null}>
      {error ? <ErrorAlert error={error} /> : null}
      <Form layout="vertical" onFinish={submit} initialValues={{ ground: 'content' }}>
        <Form.Item name="ground" label={t(m.ground)}>
          <Select
            options={['content', 'classification', 'period'].map((g) => ({
              value: g,
              label: t(GROUND_LABELS[g] as { zh: string; en: string }),
            }))}
          />
        </Form.Item>
        <Form.Item
          name="statement"
          label={t(m.objectStatement)}
          rules={[{ required: true, min: 2, message: t(m.required) }]}
        >
          <Input.TextArea rows={4} maxLength={4000} />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={busy}>
          {t(m.object)}
        </Button>
      </Form>
    </Modal>
  );
}

/** An agent names the subject it represents and picks one of its disclosed records. */
function AgentPickModal({
  onCancel,
  onPicked,
}: {
  onCancel: () => void;
  onPicked: (target: AgentTarget) => void;
}) {
  const { t, lang } = useLang();
  const [form] = Form.useForm<{ name: string; subject: string; recordId?: number }>();
  const [profile, setProfile] = useState<PublicProfile | null>(null);
  const [eligibility, setEligibility] = useState<Eligibility | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const records = profile ? profile.categories.flatMap((c) => c.records) : [];
  const find = async () => {
    setError(null);
    setEligibility(null);
    form.setFieldValue('recordId', undefined);
    const code = String(form.getFieldValue('subject') ?? '').trim();
    if (!code) return;
    setBusy(true);
    try {
      setProfile(await loadProfile(code, undefined));
    } catch (err) {
      setProfile(null);
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const choose = async (recordId: number) => {
    setEligibility(null);
    try {
      const r = await get<{ eligibility: Eligibility }>('/api/v1/repairs/eligibility', { recordId });
      setEligibility(r.eligibility);
    } catch (err) {
      setError(err);
    }
  };
  const done = (v: { name: string; subject: string; recordId?: number }) => {
    const rec = records.find((r) => r.id === v.recordId);
    if (!profile || !rec) return;
    onPicked({
      name: v.name.trim(),
      subject: v.subject.trim(),
      subjectName: profile.subject.name,
      recordId: rec.id,
      docNo: rec.docNo,
    });
  };
  return (
    <Modal open title={t(m.asAgent)} onCancel={onCancel} footer={null} width={720}>
      <Typography.Paragraph type="secondary">{t(m.asAgentLead)}</Typography.Paragraph>
      {error ? <ErrorAlert error={error} /> : null}
      <Form form={form} layout="vertical" onFinish={done}>
        <Form.Item
          name="name"
          label={t(m.agentName)}
          rules={[{ required: true, min: 2, message: t(m.required) }]}
        >
          <Input maxLength={200} data-testid="agent-name" />
        </Form.Item>
        <Form.Item label={t(m.representedCode)} required>
          <Space.Compact style={{ width: '100%' }}>
            <Form.Item name="subject" noStyle rules={[{ required: true, message: t(m.required) }]}>
              <Input maxLength={40} aria-label={t(m.representedCode)} data-testid="agent-subject" />
            </Form.Item>
            <Button onClick={find} loading={busy} data-testid="agent-find">
              {t(m.findRecords)}
            </Button>
          </Space.Compact>
        </Form.Item>
        {profile ? (
          <>
            <Typography.Paragraph strong>{profile.subject.name}</Typography.Paragraph>
            {records.length ? (
              <Form.Item
                name="recordId"
                label={t(m.chooseRecord)}
                rules={[{ required: true, message: t(m.required) }]}
                extra={
                  eligibility ? (
                    <Typography.Text
                      type={eligibility.eligible ? 'success' : 'warning'}
                      data-testid="agent-eligibility"
                    >
                      {pick(lang, eligibility.message.zh, eligibility.message.en)}
                    </Typography.Text>
                  ) : null
                }
              >
                <Select
                  data-testid="agent-record"
                  onChange={(id: number) => void choose(id)}
                  options={records.map((r) => ({
                    value: r.id,
                    label: `${pick(lang, r.item.nameZh, r.item.nameEn)} · ${r.docNo} · ${r.decisionDate}`,
                  }))}
                />
              </Form.Item>
            ) : (
              <Typography.Paragraph type="secondary">{t(m.noRecords)}</Typography.Paragraph>
            )}
          </>
        ) : null}
        <Button
          type="primary"
          htmlType="submit"
          disabled={!profile || !eligibility?.eligible}
          data-testid="agent-continue"
        >
          {t(m.apply)}
        </Button>
      </Form>
    </Modal>
  );
}
