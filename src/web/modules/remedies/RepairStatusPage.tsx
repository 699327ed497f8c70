import { Alert, Button, Descriptions, Input, Space, Steps, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useSearchParams } from 'react-router';
import { get } from '../../api/client';
import { defineMessages, pick } from '../../i18n/lang';
import { useLang } from '../../i18n/LangProvider';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { STEP_LABELS, deadlineText, statusColor, type PublicStatus } from './remedies';

const m = defineMessages({
  title: { zh: '信用修复进度查询', en: 'Follow a credit-repair application' },
  lead: {
    zh: '输入申请时获得的查询码，即可查询办理进度和期限。本页不显示任何个人信息。信用修复免费。',
    en: 'Enter the query code you received when applying to see progress and deadlines. No personal data is shown. Repair is free.',
  },
  code: { zh: '查询码', en: 'Query code' },
  query: { zh: '查询', en: 'Look up' },
  information: { zh: '信息类别', en: 'Information' },
  status: { zh: '当前状态', en: 'Status' },
  appliedOn: { zh: '申请日期', en: 'Applied' },
  answerDue: { zh: '平台答复期限', en: 'Platform answers by' },
  receivedOn: { zh: '部门收到日期', en: 'Received by the department' },
  decideDue: { zh: '部门决定期限', en: 'Decision due' },
  extended: { zh: '已延期一次', en: 'Extended once' },
  decidedOn: { zh: '决定日期', en: 'Decided' },
  late: { zh: '逾期', en: 'late' },
  codeMissing: { zh: '请输入查询码', en: 'Enter the query code' },
});

export function RepairStatusPage() {
  const { t, lang } = useLang();
  const [params, setParams] = useSearchParams();
  const [code, setCode] = useState(params.get('code') ?? '');
  const [status, setStatus] = useState<PublicStatus | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(false);
  const [missing, setMissing] = useState(false);

  const look = async (c: string) => {
    // An empty code answers for itself: no earlier result or error stays on the page.
    setMissing(!c.trim());
    setError(null);
    if (!c.trim()) {
      setStatus(null);
      return;
    }
    setLoading(true);
    try {
      setStatus(await get<PublicStatus>(`/api/v1/public/repairs/${encodeURIComponent(c.trim())}`));
      setParams({ code: c.trim() }, { replace: true });
    } catch (err) {
      setStatus(null);
      setError(err);
    } finally {
      setLoading(false);
    }
  };
  useEffect(() => {
    if (params.get('code')) void look(params.get('code') ?? '');
    // Only the code the page was opened with.
  }, []);

  const deadline = status ? deadlineText(status.pending) : null;
  return (
    <div style={{ maxWidth: 760, margin: '24px auto', padding: '0 16px' }}>
      <Typography.Title level={1} style={{ fontSize: 22 }}>
        {t(m.title)}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t(m.lead)}</Typography.Paragraph>
      <Space.Compact style={{ width: '100%', maxWidth: 480 }}>
        <Input
          aria-label={t(m.code)}
          placeholder="XY-XXXX-XXXX-XXXX-XXXX"
          value={code}
          onChange={(e) => setCode(e.target.value)}
          onPressEnter={() => look(code)}
          status={missing ? 'error' : undefined}
          data-testid="query-code"
        />
        <Button type="primary" loading={loading} onClick={() => look(code)} data-testid="query-button">
          {t(m.query)}
        </Button>
      </Space.Compact>
      {missing ? (
        <Typography.Text type="danger" role="alert" style={{ display: 'block', marginTop: 4 }}>
          {t(m.codeMissing)}
        </Typography.Text>
      ) : null}
      <div style={{ marginTop: 16 }}>{error ? <ErrorAlert error={error} /> : null}</div>
      {status ? (
        <>
          {deadline ? (
            <Alert
              style={{ marginBottom: 16 }}
              type={status.pending?.overdue ? 'warning' : 'info'}
              showIcon
              title={t(deadline)}
            />
          ) : null}
          <Descriptions bordered size="small" column={1}>
            <Descriptions.Item label={t(m.information)}>
              {status.information ? pick(lang, status.information.zh, status.information.en) : status.kind}
            </Descriptions.Item>
            <Descriptions.Item label={t(m.status)}>
              <Tag color={statusColor(status.status)}>
                {pick(lang, status.statusLabel.zh, status.statusLabel.en)}
              </Tag>
              {status.extended ? <Tag>{t(m.extended)}</Tag> : null}
            </Descriptions.Item>
            <Descriptions.Item label={t(m.appliedOn)}>{status.appliedOn ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t(m.answerDue)}>{status.answerDue ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t(m.receivedOn)}>{status.receivedOn ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t(m.decideDue)}>{status.decideDue ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t(m.decidedOn)}>{status.decidedOn ?? '—'}</Descriptions.Item>
          </Descriptions>
          <Steps
            style={{ marginTop: 24 }}
            direction="vertical"
            size="small"
            current={status.steps.length - 1}
            items={status.steps.map((s) => ({
              title: STEP_LABELS[s.step] ? t(STEP_LABELS[s.step] as { zh: string; en: string }) : s.step,
              description: `${s.on}${s.due ? ` · ${s.due}` : ''}${s.late ? ` · ${t(m.late)}` : ''}`,
              status: s.late ? 'error' : 'finish',
            }))}
          />
        </>
      ) : null}
    </div>
  );
}
