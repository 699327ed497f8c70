import { Alert, Button, Descriptions, Drawer, Skeleton, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { SUBJECT_TYPE_LABELS, isSubjectType } from '../../../domain/subject-types';
import { get } from '../../api/client';
import type { CatalogItem, CatalogItemSummary, Category } from '../../api/types';
import { defineMessages } from '../../i18n/lang';
import { useLang } from '../../i18n/LangProvider';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { formatDateTime } from '../../ui/format';
import { common } from '../../ui/messages';
import { useAsync } from '../../ui/useAsync';
import { useSession } from '../accounts/session';
import { PageHeader } from '../console/PageHeader';
import { LegalBasisList } from '../records/RecordCard';
import { ItemEditor } from './ItemEditor';
import { periodText } from './itemText';

const m = defineMessages({
  title: { zh: '目录事项', en: 'Catalogue items' },
  lead: {
    zh: '目录是归集的闸门：只有目录列明、依据充分的信息才能进入平台。修改事项会发布新版本，已归集的记录保留其版本。',
    en: 'The catalogue is the gate: only listed information with a sufficient legal basis enters. Changes publish a new version; records keep theirs.',
  },
  create: { zh: '新建事项', en: 'New item' },
  newVersion: { zh: '发布新版本', en: 'New version' },
  code: { zh: '编码', en: 'Code' },
  name: { zh: '名称', en: 'Name' },
  category: { zh: '类别', en: 'Category' },
  version: { zh: '版本', en: 'Version' },
  fields: { zh: '数据项', en: 'Fields' },
  basis: { zh: '依据', en: 'Legal basis' },
  updated: { zh: '更新时间', en: 'Updated' },
  subjectTypes: { zh: '适用主体', en: 'Applies to' },
  period: { zh: '公示期限', en: 'Disclosure period' },
  severity: { zh: '严重程度规则', en: 'Severity rule' },
  fieldKey: { zh: '字段', en: 'Field' },
  fieldTitle: { zh: '名称', en: 'Title' },
  visibility: { zh: '公开范围', en: 'Visibility' },
  sensitive: { zh: '敏感', en: 'Sensitive' },
  saved: { zh: '已保存 {code} 第 {v} 版', en: 'Saved {code} version {v}' },
  createdBy: { zh: '发布者', en: 'Published by' },
});

function ItemDetail({
  code,
  onVersion,
  canEdit,
}: {
  code: string;
  onVersion(item: CatalogItem): void;
  canEdit: boolean;
}) {
  const { t, lang, pick } = useLang();
  const item = useAsync(
    (signal) => get<CatalogItem>(`/api/v1/catalog/items/${encodeURIComponent(code)}`, undefined, signal),
    [code],
  );
  if (item.error) return <ErrorAlert error={item.error} onRetry={item.reload} />;
  if (!item.data) return <Skeleton active />;
  const d = item.data;
  const props = d.payloadSchema.properties ?? {};
  return (
    <div>
      <Descriptions
        size="small"
        column={1}
        bordered
        items={[
          { key: 'name', label: t(m.name), children: `${pick(d.nameZh, d.nameEn)} (${d.code})` },
          { key: 'version', label: t(m.version), children: `${d.version} / ${d.currentVersion}` },
          { key: 'basis', label: t(m.basis), children: <LegalBasisList raw={d.legalBasis} /> },
          {
            key: 'types',
            label: t(m.subjectTypes),
            children: d.subjectTypes
              .map((s) =>
                isSubjectType(s)
                  ? lang === 'en'
                    ? SUBJECT_TYPE_LABELS[s].en
                    : SUBJECT_TYPE_LABELS[s].zh
                  : s,
              )
              .join(lang === 'en' ? ', ' : '、'),
          },
          { key: 'severity', label: t(m.severity), children: d.severityRule.kind },
          { key: 'period', label: t(m.period), children: t(periodText(d.periodRule)) },
          {
            key: 'by',
            label: t(m.createdBy),
            children: `${d.createdBy ?? ''} · ${formatDateTime(d.createdAt)}`,
          },
        ]}
      />
      <Table
        style={{ marginTop: 12 }}
        size="small"
        rowKey="key"
        pagination={false}
        scroll={{ x: 500 }}
        dataSource={Object.entries(props).map(([key, p]) => ({ key, p }))}
        columns={[
          {
            key: 'key',
            title: t(m.fieldKey),
            render: (_, r) => <Typography.Text code>{r.key}</Typography.Text>,
          },
          { key: 'title', title: t(m.fieldTitle), render: (_, r) => r.p.title ?? '' },
          {
            key: 'vis',
            title: t(m.visibility),
            render: (_, r) => <Tag>{d.fieldVisibility[r.key] ?? '—'}</Tag>,
          },
          { key: 'sens', title: t(m.sensitive), render: (_, r) => (r.p['x-sensitive'] ? t(common.yes) : '') },
        ]}
      />
      {canEdit ? (
        <Button
          type="primary"
          style={{ marginTop: 12 }}
          onClick={() => onVersion(d)}
          data-testid="item-new-version"
        >
          {t(m.newVersion)}
        </Button>
      ) : null}
    </div>
  );
}

export function CatalogItemsPage() {
  const { t, pick } = useLang();
  const session = useSession();
  const isAdmin = session.hasRole('platform_admin');
  const items = useAsync(
    (signal) => get<CatalogItemSummary[]>('/api/v1/catalog/items', undefined, signal),
    [],
  );
  const cats = useAsync((signal) => get<Category[]>('/api/v1/catalog/categories', undefined, signal), []);
  const [viewing, setViewing] = useState<string | null>(null);
  const [editor, setEditor] = useState<{ base: CatalogItem | null } | null>(null);
  const [saved, setSaved] = useState<CatalogItem | null>(null);
  const catName = (code: string) => {
    const c = cats.data?.find((x) => x.code === code);
    return c ? pick(c.nameZh, c.nameEn) : code;
  };
  return (
    <div>
      <PageHeader
        title={t(m.title)}
        extra={
          isAdmin ? (
            <Button type="primary" onClick={() => setEditor({ base: null })} data-testid="item-create">
              {t(m.create)}
            </Button>
          ) : null
        }
      >
        {t(m.lead)}
      </PageHeader>
      {saved ? (
        <Alert
          type="success"
          showIcon
          closable
          onClose={() => setSaved(null)}
          title={t(m.saved, { code: saved.code, v: saved.version })}
          style={{ marginBottom: 12 }}
        />
      ) : null}
      {items.error ? <ErrorAlert error={items.error} onRetry={items.reload} /> : null}
      <Table<CatalogItemSummary>
        rowKey="code"
        loading={items.loading}
        dataSource={items.data ?? []}
        scroll={{ x: 860 }}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        columns={[
          {
            key: 'code',
            title: t(m.code),
            render: (_, i) => <Typography.Text code>{i.code}</Typography.Text>,
          },
          {
            key: 'name',
            title: t(m.name),
            render: (_, i) => (
              <Button type="link" onClick={() => setViewing(i.code)} style={{ padding: 0 }}>
                {pick(i.nameZh, i.nameEn)}
              </Button>
            ),
          },
          { key: 'category', title: t(m.category), render: (_, i) => catName(i.categoryCode) },
          { key: 'version', title: t(m.version), dataIndex: 'currentVersion', width: 80 },
          { key: 'fields', title: t(m.fields), dataIndex: 'fieldCount', width: 80 },
          {
            key: 'basis',
            title: t(m.basis),
            render: (_, i) => (
              <Space wrap size={4}>
                {i.legalBasis.slice(0, 2).map((b, n) => (
                  <Tag key={n}>{b.instrument}</Tag>
                ))}
                {i.legalBasis.length > 2 ? <Tag>+{i.legalBasis.length - 2}</Tag> : null}
              </Space>
            ),
          },
          { key: 'updated', title: t(m.updated), render: (_, i) => formatDateTime(i.updatedAt) },
        ]}
      />
      <Drawer
        open={viewing !== null}
        title={viewing ?? ''}
        size="min(760px, 100vw)"
        onClose={() => setViewing(null)}
        destroyOnHidden
      >
        {viewing ? (
          <ItemDetail
            code={viewing}
            canEdit={isAdmin}
            onVersion={(item) => {
              setViewing(null);
              setEditor({ base: item });
            }}
          />
        ) : null}
      </Drawer>
      <ItemEditor
        open={editor !== null}
        base={editor?.base ?? null}
        categories={cats.data ?? []}
        onClose={() => setEditor(null)}
        onSaved={(item) => {
          setEditor(null);
          setSaved(item);
          items.reload();
        }}
      />
    </div>
  );
}
