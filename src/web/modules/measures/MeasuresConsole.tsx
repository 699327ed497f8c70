import {
  Alert,
  Button,
  DatePicker,
  Descriptions,
  Form,
  Input,
  Modal,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { api, get, post } from '../../api/client';
import { ApiError } from '../../api/errors';
import { defineMessages } from '../../i18n/lang';
import { useLang } from '../../i18n/LangProvider';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { formatDate } from '../../ui/format';
import { common } from '../../ui/messages';
import { useAsync } from '../../ui/useAsync';
import { useSession } from '../accounts/session';
import { PageHeader } from '../console/PageHeader';
import { basisLine } from '../lists/labels';
import { CLASS_TEXT, listNameMap, type ListName, measureText, OUTCOME_TEXT, outcomeColor } from './labels';
import { MeasureTriggers } from './MeasureTriggers';
import type { CheckFact, CheckResult, Measure, Scenario } from './types';
import { statusText } from '../../ui/status';

const m = defineMessages({
  title: { zh: '措施清单管理', en: 'Measures inventory' },
  lead: {
    zh: '新增或修订措施时，平台按依据位阶、触发条件和类别审查：第一类须有法律、行政法规或地方性法规依据；第二类不得减损权益；每项惩戒措施须由依法认定的名单或信用记录触发。',
    en: 'New and revised measures pass the gate: class 1 needs a law, administrative regulation or local regulation; class 2 must not reduce rights; every restriction needs a trigger on a list or record established by law.',
  },
  asParty: { zh: '作为关联人', en: 'as related party of' },
  add: { zh: '新增措施', en: 'Add a measure' },
  revise: { zh: '修订', en: 'Revise' },
  definition: { zh: '措施定义（JSON）', en: 'Definition (JSON)' },
  badJson: { zh: 'JSON 格式不正确', en: 'The JSON is malformed' },
  refused: { zh: '未通过审查', en: 'Refused by the gate' },
  check: { zh: '联合奖惩核查', en: 'Joint check' },
  subject: { zh: '主体代码', en: 'Subject code' },
  scenario: { zh: '场景', en: 'Scenario' },
  at: { zh: '时点（可选，过去）', en: 'Instant (optional, past)' },
  run: { zh: '核查', en: 'Check' },
  noMeasure: { zh: '无适用措施', en: 'No measure applies' },
  withheld: { zh: '不予适用的激励措施', en: 'Incentives withheld' },
  until: { zh: '至', en: 'until' },
});

const TEMPLATE = {
  code: 'M_NEW',
  nameZh: '',
  nameEn: '',
  content: { zh: '', en: '' },
  kind: 'restriction',
  class: 1,
  legalBasis: [{ instrument: '', article: '', rank: 'law' }],
  triggers: [{ kind: 'list', listType: 'SAMR_SERIOUS_VIOLATION' }],
  scenarios: ['GOV_PROCUREMENT'],
  subjectTypes: [],
  implementingBodies: [''],
  lift: { kind: 'with_trigger' },
  liftNote: { zh: '', en: '' },
  status: 'active',
  // Restrictions on a law or administrative regulation may reach related parties, e.g.
  // ["legal_representative", "principal_responsible", "directly_responsible", "actual_controller"].
  reachesRoles: [],
};

function editable(x: Measure): Record<string, unknown> {
  const { version: _v, ...rest } = x;
  const out: Record<string, unknown> = { ...rest };
  delete out.currentVersion;
  delete out.recordedAt;
  delete out.recordedBy;
  return out;
}

function Editor({ initial, code, onDone }: { initial: string; code: string | null; onDone(): void }) {
  const { t, lang } = useLang();
  const [text, setText] = useState(initial);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const save = async () => {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      setError(new Error(t(m.badJson)));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      if (code) await api(`/api/v1/measures/${encodeURIComponent(code)}`, { method: 'PUT', body });
      else await post('/api/v1/measures', body);
      onDone();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const problems = error instanceof ApiError ? error.problems : [];
  return (
    <div>
      {error ? (
        <Alert
          type="error"
          showIcon
          role="alert"
          style={{ marginBottom: 12 }}
          title={
            error instanceof ApiError
              ? `${t(m.refused)}: ${error.text(lang)}`
              : String((error as Error).message)
          }
          description={
            problems.length > 1 ? (
              <ul>
                {problems.map((p, i) => (
                  <li key={i}>
                    <code>{p.field}</code> {lang === 'en' ? p.messages.en : p.messages['zh-CN']}
                  </li>
                ))}
              </ul>
            ) : undefined
          }
        />
      ) : null}
      <Typography.Text strong>{t(m.definition)}</Typography.Text>
      <Input.TextArea
        value={text}
        onChange={(e) => setText(e.target.value)}
        rows={20}
        style={{ fontFamily: 'monospace', marginTop: 4 }}
        aria-label={t(m.definition)}
      />
      <Button type="primary" loading={busy} onClick={() => void save()} style={{ marginTop: 12 }}>
        {t(common.save)}
      </Button>
    </div>
  );
}

function CheckTester({ scenarios }: { scenarios: Scenario[] }) {
  const { t, pick } = useLang();
  const [result, setResult] = useState<CheckResult | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const department = (tr: CheckFact): string => pick(tr.departmentName ?? '', tr.departmentNameEn);
  // A list entry the check cites; a `party_entry` is one on another subject, naming the checked one.
  const entryLine = (tr: CheckFact): string =>
    `${tr.listName ? pick(tr.listName.zh, tr.listName.en) : ''} ${tr.decisionNo ?? ''} ${formatDate(tr.effectiveFrom)} – ${tr.effectiveUntil ? formatDate(tr.effectiveUntil) : t(common.longTerm)} · ${department(tr)}`;
  const factLine = (tr: CheckFact): string => {
    if (tr.kind === 'party_entry') {
      const s = tr.listedSubject;
      const role = tr.roleName ? pick(tr.roleName.zh, tr.roleName.en) : (tr.role ?? '');
      const listed = `${s?.name ?? s?.uscc ?? s?.idMasked ?? s?.ref ?? ''}${s?.uscc && s.name ? ` (${s.uscc})` : ''}`;
      return `${role} ${t(m.asParty)} ${listed}: ${entryLine(tr)}`;
    }
    if (tr.kind === 'list_entry') return entryLine(tr);
    if (tr.kind === 'record') return `${tr.itemCode ?? ''} ${tr.docNo ?? ''} · ${department(tr)}`;
    return t(measureText.clean);
  };
  const run = async (v: { subject: string; scenario: string; at?: Dayjs }) => {
    setBusy(true);
    setError(null);
    try {
      setResult(
        await post<CheckResult>('/api/v1/checks', {
          subject: v.subject,
          scenario: v.scenario,
          at: v.at ? v.at.toISOString() : undefined,
        }),
      );
    } catch (err) {
      setError(err);
      setResult(null);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div>
      <Form layout="inline" onFinish={(v: { subject: string; scenario: string; at?: Dayjs }) => void run(v)}>
        <Form.Item name="subject" label={t(m.subject)} rules={[{ required: true }]}>
          <Input maxLength={40} />
        </Form.Item>
        <Form.Item name="scenario" label={t(m.scenario)} rules={[{ required: true }]}>
          <Select
            style={{ minWidth: 200 }}
            options={scenarios.map((s) => ({ value: s.code, label: pick(s.nameZh, s.nameEn) }))}
          />
        </Form.Item>
        <Form.Item name="at" label={t(m.at)}>
          <DatePicker showTime />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={busy}>
          {t(m.run)}
        </Button>
      </Form>
      {error ? <ErrorAlert error={error} /> : null}
      {result ? (
        <div style={{ marginTop: 12 }}>
          <Descriptions size="small" column={1} bordered>
            <Descriptions.Item label={t(m.subject)}>
              {result.subject.name} ({result.subject.ref})
            </Descriptions.Item>
            <Descriptions.Item label={t(m.check)}>
              <Tag color={outcomeColor(result.outcome)}>
                {t(OUTCOME_TEXT[result.outcome] ?? OUTCOME_TEXT.allow!)}
              </Tag>{' '}
              {result.checkId}
            </Descriptions.Item>
          </Descriptions>
          {result.measures.length === 0 ? (
            <Typography.Paragraph>{t(m.noMeasure)}</Typography.Paragraph>
          ) : null}
          {result.measures.map((x) => (
            <Descriptions
              key={x.code}
              size="small"
              column={1}
              bordered
              style={{ marginTop: 8 }}
              title={pick(x.nameZh, x.nameEn)}
            >
              <Descriptions.Item label={t(measureText.basis)}>
                {x.legalBasis.map((b) => basisLine(b, t)).join('；')}
              </Descriptions.Item>
              <Descriptions.Item label={t(measureText.triggers)}>
                {x.triggers.map((tr, i) => (
                  <div key={i}>{factLine(tr)}</div>
                ))}
              </Descriptions.Item>
              <Descriptions.Item label={t(measureText.lift)}>
                {x.appliesUntil ? `${t(m.until)} ${formatDate(x.appliesUntil)}` : t(common.longTerm)}
              </Descriptions.Item>
            </Descriptions>
          ))}
          {result.withheld.length > 0 ? (
            <Descriptions
              size="small"
              column={1}
              bordered
              style={{ marginTop: 8 }}
              title={t(m.withheld)}
              data-testid="check-withheld"
            >
              {result.withheld.map((w) => (
                <Descriptions.Item key={w.code} label={pick(w.nameZh, w.nameEn)}>
                  <div>{pick(w.reason.zh, w.reason.en)}</div>
                  {w.blockers.map((b, i) => (
                    <div key={i}>{factLine(b)}</div>
                  ))}
                </Descriptions.Item>
              ))}
            </Descriptions>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}

export function MeasuresConsole() {
  const { t, pick } = useLang();
  const session = useSession();
  const admin = session.hasRole('platform_admin');
  const [editing, setEditing] = useState<{ code: string | null; text: string } | null>(null);
  const list = useAsync((signal) => get<Measure[]>('/api/v1/measures', undefined, signal), []);
  const scenarios = useAsync(
    (signal) => get<Scenario[]>('/api/v1/measures/scenarios', undefined, signal),
    [],
  );
  // List names for the triggers (any signed-in user may read the list types).
  const lists = useAsync((signal) => get<ListName[]>('/api/v1/list-types', undefined, signal), []);
  const listNames = useMemo(() => listNameMap(lists.data), [lists.data]);
  return (
    <div>
      <PageHeader
        title={t(m.title)}
        extra={
          admin ? (
            <Button
              type="primary"
              onClick={() => setEditing({ code: null, text: JSON.stringify(TEMPLATE, null, 2) })}
            >
              {t(m.add)}
            </Button>
          ) : null
        }
      >
        {t(m.lead)}
      </PageHeader>
      {session.hasRole('dept_officer', 'dept_reviewer', 'platform_admin') ? (
        <section style={{ marginBottom: 24 }}>
          <Typography.Title level={2} style={{ fontSize: 16 }}>
            {t(m.check)}
          </Typography.Title>
          <CheckTester scenarios={scenarios.data ?? []} />
        </section>
      ) : null}
      {list.error ? <ErrorAlert error={list.error} onRetry={list.reload} /> : null}
      <Table<Measure>
        rowKey="code"
        loading={list.loading}
        dataSource={list.data ?? []}
        pagination={false}
        scroll={{ x: 1000 }}
        columns={[
          { key: 'code', title: t(measureText.code), dataIndex: 'code' },
          { key: 'name', title: t(measureText.name), render: (_, r) => pick(r.nameZh, r.nameEn) },
          {
            key: 'class',
            title: t(measureText.cls),
            render: (_, r) => t(CLASS_TEXT[r.class] ?? CLASS_TEXT[2]!),
          },
          {
            key: 'basis',
            title: t(measureText.basis),
            render: (_, r) => r.legalBasis.map((b) => <div key={b.instrument}>{basisLine(b, t)}</div>),
          },
          {
            key: 'triggers',
            title: t(measureText.triggers),
            render: (_, r) => <MeasureTriggers measure={r} lists={listNames} />,
          },
          {
            key: 'status',
            title: '',
            render: (_, r) => (r.status === 'active' ? null : <Tag>{t(statusText(r.status))}</Tag>),
          },
          {
            key: 'actions',
            title: t(common.actions),
            render: (_, r) =>
              admin ? (
                <Button
                  size="small"
                  onClick={() => setEditing({ code: r.code, text: JSON.stringify(editable(r), null, 2) })}
                >
                  {t(m.revise)}
                </Button>
              ) : null,
          },
        ]}
      />
      <Modal
        open={editing !== null}
        onCancel={() => setEditing(null)}
        footer={null}
        width={760}
        destroyOnHidden
        title={editing?.code ? `${t(m.revise)} ${editing.code}` : t(m.add)}
      >
        {editing ? (
          <Space direction="vertical" style={{ width: '100%' }}>
            <Editor
              initial={editing.text}
              code={editing.code}
              onDone={() => {
                setEditing(null);
                list.reload();
              }}
            />
          </Space>
        ) : null}
      </Modal>
    </div>
  );
}
