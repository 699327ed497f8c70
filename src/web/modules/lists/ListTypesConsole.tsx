import { Button, Form, Modal, Select, Table, Tag } from 'antd';
import { useState } from 'react';
import { api, get } from '../../api/client';
import { defineMessages } from '../../i18n/lang';
import { useLang } from '../../i18n/LangProvider';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { common } from '../../ui/messages';
import { useAsync } from '../../ui/useAsync';
import { FormErrors, useFormSubmit } from '../../ui/useFormSubmit';
import { useDepartments } from '../accounts/useDepartments';
import { PageHeader } from '../console/PageHeader';
import type { ListType } from './types';
import { statusTagColor, statusText } from '../../ui/status';

const m = defineMessages({
  title: { zh: '名单类型与认定部门', en: 'List types and listing authorities' },
  lead: {
    zh: '为名单类型指定认定部门：指定后只有这些部门可以提出、送达和决定列入；未指定的名单类型任何部门均可办理。',
    en: 'Bind each list type to the departments that are its listing authority: once bound, only they may propose, notify and decide entries; an unbound type accepts any department.',
  },
  code: { zh: '代码', en: 'Code' },
  name: { zh: '名称', en: 'Name' },
  status: { zh: '状态', en: 'Status' },
  departments: { zh: '认定部门', en: 'Listing authority' },
  unbound: { zh: '未指定（任何部门）', en: 'Not bound (any department)' },
  edit: { zh: '指定部门', en: 'Bind departments' },
  save: { zh: '保存', en: 'Save' },
});

interface Values {
  departments: number[];
}

export function ListTypesConsole() {
  const { t, pick } = useLang();
  const types = useAsync((signal) => get<ListType[]>('/api/v1/list-types', undefined, signal), []);
  const depts = useDepartments();
  const [editing, setEditing] = useState<ListType | null>(null);
  const [form] = Form.useForm<Values>();
  const { submit, busy, general, clear } = useFormSubmit(
    form,
    [['departments']],
    (v: Values) =>
      api<ListType>(`/api/v1/list-types/${encodeURIComponent(editing?.code ?? '')}/departments`, {
        method: 'PUT',
        body: { departments: v.departments ?? [] },
      }),
    () => {
      setEditing(null);
      types.reload();
    },
  );
  const close = () => {
    setEditing(null);
    clear();
  };
  return (
    <div>
      <PageHeader title={t(m.title)}>{t(m.lead)}</PageHeader>
      {types.error ? <ErrorAlert error={types.error} onRetry={types.reload} /> : null}
      <Table<ListType>
        rowKey="code"
        loading={types.loading}
        dataSource={types.data ?? []}
        scroll={{ x: 720 }}
        columns={[
          { key: 'code', title: t(m.code), dataIndex: 'code', width: 160 },
          { key: 'name', title: t(m.name), render: (_, l) => pick(l.nameZh, l.nameEn) },
          {
            key: 'status',
            title: t(m.status),
            render: (_, l) => <Tag color={statusTagColor(l.status)}>{t(statusText(l.status))}</Tag>,
            width: 100,
          },
          {
            key: 'departments',
            title: t(m.departments),
            render: (_, l) =>
              l.departments?.length ? (
                l.departments.map((d) => <Tag key={d.id}>{pick(d.name, d.nameEn)}</Tag>)
              ) : (
                <span data-testid={`unbound-${l.code}`}>{t(m.unbound)}</span>
              ),
          },
          {
            key: 'edit',
            title: '',
            width: 120,
            render: (_, l) => (
              <Button
                size="small"
                data-testid={`bind-${l.code}`}
                onClick={() => {
                  setEditing(l);
                  form.setFieldsValue({ departments: (l.departments ?? []).map((d) => d.id) });
                }}
              >
                {t(m.edit)}
              </Button>
            ),
          },
        ]}
      />
      <Modal
        open={editing !== null}
        title={editing ? `${t(m.edit)}：${pick(editing.nameZh, editing.nameEn)}` : ''}
        okText={t(m.save)}
        cancelText={t(common.cancel)}
        confirmLoading={busy}
        onOk={() => form.submit()}
        onCancel={close}
        destroyOnHidden
      >
        <FormErrors messages={general} />
        <Form form={form} layout="vertical" onFinish={submit}>
          <Form.Item name="departments" label={t(m.departments)}>
            <Select
              mode="multiple"
              allowClear
              data-testid="bind-departments"
              loading={depts.loading}
              optionFilterProp="label"
              options={depts.list.map((d) => ({ value: d.id, label: pick(d.name, d.nameEn ?? d.name) }))}
            />
          </Form.Item>
        </Form>
      </Modal>
    </div>
  );
}
