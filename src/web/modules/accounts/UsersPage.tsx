import { Alert, Button, Form, Input, InputNumber, Modal, Popconfirm, Select, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { del, get, post } from '../../api/client';
import type { Role, User } from '../../api/types';
import { defineMessages } from '../../i18n/lang';
import { useLang } from '../../i18n/LangProvider';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { common } from '../../ui/messages';
import { useAsync } from '../../ui/useAsync';
import { FormErrors, useFormSubmit } from '../../ui/useFormSubmit';
import { PageHeader } from '../console/PageHeader';
import { ROLE_LABELS, ROLES, SECOND_FACTOR_ROLES } from './roles';
import { useDepartments } from './useDepartments';
import { statusTagColor, statusText } from '../../ui/status';

const m = defineMessages({
  title: { zh: '用户与角色', en: 'Users and roles' },
  lead: {
    zh: '部门数据专员、审核员须属于一个部门；平台管理员和审计员可不属于部门。',
    en: 'Department officers and reviewers belong to a department; administrators and auditors may not.',
  },
  create: { zh: '新建用户', en: 'New user' },
  username: { zh: '用户名', en: 'Username' },
  displayName: { zh: '姓名', en: 'Display name' },
  password: { zh: '初始密码', en: 'Initial password' },
  roles: { zh: '角色', en: 'Roles' },
  department: { zh: '所属部门', en: 'Department' },
  none: { zh: '无', en: 'None' },
  status: { zh: '状态', en: 'Status' },
  required: { zh: '必填', en: 'Required' },
  subjectId: { zh: '关联主体编号（S 后的数字）', en: 'Linked subject (number after S)' },
  secondFactor: {
    zh: '该角色登录时还需动态口令（首次登录时绑定）',
    en: 'This role also logs in with a one-time code (set up at first login)',
  },
  totpReset: { zh: '重置动态口令', en: 'Reset one-time code' },
  totpResetConfirm: {
    zh: '重置后该用户下次登录需重新绑定动态口令，确定？',
    en: 'The user will set up a new one-time code at the next login. Reset?',
  },
  totpResetDone: { zh: '已重置 {name} 的动态口令', en: 'One-time code of {name} reset' },
  usernameRule: {
    zh: '3–64 位字母、数字、下划线、点或连字符',
    en: '3–64 letters, digits, underscores, dots or hyphens',
  },
});

interface Values {
  username: string;
  displayName: string;
  password: string;
  roles: Role[];
  departmentId?: number | null;
  subjectId?: number | null;
}

export function UsersPage() {
  const { t, pick } = useLang();
  const users = useAsync((signal) => get<User[]>('/api/v1/users', undefined, signal), []);
  const depts = useDepartments();
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<Values>();
  const { submit, busy, general, clear } = useFormSubmit(
    form,
    [['username'], ['displayName'], ['password'], ['roles'], ['departmentId'], ['subjectId']],
    (v: Values) =>
      post<User>('/api/v1/users', {
        username: v.username.trim(),
        displayName: v.displayName.trim(),
        password: v.password,
        roles: v.roles,
        departmentId: v.departmentId ?? null,
        ...(v.roles.includes('subject') ? { subjectId: v.subjectId ?? null } : {}),
      }),
    () => {
      setOpen(false);
      form.resetFields();
      users.reload();
    },
  );
  const roles = (Form.useWatch('roles', form) ?? []) as Role[];
  const [actionError, setActionError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  const resetTotp = async (u: User) => {
    setActionError(null);
    setDone(null);
    try {
      await del(`/api/v1/users/${u.id}/totp`);
      setDone(t(m.totpResetDone, { name: u.username }));
    } catch (err) {
      setActionError(err);
    }
  };
  const deptName = (id: number | null) => {
    if (id === null) return '—';
    const d = depts.byId.get(id);
    return d ? pick(d.name, d.nameEn) : `#${id}`;
  };
  return (
    <div>
      <PageHeader
        title={t(m.title)}
        extra={
          <Button type="primary" onClick={() => setOpen(true)} data-testid="user-create">
            {t(m.create)}
          </Button>
        }
      >
        {t(m.lead)}
      </PageHeader>
      {users.error ? <ErrorAlert error={users.error} onRetry={users.reload} /> : null}
      {actionError ? <ErrorAlert error={actionError} /> : null}
      {done ? (
        <Alert
          type="success"
          showIcon
          closable
          title={done}
          onClose={() => setDone(null)}
          style={{ marginBottom: 12 }}
        />
      ) : null}
      <Table<User>
        rowKey="id"
        loading={users.loading}
        dataSource={users.data ?? []}
        scroll={{ x: 720 }}
        columns={[
          { key: 'username', title: t(m.username), dataIndex: 'username' },
          { key: 'displayName', title: t(m.displayName), dataIndex: 'displayName' },
          { key: 'department', title: t(m.department), render: (_, u) => deptName(u.departmentId) },
          {
            key: 'roles',
            title: t(m.roles),
            render: (_, u) => (
              <Space wrap size={4}>
                {u.roles.map((r) => (
                  <Tag key={r}>{t(ROLE_LABELS[r])}</Tag>
                ))}
              </Space>
            ),
          },
          {
            key: 'status',
            title: t(m.status),
            render: (_, u) => <Tag color={statusTagColor(u.status)}>{t(statusText(u.status))}</Tag>,
          },
          {
            key: 'actions',
            title: t(common.actions),
            render: (_, u) => (
              <Popconfirm
                title={t(m.totpResetConfirm)}
                okText={t(m.totpReset)}
                cancelText={t(common.cancel)}
                onConfirm={() => resetTotp(u)}
              >
                <Button size="small">{t(m.totpReset)}</Button>
              </Popconfirm>
            ),
          },
        ]}
      />
      <Modal
        open={open}
        title={t(m.create)}
        okText={t(common.create)}
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
            name="username"
            label={t(m.username)}
            extra={t(m.usernameRule)}
            rules={[{ required: true, pattern: /^[A-Za-z0-9_.-]{3,64}$/, message: t(m.usernameRule) }]}
          >
            <Input autoComplete="off" />
          </Form.Item>
          <Form.Item
            name="displayName"
            label={t(m.displayName)}
            rules={[{ required: true, whitespace: true, message: t(m.required) }]}
          >
            <Input maxLength={100} />
          </Form.Item>
          <Form.Item
            name="password"
            label={t(m.password)}
            rules={[{ required: true, message: t(m.required) }]}
          >
            <Input.Password autoComplete="new-password" />
          </Form.Item>
          <Form.Item
            name="roles"
            label={t(m.roles)}
            rules={[{ required: true, message: t(m.required) }]}
            extra={roles.some((r) => SECOND_FACTOR_ROLES.includes(r)) ? t(m.secondFactor) : undefined}
          >
            <Select mode="multiple" options={ROLES.map((r) => ({ value: r, label: t(ROLE_LABELS[r]) }))} />
          </Form.Item>
          {roles.includes('subject') ? (
            <Form.Item
              name="subjectId"
              label={t(m.subjectId)}
              rules={[{ required: true, message: t(m.required) }]}
            >
              <InputNumber min={1} style={{ width: '100%' }} />
            </Form.Item>
          ) : null}
          <Form.Item name="departmentId" label={t(m.department)}>
            <Select
              allowClear
              placeholder={t(m.none)}
              options={depts.list.map((d) => ({ value: d.id, label: pick(d.name, d.nameEn) }))}
            />
          </Form.Item>
        </Form>
      </Modal>
    </div>
  );
}
