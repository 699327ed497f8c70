import {
  Alert,
  Button,
  DatePicker,
  Form,
  Input,
  InputNumber,
  Modal,
  Popconfirm,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { del, get, post } from '../../api/client';
import type { ApiKeyInfo } from '../../api/types';
import { defineMessages } from '../../i18n/lang';
import { useLang } from '../../i18n/LangProvider';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { formatDateTime } from '../../ui/format';
import { common } from '../../ui/messages';
import { useAsync } from '../../ui/useAsync';
import { FormErrors, useFormSubmit } from '../../ui/useFormSubmit';
import { PageHeader } from '../console/PageHeader';
import { apiKeyState, canRotate, rotationEndsAt } from './apiKeyState';
import { useDepartments } from './useDepartments';

const m = defineMessages({
  title: { zh: 'API 密钥', en: 'API keys' },
  lead: {
    zh: '部门业务系统调用接口使用的密钥。明文只在签发时显示一次，平台只保存其摘要。',
    en: 'Keys for department systems calling the API. The key is shown once when issued; the platform keeps only a digest.',
  },
  create: { zh: '签发密钥', en: 'Issue a key' },
  name: { zh: '名称', en: 'Name' },
  department: { zh: '部门', en: 'Department' },
  prefix: { zh: '前缀', en: 'Prefix' },
  scopes: { zh: '权限范围', en: 'Scopes' },
  scopesHelp: { zh: '输入后回车，可留空', en: 'Type and press Enter; may be empty' },
  expiresAt: { zh: '到期时间', en: 'Expires' },
  createdAt: { zh: '签发时间', en: 'Issued' },
  status: { zh: '状态', en: 'Status' },
  active: { zh: '有效', en: 'Active' },
  revoked: { zh: '已吊销', en: 'Revoked' },
  expired: { zh: '已过期', en: 'Expired' },
  revoke: { zh: '吊销', en: 'Revoke' },
  revokeConfirm: {
    zh: '吊销后使用该密钥的系统将立即无法访问，确定吊销？',
    en: 'Systems using this key lose access at once. Revoke?',
  },
  rotate: { zh: '轮换', en: 'Rotate' },
  rotateTitle: { zh: '轮换密钥“{name}”', en: 'Rotate key “{name}”' },
  rotateLead: {
    zh: '将签发一把新密钥（部门、名称、权限范围和到期时间与原密钥相同），明文只显示一次。旧密钥在宽限期内仍可使用，期满即失效；填 0 则立即失效。若旧密钥本身更早到期，按原到期时间失效。',
    en: 'A new key is issued (same department, name, scopes and expiry) and shown once. The old key keeps working for the grace period and then stops; 0 ends it at once. If the old key expires sooner, it stops at its own expiry.',
  },
  graceHours: { zh: '宽限期（小时，0–720）', en: 'Grace period (hours, 0–720)' },
  oldEnds: { zh: '旧密钥将于 {at} 失效', en: 'The old key stops working at {at}' },
  rotated: { zh: '已轮换', en: 'Rotated' },
  rotatedTo: { zh: '已轮换为 #{id}，旧密钥到期前仍有效', en: 'Replaced by #{id}; works until it expires' },
  shownOnce: { zh: '请立即复制保存，关闭后无法再次查看', en: 'Copy it now: it cannot be shown again' },
  required: { zh: '必填', en: 'Required' },
});

interface RotateValues {
  graceHours: number;
}

interface Values {
  departmentId: number;
  name: string;
  scopes?: string[];
  expiresAt?: Dayjs | null;
}

export function ApiKeysPage() {
  const { t, pick } = useLang();
  const keys = useAsync((signal) => get<ApiKeyInfo[]>('/api/v1/api-keys', undefined, signal), []);
  const depts = useDepartments();
  const [open, setOpen] = useState(false);
  const [issued, setIssued] = useState<string | null>(null);
  const [actionError, setActionError] = useState<unknown>(null);
  const [form] = Form.useForm<Values>();
  const { submit, busy, general, clear } = useFormSubmit(
    form,
    [['departmentId'], ['name'], ['scopes'], ['expiresAt']],
    (v: Values) =>
      post<{ key: string; info: ApiKeyInfo }>('/api/v1/api-keys', {
        departmentId: v.departmentId,
        name: v.name.trim(),
        scopes: v.scopes ?? [],
        expiresAt: v.expiresAt ? v.expiresAt.endOf('day').toISOString() : null,
      }),
    (r) => {
      setOpen(false);
      form.resetFields();
      setIssued(r.key);
      keys.reload();
    },
  );
  const [rotating, setRotating] = useState<ApiKeyInfo | null>(null);
  const [rotateForm] = Form.useForm<RotateValues>();
  const graceHours = Form.useWatch('graceHours', rotateForm);
  const rotation = useFormSubmit(
    rotateForm,
    [['graceHours']],
    (v: RotateValues) =>
      post<{ key: string; info: ApiKeyInfo; previous: ApiKeyInfo }>(
        `/api/v1/api-keys/${rotating?.id}/rotate`,
        { graceHours: v.graceHours },
      ),
    (r) => {
      setRotating(null);
      setIssued(r.key);
      keys.reload();
    },
  );
  const revoke = async (id: number) => {
    setActionError(null);
    try {
      await del(`/api/v1/api-keys/${id}`);
      keys.reload();
    } catch (err) {
      setActionError(err);
    }
  };
  return (
    <div>
      <PageHeader
        title={t(m.title)}
        extra={
          <Button type="primary" onClick={() => setOpen(true)} data-testid="apikey-create">
            {t(m.create)}
          </Button>
        }
      >
        {t(m.lead)}
      </PageHeader>
      {keys.error ? <ErrorAlert error={keys.error} onRetry={keys.reload} /> : null}
      {actionError ? <ErrorAlert error={actionError} /> : null}
      {issued ? (
        <Alert
          type="success"
          showIcon
          closable
          onClose={() => setIssued(null)}
          title={t(m.shownOnce)}
          description={
            <Typography.Text code copyable data-testid="issued-key">
              {issued}
            </Typography.Text>
          }
          style={{ marginBottom: 12 }}
        />
      ) : null}
      <Table<ApiKeyInfo>
        rowKey="id"
        loading={keys.loading}
        dataSource={keys.data ?? []}
        scroll={{ x: 900 }}
        columns={[
          { key: 'name', title: t(m.name), dataIndex: 'name' },
          {
            key: 'department',
            title: t(m.department),
            render: (_, k) => {
              const d = depts.byId.get(k.departmentId);
              return d ? pick(d.name, d.nameEn) : `#${k.departmentId}`;
            },
          },
          {
            key: 'prefix',
            title: t(m.prefix),
            render: (_, k) => <Typography.Text code>{k.prefix}…</Typography.Text>,
          },
          {
            key: 'scopes',
            title: t(m.scopes),
            render: (_, k) => k.scopes.map((s) => <Tag key={s}>{s}</Tag>),
          },
          { key: 'createdAt', title: t(m.createdAt), render: (_, k) => formatDateTime(k.createdAt) },
          {
            key: 'expiresAt',
            title: t(m.expiresAt),
            render: (_, k) => (k.expiresAt ? formatDateTime(k.expiresAt) : '—'),
          },
          {
            key: 'status',
            title: t(m.status),
            render: (_, k) => {
              const state = apiKeyState(k, Date.now());
              return state === 'revoked' ? (
                <Tag color="red">{t(m.revoked)}</Tag>
              ) : state === 'expired' ? (
                <Tag>{t(m.expired)}</Tag>
              ) : (
                <>
                  <Tag color="green">{t(m.active)}</Tag>
                  {k.replacedBy ? (
                    <Tag title={t(m.rotatedTo, { id: k.replacedBy })}>{t(m.rotated)}</Tag>
                  ) : null}
                </>
              );
            },
          },
          {
            key: 'actions',
            title: t(common.actions),
            render: (_, k) =>
              k.revokedAt ? null : (
                <Space size={4} wrap>
                  {canRotate(k, Date.now()) ? (
                    <Button
                      size="small"
                      data-testid={`apikey-rotate-${k.id}`}
                      onClick={() => {
                        rotation.clear();
                        setRotating(k);
                      }}
                    >
                      {t(m.rotate)}
                    </Button>
                  ) : null}
                  <Popconfirm
                    title={t(m.revokeConfirm)}
                    okText={t(m.revoke)}
                    cancelText={t(common.cancel)}
                    onConfirm={() => revoke(k.id)}
                  >
                    <Button danger size="small">
                      {t(m.revoke)}
                    </Button>
                  </Popconfirm>
                </Space>
              ),
          },
        ]}
      />
      <Modal
        open={rotating !== null}
        title={rotating ? t(m.rotateTitle, { name: rotating.name }) : ''}
        okText={t(m.rotate)}
        okButtonProps={{ danger: true }}
        cancelText={t(common.cancel)}
        confirmLoading={rotation.busy}
        onOk={() => rotateForm.submit()}
        onCancel={() => setRotating(null)}
        destroyOnHidden
      >
        <Typography.Paragraph>{t(m.rotateLead)}</Typography.Paragraph>
        <FormErrors messages={rotation.general} />
        <Form
          form={rotateForm}
          layout="vertical"
          onFinish={rotation.submit}
          initialValues={{ graceHours: 24 }}
          preserve={false}
          data-testid="apikey-rotate-form"
        >
          <Form.Item
            name="graceHours"
            label={t(m.graceHours)}
            rules={[{ required: true, type: 'integer', min: 0, max: 720, message: t(m.graceHours) }]}
            extra={
              rotating && typeof graceHours === 'number'
                ? t(m.oldEnds, {
                    at: formatDateTime(
                      rotationEndsAt(rotating.expiresAt, graceHours, Date.now()).toISOString(),
                    ),
                  })
                : undefined
            }
          >
            <InputNumber min={0} max={720} precision={0} style={{ width: '100%' }} />
          </Form.Item>
        </Form>
      </Modal>
      <Modal
        open={open}
        title={t(m.create)}
        okText={t(m.create)}
        cancelText={t(common.cancel)}
        confirmLoading={busy}
        onOk={() => form.submit()}
        onCancel={() => {
          setOpen(false);
          clear();
        }}
        destroyOnHidden
      >
        <FormErrors messages={general} />
        <Form form={form} layout="vertical" onFinish={submit} preserve={false}>
          <Form.Item
            name="departmentId"
            label={t(m.department)}
            rules={[{ required: true, message: t(m.required) }]}
          >
            <Select options={depts.list.map((d) => ({ value: d.id, label: pick(d.name, d.nameEn) }))} />
          </Form.Item>
          <Form.Item
            name="name"
            label={t(m.name)}
            rules={[{ required: true, whitespace: true, message: t(m.required) }]}
          >
            <Input maxLength={100} />
          </Form.Item>
          <Form.Item name="scopes" label={t(m.scopes)} extra={t(m.scopesHelp)}>
            <Select mode="tags" tokenSeparators={[',', ' ']} open={false} />
          </Form.Item>
          <Form.Item name="expiresAt" label={t(m.expiresAt)}>
            <DatePicker />
          </Form.Item>
        </Form>
      </Modal>
    </div>
  );
}
