import {
  Alert,
  Button,
  Card,
  Descriptions,
  Empty,
  Form,
  Input,
  Popconfirm,
  Space,
  Tag,
  Timeline,
} from 'antd';
import type { ReactNode } from 'react';
import { END_REASON_LABELS } from '../../../domain/lists/entry';
import { get, post } from '../../api/client';
import { defineMessages, type Msg } from '../../i18n/lang';
import { useLang } from '../../i18n/LangProvider';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { formatDate, formatDateTime } from '../../ui/format';
import { useAsync } from '../../ui/useAsync';
import { FormErrors, useFormSubmit } from '../../ui/useFormSubmit';
import { PageHeader } from '../console/PageHeader';
import {
  basisLine,
  entryPeriodText,
  factLine,
  listText,
  periodText,
  stageColor,
  stageText,
  stepText,
} from './labels';
import type { EntryView, ListPeriod } from './types';

const m = defineMessages({
  title: { zh: '我的名单记录', en: 'My list entries' },
  lead: {
    zh: '本主体在信用名单上的全部记录，包括尚在办理中的列入建议，以及每一步程序。收到列入告知书后，可在陈述申辩期限内在此提交陈述申辩。',
    en: 'Every entry on a credit list about your subject, pending proposals included, with every step of the procedure. Once notified, you can submit your statement here within the statement period.',
  },
  subject: { zh: '主体：{name}', en: 'Subject: {name}' },
  none: { zh: '本主体没有任何名单记录', en: 'Your subject has no list entries' },
  asParty: {
    zh: '本主体作为关联主体（{role}）列明在此记录中；当事人是 {name}。',
    en: 'Your subject is named in this entry as a related party ({role}); the subject is {name}.',
  },
  statementTitle: { zh: '陈述申辩', en: 'Statement' },
  open: {
    zh: '陈述申辩期限至 {deadline}（含当日）。期限内您可以提交陈述申辩或放弃陈述申辩；期限届满后认定部门方可作出决定。',
    en: 'You can submit your statement, or waive it, until {deadline} (inclusive). The department may decide only after the period has ended.',
  },
  text: { zh: '陈述申辩内容（事实、理由和证据）', en: 'Your statement (facts, reasons and evidence)' },
  required: { zh: '请填写陈述申辩内容', en: 'Please write your statement' },
  submit: { zh: '提交陈述申辩', en: 'Submit statement' },
  waive: { zh: '放弃陈述申辩', en: 'Waive the statement' },
  waiveConfirm: {
    zh: '放弃后不能再提交陈述申辩，认定部门可即作出决定。确定放弃？',
    en: 'After waiving you cannot submit a statement, and the department may decide at once. Waive?',
  },
  notNotified: {
    zh: '尚未告知。认定部门送达列入告知书和信用修复告知书后，您可在告知书载明的期限内陈述申辩。',
    en: 'Not notified yet. Once the department serves the notice and the credit-repair notice, you can submit a statement within the period they state.',
  },
  stated: { zh: '您已于 {at} 提交陈述申辩。', en: 'You submitted your statement on {at}.' },
  statedFor: {
    zh: '认定部门已于 {at} 代为登记您的陈述申辩。',
    en: 'The department recorded your statement for you on {at}.',
  },
  waived: { zh: '已于 {at} 放弃陈述申辩。', en: 'The statement was waived on {at}.' },
  closed: {
    zh: '陈述申辩期限已于 {deadline} 届满，不能再提交陈述申辩。',
    en: 'The statement period ended on {deadline}; a statement can no longer be submitted.',
  },
  closedNoDeadline: {
    zh: '陈述申辩阶段已结束，不能再提交陈述申辩。',
    en: 'The statement stage is over; a statement can no longer be submitted.',
  },
  periodStep: {
    zh: '陈述申辩期：{from} 起 {days} 个工作日，至 {deadline}',
    en: 'Statement period: {days} working days from {from}, until {deadline}',
  },
  periodOpen: { zh: '陈述申辩期进行中（至 {deadline}）', en: 'Statement period open (until {deadline})' },
  noticeNo: {
    zh: '列入告知书 {no}；信用修复告知书 {repair}',
    en: 'Notice {no}; credit-repair notice {repair}',
  },
  repairExit: { zh: '退出条件：{text}', en: 'Exit conditions: {text}' },
  onBehalf: { zh: '由认定部门代为登记', en: 'recorded by the department' },
  waiverDoc: { zh: '放弃陈述申辩书 {no}', en: 'signed waiver {no}' },
  outcomeList: { zh: '决定列入', en: 'Decided to list' },
  outcomeNotList: { zh: '决定不予列入', en: 'Decided not to list' },
  periodFromUntil: { zh: '列入期间 {from} – {until}', en: 'On the list {from} – {until}' },
  until: { zh: '期满日 {date}', en: 'until {date}' },
  reviewOn: { zh: '复核日期 {date}', en: 'review on {date}' },
  notPublic: { zh: '不公示的名单', en: 'List not published' },
});

