import { Button, Form, Input, Modal, Table, Tag } from 'antd';
import { useState } from 'react';
import { post } from '../../api/client';
import type { Department } from '../../api/types';
import { defineMessages } from '../../i18n/lang';
import { useLang } from '../../i18n/LangProvider';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { common } from '../../ui/messages';
import { usccRule } from '../../ui/codeRules';
import { RegionPicker, useRegionName } from '../../ui/regions';
import { FormErrors, useFormSubmit } from '../../ui/useFormSubmit';
import { PageHeader } from '../console/PageHeader';
import { useDepartments } from './useDepartments';
import { statusTagColor, statusText } from '../../ui/status';

const m = defineMessages({
  title: { zh: '部门管理', en: 'Departments' },
  lead: {
    zh: '数据提供部门及其统一社会信用代码。部门用户只能报送和管理本部门的数据。',
    en: 'Providing departments and their codes. Department users submit and manage only their own data.',
  },
  create: { zh: '新建部门', en: 'New department' },
  name: { zh: '名称', en: 'Name' },
  nameEn: { zh: '英文名称', en: 'English name' },
  uscc: { zh: '统一社会信用代码', en: 'Unified social credit code' },
  region: { zh: '所在地区', en: 'Region' },
  status: { zh: '状态', en: 'Status' },
  required: { zh: '必填', en: 'Required' },
});

function Region({ code }: { code: string }) {
  return <>{useRegionName(code)}</>;
}

interface Values {
  uscc: string;
  name: string;
  nameEn?: string;
  region: string | null;
}

export function DepartmentsPage() {
  const { t, pick, lang } = useLang();
  const depts = useDepartments();
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<Values>();
  const { submit, busy, general, clear } = useFormSubmit(
    form,
    [['uscc'], ['name'], ['nameEn'], ['region']],
    (v: Values) =>
      post<Department>('/api/v1/departments', {
        uscc: v.uscc.trim(),
        name: v.name.trim(),
        nameEn: v.nameEn?.trim() || null,
        region: v.region ?? '',
      }),
    () => {
      setOpen(false);
      form.resetFields();
      depts.reload();
    },
  );
  return (
    <div>
      <PageHeader
        title={t(m.title)}
        extra={
          <Button type="primary" onClick={() => setOpen(true)} data-testid="department-create">
            {t(m.create)}
          </Button>
        }
      >
        {t(m.lead)}
      </PageHeader>
      {depts.error ? <ErrorAlert error={depts.error} onRetry={depts.reload} /> : null}
      <Table<Department>
        rowKey="id"
        loading={depts.loading}
        dataSource={depts.list}
        scroll={{ x: 720 }}
        columns={[
          { key: 'id', title: 'ID', dataIndex: 'id', width: 70 },
          { key: 'name', title: t(m.name), render: (_, d) => pick(d.name, d.nameEn) },
          { key: 'uscc', title: t(m.uscc), dataIndex: 'uscc' },
          { key: 'region', title: t(m.region), render: (_, d) => <Region code={d.region} /> },
          {
            key: 'status',
            title: t(m.status),
            render: (_, d) => <Tag color={statusTagColor(d.status)}>{t(statusText(d.status))}</Tag>,
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
            name="name"
            label={t(m.name)}
            rules={[{ required: true, whitespace: true, message: t(m.required) }]}
          >
            <Input maxLength={200} />
          </Form.Item>
          <Form.Item name="nameEn" label={t(m.nameEn)}>
            <Input maxLength={300} />
          </Form.Item>
          <Form.Item
            name="uscc"
            label={t(m.uscc)}
            rules={[{ required: true, whitespace: true, message: t(m.required) }, usccRule(lang)]}
          >
            <Input maxLength={40} />
          </Form.Item>
          <Form.Item name="region" label={t(m.region)} rules={[{ required: true, message: t(m.required) }]}>
            <RegionPicker />
          </Form.Item>
        </Form>
      </Modal>
    </div>
  );
}
