import { Card, Col, Descriptions, Empty, Row, Skeleton, Space, Tag, Typography } from 'antd';
import { useEffect } from 'react';
import { Link, useParams } from 'react-router';
import { SUBJECT_TYPE_LABELS, isSubjectType } from '../../../domain/subject-types';
import { get } from '../../api/client';
import type { CatalogItem, CatalogItemSummary, Category } from '../../api/types';
import { defineMessages } from '../../i18n/lang';
import { useLang } from '../../i18n/LangProvider';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { common } from '../../ui/messages';
import { useAsync } from '../../ui/useAsync';
import { LegalBasisList } from '../records/RecordCard';
import { periodText, publicFieldTitles } from './itemText';

const m = defineMessages({
  title: { zh: '公共信用信息目录', en: 'Public credit information catalogue' },
  lead: {
    zh: '平台只归集目录列明、具有法律法规依据的信息。以下是各类别及其包含的事项。',
    en: 'The platform only collects information listed in the catalogue with a legal basis. These are its categories and items.',
  },
  items: { zh: '本类别的目录事项', en: 'Items in this category' },
  noItems: { zh: '本类别暂无目录事项', en: 'No items in this category yet' },
  legalBasis: { zh: '依据', en: 'Legal basis' },
  subjectTypes: { zh: '适用主体', en: 'Applies to' },
  publicFields: { zh: '公开字段', en: 'Public fields' },
  period: { zh: '公示期限', en: 'Disclosure period' },
  search: { zh: '查询本类别的公示信息', en: 'Search disclosed records of this category' },
  unknown: { zh: '目录类别不存在', en: 'No such category' },
});

function useCategories() {
  return useAsync((signal) => get<Category[]>('/api/v1/catalog/categories', undefined, signal), []);
}

export function useCatalogItems() {
  return useAsync((signal) => get<CatalogItemSummary[]>('/api/v1/catalog/items', undefined, signal), []);
}

export function CatalogIndexPage() {
  const { t, pick } = useLang();
  const cats = useCategories();
  useEffect(() => {
    document.title = `${t(m.title)} · ${t(common.siteName)}`;
  }, [t]);
  return (
    <div>
      <Typography.Title level={1} style={{ fontSize: 24 }}>
        {t(m.title)}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t(m.lead)}</Typography.Paragraph>
      {cats.error ? <ErrorAlert error={cats.error} onRetry={cats.reload} /> : null}
      {cats.loading ? <Skeleton active /> : null}
      <Row gutter={[12, 12]}>
        {(cats.data ?? []).map((c) => (
          <Col key={c.code} xs={24} sm={12} lg={8}>
            <Card
              title={<Link to={`/catalog/${encodeURIComponent(c.code)}`}>{pick(c.nameZh, c.nameEn)}</Link>}
              size="small"
              style={{ height: '100%' }}
            >
              <Typography.Paragraph ellipsis={{ rows: 3 }} style={{ marginBottom: 0 }}>
                {pick(c.descriptionZh ?? '', c.descriptionEn)}
              </Typography.Paragraph>
            </Card>
          </Col>
        ))}
      </Row>
    </div>
  );
}

function ItemCard({ item }: { item: CatalogItemSummary }) {
  const { t, lang, pick } = useLang();
  // The list gives a summary; the public fields come with the item's definition.
  const detail = useAsync(
    (signal) => get<CatalogItem>(`/api/v1/catalog/items/${encodeURIComponent(item.code)}`, undefined, signal),
    [item.code],
  );
  const fields = detail.data ? publicFieldTitles(detail.data) : [];
  return (
    <Card
      size="small"
      title={pick(item.nameZh, item.nameEn)}
      extra={<Tag>{item.code}</Tag>}
      style={{ marginBottom: 12 }}
    >
      <Descriptions
        size="small"
        column={1}
        items={[
          { key: 'basis', label: t(m.legalBasis), children: <LegalBasisList raw={item.legalBasis} /> },
          {
            key: 'types',
            label: t(m.subjectTypes),
            children: (
              <Space wrap size={4}>
                {item.subjectTypes.map((s) => (
                  <Tag key={s}>
                    {isSubjectType(s)
                      ? lang === 'en'
                        ? SUBJECT_TYPE_LABELS[s].en
                        : SUBJECT_TYPE_LABELS[s].zh
                      : s}
                  </Tag>
                ))}
              </Space>
            ),
          },
          {
            key: 'fields',
            label: t(m.publicFields),
            children: detail.loading ? t(common.loading) : fields.join(lang === 'en' ? ', ' : '、') || '—',
          },
          { key: 'period', label: t(m.period), children: t(periodText(item.periodRule)) },
        ]}
      />
      <Link to={`/disclosures?item=${encodeURIComponent(item.code)}`}>{t(m.search)}</Link>
    </Card>
  );
}

export function CategoryPage() {
  const { code = '' } = useParams();
  const { t, pick } = useLang();
  const cats = useCategories();
  const items = useCatalogItems();
  const cat = cats.data?.find((c) => c.code === code);
  const list = (items.data ?? []).filter((i) => i.categoryCode === code);
  useEffect(() => {
    if (cat) document.title = `${pick(cat.nameZh, cat.nameEn)} · ${t(common.siteName)}`;
  }, [cat, pick, t]);
  return (
    <div>
      <nav aria-label={t(common.catalog)}>
        <Link to="/catalog">{t(common.catalog)}</Link> / {cat ? pick(cat.nameZh, cat.nameEn) : code}
      </nav>
      {cats.error ? <ErrorAlert error={cats.error} onRetry={cats.reload} /> : null}
      {cats.loading ? <Skeleton active /> : null}
      {cats.data && !cat ? <Empty description={t(m.unknown)} /> : null}
      {cat ? (
        <>
          <Typography.Title level={1} style={{ fontSize: 24, marginTop: 12 }} data-testid="category-title">
            {pick(cat.nameZh, cat.nameEn)}
          </Typography.Title>
          <Typography.Paragraph>{pick(cat.descriptionZh ?? '', cat.descriptionEn)}</Typography.Paragraph>
          <Typography.Title level={2} style={{ fontSize: 18 }}>
            {t(m.items)}
          </Typography.Title>
          {items.error ? <ErrorAlert error={items.error} onRetry={items.reload} /> : null}
          {items.loading ? <Skeleton active /> : null}
          {!items.loading && !list.length ? <Empty description={t(m.noItems)} /> : null}
          {list.map((i) => (
            <ItemCard key={i.code} item={i} />
          ))}
        </>
      ) : null}
    </div>
  );
}