type Step = NonNullable<EntryView['steps']>[number];

const str = (v: unknown): string => (typeof v === 'string' ? v : v == null ? '' : String(v));

/** What a step says, in the subject's words: notice numbers, the period, the decision, the end. */
function StepDetail({ step }: { step: Step }) {
  const { t, pick } = useLang();
  const d = step.data;
  const lines: ReactNode[] = [];
  switch (step.step) {
    case 'proposed':
      if (d.summary) lines.push(str(d.summary));
      break;
    case 'notified': {
      lines.push(t(m.noticeNo, { no: str(d.noticeNo), repair: str(d.repairNoticeNo) }));
      if (d.statementDeadline)
        lines.push(
          t(m.periodStep, {
            from: str(d.statementFrom ?? d.notifiedOn),
            days: str(d.statementDays),
            deadline: str(d.statementDeadline),
          }),
        );
      const exit = (d.repairNotice as { exitConditions?: { zh: string; en: string } } | undefined)
        ?.exitConditions;
      if (exit) lines.push(t(m.repairExit, { text: pick(exit.zh, exit.en) }));
      const period = (d.repairNotice as { period?: ListPeriod } | undefined)?.period;
      if (period) lines.push(`${t(listText.period)}: ${t(periodText(period))}`);
      break;
    }
    case 'statement':
      lines.push(str(d.text));
      if (d.channel === 'on_behalf') lines.push(t(m.onBehalf));
      break;
    case 'statement_waived':
      if (d.waiverDocNo) lines.push(t(m.waiverDoc, { no: str(d.waiverDocNo) }));
      if (d.channel === 'on_behalf') lines.push(t(m.onBehalf));
      break;
    case 'decided':
      lines.push(`${t(d.outcome === 'list' ? m.outcomeList : m.outcomeNotList)} · ${str(d.decisionNo)}`);
      if (d.reasons) lines.push(`${t(listText.reasons)}: ${str(d.reasons)}`);
      if (d.effectiveFrom)
        lines.push(
          t(m.periodFromUntil, {
            from: str(d.effectiveFrom),
            until: d.effectiveUntil ? str(d.effectiveUntil) : '—',
          }),
        );
      if (d.reviewOn) lines.push(t(m.reviewOn, { date: str(d.reviewOn) }));
      break;
    case 'ended': {
      const label = END_REASON_LABELS[str(d.reason) as keyof typeof END_REASON_LABELS];
      lines.push(label ? t(label) : str(d.reason));
      if (d.note) lines.push(str(d.note));
      break;
    }
    case 'withdrawn':
      if (d.reason) lines.push(str(d.reason));
      break;
    case 'period_ended':
      if (d.effectiveUntil) lines.push(t(m.until, { date: str(d.effectiveUntil) }));
      break;
    case 'review_due':
      if (d.reviewOn) lines.push(t(m.reviewOn, { date: str(d.reviewOn) }));
      break;
  }
  return (
    <div data-testid="entry-step" data-step={step.step}>
      <strong>{t(stepText(step.step))}</strong> · {formatDateTime(step.at)}
      {lines.map((l, i) => (
        <div key={i} style={{ whiteSpace: 'pre-wrap' }}>
          {l}
        </div>
      ))}
    </div>
  );
}

