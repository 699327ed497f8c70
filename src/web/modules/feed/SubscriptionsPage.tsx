import { Button, Drawer, Form, Input, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { api, get, post } from '../../api/client';
import { defineMessages } from '../../i18n/lang';
import { useLang } from '../../i18n/LangProvider';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { formatDateTime } from '../../ui/format';
import { useAsync } from '../../ui/useAsync';
import { FormErrors, useFormSubmit } from '../../ui/useFormSubmit';
import { useSession } from '../accounts/session';
import { PageHeader } from '../console/PageHeader';
import {
  deliveryOutcomeText,
  FEED_SCOPES,
  isWebhookUrl,
  subscriptionScopeText,
  subscriptionStatusText,
} from './subscriptions';

interface Subscription {
  id: number;
  url: string;
  scope: string;
  description: string;
  purpose: string | null;
  purposeStated: boolean;
  status: string;
  cursorSeq: number;
  attempts: number;
  nextAttemptAt: string;
  lastError: string | null;
  lastSuccessAt: string | null;
  deadAt: string | null;
}

interface Delivery {
  id: number;
  firstSeq: number;
  lastSeq: number;
  events: number;
  attempt: number;
  outcome: string;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
  at: string;
}

const m = defineMessages({
  title: { zh: '变更推送订阅', en: 'Change-feed subscribers' },
  lead: {
    zh: '信用服务机构和部门系统通过推送接收变更流：按顺序、至少一次投递，每页均有签名；连续失败后进入死信，恢复后从卡住的批次续投。',
    en: 'Credit service agencies and department systems receive the change feed pushed: in order, at least once, every page signed; after repeated failures a subscription is dead-lettered and resumes from the stuck batch.',
  },
  add: { zh: '登记订阅', en: 'Register' },
  url: { zh: '推送地址', en: 'URL' },
  urlInvalid: {
    zh: '请输入以 http:// 或 https:// 开头的推送地址',
    en: 'Enter an address starting with http:// or https://',
  },
  descriptionMissing: { zh: '请填写说明（至少 2 个字）', en: 'Enter a description (at least 2 characters)' },
  description: { zh: '说明', en: 'Description' },
  scope: { zh: '范围', en: 'Scope' },
  purpose: { zh: '读取用途', en: 'Purpose of the reads' },
  purposeHelp: {
    zh: '共享范围须说明用途（4–200 个字）：每次推送都记为一次载明该用途的非公开读取，信息主体可以看到。',
    en: 'Required for the shared scope (4–200 characters): every delivery is logged as a non-public read carrying it, and the subject sees it.',
  },
  purposeMissing: {
    zh: '请说明读取共享数据的用途（4–200 个字）',
    en: 'State why the shared data is read (4–200 characters)',
  },
  purposeNotStated: { zh: '未说明', en: 'Not stated' },
  changePurpose: { zh: '更改用途', en: 'Change purpose' },
  from: { zh: '起点', en: 'Start' },
  now: { zh: '从现在起', en: 'From now' },
  beginning: { zh: '从头开始', en: 'From the beginning' },
  status: { zh: '状态', en: 'Status' },
  cursor: { zh: '已投递至', en: 'Delivered up to' },
  lastError: { zh: '最近错误', en: 'Last error' },
  deliveries: { zh: '投递日志', en: 'Deliveries' },
  resume: { zh: '恢复', en: 'Resume' },
  disable: { zh: '停用', en: 'Disable' },
  outcome: { zh: '结果', en: 'Outcome' },
  seqs: { zh: '事件序号', en: 'Events' },
  at: { zh: '时间', en: 'Time' },
});

const STATUS_COLORS: Record<string, string> = { active: 'green', dead: 'red', disabled: 'default' };

export function SubscriptionsPage() {
  const { t } = useLang();
  // Auditors see the subscriptions and their deliveries; only the administrator changes them.
  const canWrite = useSession().hasRole('platform_admin');
  const list = useAsync((signal) => get<Subscription[]>('/api/v1/feed/subscriptions', undefined, signal), []);
  const [adding, setAdding] = useState(false);
  const [viewing, setViewing] = useState<Subscription | null>(null);
  const [purposeOf, setPurposeOf] = useState<Subscription | null>(null);
  const [error, setError] = useState<unknown>(null);
  const act = async (fn: () => Promise<unknown>) => {
    setError(null);
    try {
      await fn();
      list.reload();
    } catch (err) {
      setError(err);
    }
  };

  return (
    <>
      <PageHeader
        title={t(m.title)}
        extra={
          canWrite ? (
            <Button type="primary" onClick={() => setAdding(true)}>
              {t(m.add)}
            </Button>
          ) : undefined
        }
      >
        {t(m.lead)}
      </PageHeader>
      {error ? <ErrorAlert error={error} /> : null}
      {list.error ? <ErrorAlert error={list.error} onRetry={list.reload} /> : null}
      <Table<Subscription>
        rowKey="id"
        size="small"
        loading={list.loading}
        dataSource={list.data ?? []}
        pagination={false}
        scroll={{ x: 900 }}
        columns={[
          { title: '#', dataIndex: 'id' },
          { title: t(m.url), dataIndex: 'url' },
          { title: t(m.scope), render: (_, s) => t(subscriptionScopeText(s.scope)) },
          {
            title: t(m.purpose),
            render: (_, s) =>
              s.scope !== 'shared' ? (
                '—'
              ) : (
                <Space size={4}>
                  <span>{s.purpose}</span>
                  {s.purposeStated ? null : <Tag color="orange">{t(m.purposeNotStated)}</Tag>}
                </Space>
              ),
          },
          {
            title: t(m.status),
            render: (_, s) => (
              <Tag color={STATUS_COLORS[s.status]}>{t(subscriptionStatusText(s.status))}</Tag>
            ),
          },
          { title: t(m.cursor), dataIndex: 'cursorSeq' },
          {
            title: t(m.lastError),
            render: (_, s) =>
              s.lastError ? (
                <Typography.Text type="danger">
                  {s.lastError} ({s.attempts})
                </Typography.Text>
              ) : (
                '—'
              ),
          },
          {
            title: '',
            render: (_, s) => (
              <Space>
                <Button size="small" onClick={() => setViewing(s)}>
                  {t(m.deliveries)}
                </Button>
                {!canWrite ? null : s.scope === 'shared' ? (
                  <Button size="small" onClick={() => setPurposeOf(s)}>
                    {t(m.changePurpose)}
                  </Button>
                ) : null}
                {!canWrite ? null : s.status !== 'active' ? (
                  <Button
                    size="small"
                    onClick={() => act(() => post(`/api/v1/feed/subscriptions/${s.id}/resume`))}
                  >
                    {t(m.resume)}
                  </Button>
                ) : (
                  <Button
                    size="small"
                    danger
                    onClick={() => act(() => post(`/api/v1/feed/subscriptions/${s.id}/disable`))}
                  >
                    {t(m.disable)}
                  </Button>
                )}
              </Space>
            ),
          },
        ]}
      />
      {adding ? (
        <Modal open title={t(m.add)} onCancel={() => setAdding(false)} footer={null}>
          <AddForm
            onDone={() => {
              setAdding(false);
              list.reload();
            }}
          />
        </Modal>
      ) : null}
      {purposeOf ? (
        <Modal
          open
          title={`${t(m.changePurpose)} · #${purposeOf.id}`}
          onCancel={() => setPurposeOf(null)}
          footer={null}
        >
          <PurposeForm
            sub={purposeOf}
            onDone={() => {
              setPurposeOf(null);
              list.reload();
            }}
          />
        </Modal>
      ) : null}
      {viewing ? <DeliveriesDrawer sub={viewing} onClose={() => setViewing(null)} /> : null}
    </>
  );
}

interface AddValues {
  url: string;
  description: string;
  scope: string;
  purpose?: string;
  from: string;
}

/** The purpose of a shared subscription's reads (4–200 characters, as the server requires). */
function PurposeField() {
  const { t } = useLang();
  return (
    <Form.Item
      name="purpose"
      label={t(m.purpose)}
      extra={t(m.purposeHelp)}
      rules={[{ required: true, whitespace: true, min: 4, max: 200, message: t(m.purposeMissing) }]}
    >
      <Input.TextArea rows={2} maxLength={200} showCount />
    </Form.Item>
  );
}

/** Changing the purpose of a shared subscription; the server's refusal shows in the dialog. */
function PurposeForm({ sub, onDone }: { sub: Subscription; onDone: () => void }) {
  const { t } = useLang();
  const [form] = Form.useForm<{ purpose: string }>();
  const { submit, busy, general } = useFormSubmit(
    form,
    [['purpose']],
    (v: { purpose: string }) =>
      api(`/api/v1/feed/subscriptions/${sub.id}/purpose`, { method: 'PUT', body: v }),
    onDone,
  );
  return (
    <Form
      form={form}
      layout="vertical"
      initialValues={{ purpose: sub.purposeStated ? sub.purpose : '' }}
      onFinish={submit}
    >
      <FormErrors messages={general} />
      <PurposeField />
      <Button type="primary" htmlType="submit" loading={busy}>
        {t(m.changePurpose)}
      </Button>
    </Form>
  );
}

/**
 * Registration: a subscription in the shared scope must state the purpose of its reads. The
 * server's refusal (an address that does not resolve or is private, …) shows in the dialog, on
 * the field it concerns.
 */
function AddForm({ onDone }: { onDone: () => void }) {
  const { t } = useLang();
  const [form] = Form.useForm<AddValues>();
  const scope = Form.useWatch('scope', form);
  const { submit, busy, general } = useFormSubmit(
    form,
    [['url'], ['description'], ['scope'], ['purpose'], ['from']],
    ({ purpose, ...values }: AddValues) => {
      const rest = { ...values, url: values.url.trim() };
      // Only the shared scope states a purpose.
      return post('/api/v1/feed/subscriptions', rest.scope === 'shared' ? { ...rest, purpose } : rest);
    },
    onDone,
  );
  return (
    <Form form={form} layout="vertical" initialValues={{ scope: 'public', from: 'now' }} onFinish={submit}>
      <FormErrors messages={general} />
      <Form.Item
        name="url"
        label={t(m.url)}
        rules={[
          { required: true, message: t(m.urlInvalid) },
          {
            validator: (_, v: string | undefined) =>
              !v || isWebhookUrl(v) ? Promise.resolve() : Promise.reject(new Error(t(m.urlInvalid))),
          },
        ]}
      >
        <Input placeholder="https://agency.example.cn/xinyong/hook" />
      </Form.Item>
      <Form.Item
        name="description"
        label={t(m.description)}
        rules={[{ required: true, whitespace: true, min: 2, message: t(m.descriptionMissing) }]}
      >
        <Input maxLength={500} />
      </Form.Item>
      <Form.Item name="scope" label={t(m.scope)}>
        <Select options={FEED_SCOPES.map((value) => ({ value, label: t(subscriptionScopeText(value)) }))} />
      </Form.Item>
      {scope === 'shared' ? <PurposeField /> : null}
      <Form.Item name="from" label={t(m.from)}>
        <Select
          options={[
            { value: 'now', label: t(m.now) },
            { value: 'beginning', label: t(m.beginning) },
          ]}
        />
      </Form.Item>
      <Button type="primary" htmlType="submit" loading={busy} data-testid="feed-add-submit">
        {t(m.add)}
      </Button>
    </Form>
  );
}

function DeliveriesDrawer({ sub, onClose }: { sub: Subscription; onClose: () => void }) {
  const { t } = useLang();
  const log = useAsync(
    (signal) => get<Delivery[]>(`/api/v1/feed/subscriptions/${sub.id}/deliveries`, undefined, signal),
    [sub.id],
  );
  return (
    <Drawer open size="large" title={`${t(m.deliveries)} · ${sub.url}`} onClose={onClose}>
      {log.error ? <ErrorAlert error={log.error} onRetry={log.reload} /> : null}
      <Table<Delivery>
        rowKey="id"
        size="small"
        loading={log.loading}
        dataSource={log.data ?? []}
        pagination={false}
        columns={[
          { title: t(m.at), render: (_, d) => formatDateTime(d.at) },
          { title: t(m.seqs), render: (_, d) => `${d.firstSeq}–${d.lastSeq} (${d.events})` },
          {
            title: t(m.outcome),
            render: (_, d) => (
              <Tag color={d.outcome === 'delivered' ? 'green' : 'red'}>
                {t(deliveryOutcomeText(d.outcome))}
              </Tag>
            ),
          },
          { title: 'HTTP', render: (_, d) => d.statusCode ?? d.error ?? '—' },
          { title: 'ms', dataIndex: 'durationMs' },
        ]}
      />
    </Drawer>
  );
}
