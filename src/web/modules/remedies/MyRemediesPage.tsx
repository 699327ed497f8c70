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
  statusColor,
  type Application,
  type MyRecord,
  type Objection,
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
  deadline: { zh: '期限', en: 'Deadline' },
  ground: { zh: '异议事由', en: 'Ground' },
  due: { zh: '答复期限', en: 'Answer due' },
  outcome: { zh: '处理结果', en: 'Outcome' },
  reasons: { zh: '理由', en: 'Reasons' },
  required: { zh: '必填', en: 'Required' },
  objectStatement: { zh: '异议理由及依据', en: 'Why the record is wrong, and on what basis' },
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

  return (
    <>
      <PageHeader title={t(m.title)}>{t(m.lead)}</PageHeader>
      {data.error ? <ErrorAlert error={data.error} onRetry={data.reload} /> : null}
      <Typography.Title level={2} style={{ fontSize: 16 }}>
        {t(m.records)} {data.data ? `· ${data.data.records.subject.name}` : ''}
      </Typography.Title>
      <Table<MyRecord>
        rowKey="id"
        size="small"
        loading={data.loading}
        dataSource={data.data?.records.records ?? []}
        pagination={false}
        columns={[
          { title: t(m.item), dataIndex: 'itemCode' },
          { title: t(m.docNo), dataIndex: 'docNo' },
          { title: t(m.decided), dataIndex: 'decisionDate' },
          {
            title: t(m.state),
            render: (_, r) => (
              <Space>
                <Tag>{r.state}</Tag>
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
          { title: t(m.item), render: (_, a) => a.target.label },
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
        columns={[
          { title: '#', dataIndex: 'id' },
          {
            title: t(m.ground),
            render: (_, o) =>
              GROUND_LABELS[o.ground] ? t(GROUND_LABELS[o.ground] as { zh: string; en: string }) : o.ground,
          },
          {
            title: t(m.due),
            render: (_, o) => (
              <span>
                {o.due} {o.overdue ? <Tag color="red">overdue</Tag> : null}
              </span>
            ),
          },
          {
            title: t(m.outcome),
            render: (_, o) =>
              o.outcome && OUTCOME_LABELS[o.outcome] ? (
                t(OUTCOME_LABELS[o.outcome] as { zh: string; en: string })
              ) : (
                <Tag>{o.status}</Tag>
              ),
          },
          { title: t(m.reasons), dataIndex: 'outcomeReasons' },
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

function ApplyModal({ record, onClose }: { record: MyRecord; onClose: () => void }) {
  const { t } = useLang();
  const [draft, setDraft] = useState<Application | null>(null);
  const [statement, setStatement] = useState('');
  const [files, setFiles] = useState<UploadFile[]>([]);
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
    run(async () => setDraft(await post<Application>('/api/v1/repairs', { recordId: record.id, statement })));
  const submit = () =>
    run(async () => {
      if (!draft) return;
      if (files.length) {
        const form = new FormData();
        form.append('kind', 'evidence');
        for (const f of files) if (f.originFileObj) form.append('file', f.originFileObj, f.name);
        await upload(`/api/v1/repairs/${draft.id}/files`, form);
      }
      setDone(
        await post<Application>(`/api/v1/repairs/${draft.id}/submit`, {
          acceptCommitment: accepted,
          commitmentSha256: draft.commitment.sha256,
        }),
      );
    });

  return (
    <Modal open title={`${t(m.apply)} · ${record.docNo}`} onCancel={onClose} footer={null} width={720}>
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
          <Form.Item label={t(m.statement)} required>
            <Input.TextArea
              rows={4}
              value={statement}
              onChange={(e) => setStatement(e.target.value)}
              maxLength={4000}
            />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={busy} disabled={statement.trim().length < 2}>
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
          <Typography.Text>{t(m.evidence)}</Typography.Text>
          <Upload
            multiple
            accept=".pdf,.jpg,.jpeg,.png"
            beforeUpload={() => false}
            fileList={files}
            onChange={(i) => setFiles(i.fileList)}
          >
            <Button>+</Button>
          </Upload>
          <Checkbox
            checked={accepted}
            onChange={(e) => setAccepted(e.target.checked)}
            data-testid="accept-commitment"
          >
            {t(m.accept)}
          </Checkbox>
          <Button type="primary" onClick={submit} loading={busy} disabled={!accepted}>
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