/** The statement form while the period is open: a statement, or a waiver. */
function StatementForm({ entry, onDone }: { entry: EntryView; onDone(): void }) {
  const { t } = useLang();
  const [form] = Form.useForm<{ text?: string }>();
  const send = (body: Record<string, unknown>) =>
    post(`/api/v1/list-entries/${entry.id}/statement`, body).then(onDone);
  const statement = useFormSubmit<{ text?: string }, void>(
    form,
    [['text']],
    (v) => send({ text: v.text }),
    () => undefined,
  );
  const waiver = useFormSubmit<Record<string, never>, void>(
    form,
    [['text']],
    () => send({ waived: true }),
    () => undefined,
  );
  return (
    <Form
      form={form}
      // Field ids are prefixed with the form's name: one form per open entry, each label its own field.
      name={`statement-${entry.id}`}
      layout="vertical"
      onFinish={statement.submit}
      data-testid="statement-form"
    >
      <FormErrors messages={[...statement.general, ...waiver.general]} />
      <Form.Item
        name="text"
        label={t(m.text)}
        rules={[{ required: true, whitespace: true, message: t(m.required) }]}
      >
        <Input.TextArea rows={5} maxLength={20000} showCount data-testid="statement-text" />
      </Form.Item>
      <Space wrap>
        <Button type="primary" htmlType="submit" loading={statement.busy} data-testid="statement-submit">
          {t(m.submit)}
        </Button>
        <Popconfirm title={t(m.waiveConfirm)} onConfirm={() => waiver.submit({})}>
          <Button loading={waiver.busy} data-testid="statement-waive">
            {t(m.waive)}
          </Button>
        </Popconfirm>
      </Space>
    </Form>
  );
}

/** Why no statement can be submitted on the subject's own entry now, in words. */
function statementState(e: EntryView, t: (m: Msg, v?: Record<string, string>) => string) {
  const deadline = e.notice?.statementDeadline ?? null;
  if (e.statementAt) {
    const onBehalf = e.steps?.some((s) => s.step === 'statement' && s.data.channel === 'on_behalf');
    return {
      type: 'success' as const,
      text: t(onBehalf ? m.statedFor : m.stated, { at: formatDateTime(e.statementAt) }),
    };
  }
  if (e.waivedAt) return { type: 'info' as const, text: t(m.waived, { at: formatDateTime(e.waivedAt) }) };
  if (e.stage === 'proposed') return { type: 'info' as const, text: t(m.notNotified) };
  if (deadline) return { type: 'warning' as const, text: t(m.closed, { deadline: formatDate(deadline) }) };
  return { type: 'warning' as const, text: t(m.closedNoDeadline) };
}

