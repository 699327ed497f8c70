import { Alert, Space, Table, Typography } from 'antd';
import type { CatalogItemSummary } from '../../api/types';
import { defineMessages } from '../../i18n/lang';
import { useLang } from '../../i18n/LangProvider';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { common } from '../../ui/messages';
import { useEndpointAvailable } from '../../ui/useEndpoint';
import { useSession } from '../accounts/session';
import { PageHeader } from '../console/PageHeader';
import { useProvidedItems } from './useProvidedItems';

const m = defineMessages({
  title: { zh: '报送模板', en: 'Templates' },
  lead: {
    zh: '每个目录事项的 Excel / CSV 模板：表头、说明行和示例行由事项定义生成。表头可用中文名称或字段代码，列顺序不限。',
    en: 'An Excel / CSV template per catalogue item: headers, a description row and an example row generated from its definition. Headers may be Chinese names or field codes, in any order.',
  },
  item: { zh: '目录事项', en: 'Item' },
  download: { zh: '下载', en: 'Download' },
});

export function templateUrl(code: string, format: 'xlsx' | 'csv'): string {
  return `/api/v1/catalog/items/${encodeURIComponent(code)}/template.${format}`;
}

export function TemplatesPage() {
  const { t, pick } = useLang();
  const { me } = useSession();
  const items = useProvidedItems(me?.department?.id ?? null);
  const first = items.data?.[0]?.code;
  const available = useEndpointAvailable(first ? templateUrl(first, 'csv') : null);
  return (
    <div>
      <PageHeader title={t(m.title)}>{t(m.lead)}</PageHeader>
      {available === false ? (
        <Alert type="info" showIcon title={t(common.notAvailable)} style={{ marginBottom: 12 }} />
      ) : null}
      {items.error ? <ErrorAlert error={items.error} onRetry={items.reload} /> : null}
      <Table<CatalogItemSummary>
        rowKey="code"
        loading={items.loading}
        dataSource={items.data ?? []}
        pagination={false}
        scroll={{ x: 520 }}
        columns={[
          {
            key: 'item',
            title: t(m.item),
            render: (_, i) => (
              <span>
                {pick(i.nameZh, i.nameEn)} <Typography.Text code>{i.code}</Typography.Text>
              </span>
            ),
          },
          {
            key: 'dl',
            title: t(m.download),
            render: (_, i) =>
              available === false ? (
                '—'
              ) : (
                <Space>
                  <a href={templateUrl(i.code, 'xlsx')} download data-testid={`template-xlsx-${i.code}`}>
                    Excel
                  </a>
                  <a href={templateUrl(i.code, 'csv')} download data-testid={`template-csv-${i.code}`}>
                    CSV
                  </a>
                </Space>
              ),
          },
        ]}
      />
    </div>
  );
}