function EntryCard({
  entry: e,
  me,
  onChanged,
}: {
  entry: EntryView;
  me: { ref: string; name: string };
  onChanged(): void;
}) {
  const { t, pick } = useLang();
  const own = e.subject.ref === me.ref;
  const myRole = own ? null : e.parties.find((p) => p.ref === me.ref);
  const deadline = e.notice?.statementDeadline ?? null;
  const state = e.statementOpen || !own ? null : statementState(e, t);
  const steps = e.steps ?? [];
  return (
    <Card
      size="small"
      data-testid="my-list-entry"
      data-entry={e.id}
      title={
        <Space wrap>
          <span>{pick(e.listType.nameZh, e.listType.nameEn)}</span>
          <Tag color={stageColor(e.status)} data-testid="entry-status">
            {t(stageText(e.status))}
          </Tag>
          {e.listType.public ? null : <Tag data-testid="entry-not-public">{t(m.notPublic)}</Tag>}
        </Space>
      }
      extra={`#${e.id}`}
    >
      {myRole ? (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 12 }}
          title={t(m.asParty, { role: pick(myRole.roleLabel.zh, myRole.roleLabel.en), name: e.subject.name })}
        />
      ) : null}
      <Descriptions column={1} size="small" bordered>
        <Descriptions.Item label={t(listText.department)}>
          {pick(e.department.name ?? '—', e.department.nameEn)}
        </Descriptions.Item>
        <Descriptions.Item label={t(listText.facts)}>
          <div>{e.summary}</div>
          {e.facts.map((f, i) => (
            <div key={i}>{factLine(f)}</div>
          ))}
        </Descriptions.Item>
        <Descriptions.Item label={t(listText.basis)}>
          {e.legalBasis.map((b) => (
            <div key={b.instrument}>{basisLine(b, t)}</div>
          ))}
        </Descriptions.Item>
        {e.notice ? (
          <Descriptions.Item label={t(listText.deadline)}>
            <span data-testid="statement-deadline">{deadline ? formatDate(deadline) : '—'}</span>
          </Descriptions.Item>
        ) : null}
        {e.effectiveFrom ? (
          <Descriptions.Item label={t(listText.period)}>
            {entryPeriodText(e, t)}
            {e.earliestExit ? ` · ${t(listText.earliest)} ${formatDate(e.earliestExit)}` : ''}
          </Descriptions.Item>
        ) : null}
        <Descriptions.Item label={t(listText.exit)}>
          {pick(e.exitConditions.zh, e.exitConditions.en)}
        </Descriptions.Item>
      </Descriptions>

      <div style={{ marginTop: 16 }} data-testid="statement-panel">
        <strong>{t(m.statementTitle)}</strong>
        {e.statementOpen && deadline ? (
          <>
            <Alert
              type="warning"
              showIcon
              style={{ margin: '8px 0' }}
              data-testid="statement-open"
              title={t(m.open, { deadline: formatDate(deadline) })}
            />
            <StatementForm entry={e} onDone={onChanged} />
          </>
        ) : state ? (
          <Alert
            type={state.type}
            showIcon
            style={{ marginTop: 8 }}
            data-testid="statement-closed"
            title={state.text}
          />
        ) : null}
      </div>

      <div style={{ marginTop: 16 }}>
        <strong>{t(listText.steps)}</strong>
        <Timeline
          style={{ marginTop: 8 }}
          items={[
            ...steps.map((s) => ({ key: `${s.step}-${s.at}`, content: <StepDetail step={s} /> })),
            // The period still running is the step the subject is in.
            ...(e.statementOpen && deadline
              ? [
                  {
                    key: 'statement-period',
                    loading: true,
                    content: (
                      <span data-testid="entry-step" data-step="statement_period">
                        {t(m.periodOpen, { deadline: formatDate(deadline) })}
                      </span>
                    ),
                  },
                ]
              : []),
          ]}
        />
      </div>
    </Card>
  );
}

/** /console/my-list-entries: the subject's own entries with every step, and its statement. */
export function MyListEntriesPage() {
  const { t } = useLang();
  const data = useAsync(
    (signal) =>
      get<{ subject: { ref: string; name: string; type: string }; at: string; items: EntryView[] }>(
        '/api/v1/me/list-entries',
        undefined,
        signal,
      ),
    [],
  );
  return (
    <div>
      <PageHeader title={t(m.title)}>{t(m.lead)}</PageHeader>
      {data.error ? <ErrorAlert error={data.error} onRetry={data.reload} /> : null}
      {data.data ? (
        <>
          <p data-testid="my-subject">{t(m.subject, { name: data.data.subject.name })}</p>
          {data.data.items.length === 0 ? <Empty description={t(m.none)} /> : null}
          <Space orientation="vertical" style={{ width: '100%' }} size="middle">
            {data.data.items.map((e) => (
              <EntryCard key={e.id} entry={e} me={data.data!.subject} onChanged={data.reload} />
            ))}
          </Space>
        </>
      ) : null}
    </div>
  );
}
