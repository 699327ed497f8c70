import { Card, Col, Row, Statistic, Typography } from 'antd';
import { useEffect } from 'react';
import { Link } from 'react-router';
import { get } from '../../api/client';
import { isMissingEndpoint } from '../../api/errors';
import type { Category, PublicStats } from '../../api/types';
import { defineMessages } from '../../i18n/lang';
import { useLang } from '../../i18n/LangProvider';
import { formatDateTime } from '../../ui/format';
import { common } from '../../ui/messages';
import { useAsync } from '../../ui/useAsync';
import { SearchBox } from '../search/SearchBox';

const m = defineMessages({
  heading: { zh: '查信用 · 看公示', en: 'Look up credit information' },
  lead: {
    zh: '按名称、统一社会信用代码、拼音或首字母查询企业和组织依法公示的信用信息',
    en: 'Find the credit information disclosed about enterprises and organisations by name, code, pinyin or initials',
  },
  subjects: { zh: '信用主体', en: 'Subjects' },
  records: { zh: '公示信息', en: 'Disclosed records' },
  departments: { zh: '数据提供部门', en: 'Providing departments' },
  updatedAt: { zh: '更新时间', en: 'Updated' },
  figures: { zh: '平台数据概况', en: 'Platform figures' },
  browse: { zh: '按目录浏览', en: 'Browse by category' },
});

function Stats() {
  const { t, lang } = useLang();
  const stats = useAsync((signal) => get<PublicStats>('/api/v1/public/stats', undefined, signal), []);
  if (stats.error && isMissingEndpoint(stats.error)) return null;
  const s = stats.data;
  const fmt = (v: number | undefined) =>
    v === undefined ? '—' : v.toLocaleString(lang === 'en' ? 'en-US' : 'zh-CN');
  const items = [
    { key: 'subjects', title: t(m.subjects), value: fmt(s?.subjects) },
    { key: 'records', title: t(m.records), value: fmt(s?.disclosedRecords) },
    { key: 'departments', title: t(m.departments), value: fmt(s?.departments) },
    { key: 'updated', title: t(m.updatedAt), value: s?.updatedAt ? formatDateTime(s.updatedAt) : '—' },
  ];
  return (
    <section className="xy-stats" aria-label={t(m.figures)} data-testid="stats">
      <Row gutter={[12, 12]}>
        {items.map((i) => (
          <Col key={i.key} xs={12} md={6}>
            <Card size="small" loading={stats.loading} className="xy-stat-card">
              <Statistic
                title={i.title}
                value={i.value}
                styles={{ content: { fontSize: i.key === 'updated' ? 16 : 24 } }}
              />
            </Card>
          </Col>
        ))}
      </Row>
    </section>
  );
}

function Categories() {
  const { t, pick } = useLang();
  const cats = useAsync((signal) => get<Category[]>('/api/v1/catalog/categories', undefined, signal), []);
  if (!cats.data?.length) return null;
  return (
    <section aria-labelledby="home-browse" style={{ marginTop: 24 }}>
      <Typography.Title level={2} id="home-browse" style={{ fontSize: 18 }}>
        {t(m.browse)}
      </Typography.Title>
      <Row gutter={[12, 12]}>
        {cats.data.map((c) => (
          <Col key={c.code} xs={12} sm={8} md={6}>
            <Link to={`/catalog/${encodeURIComponent(c.code)}`}>
              <Card size="small" hoverable>
                {pick(c.nameZh, c.nameEn)}
              </Card>
            </Link>
          </Col>
        ))}
      </Row>
    </section>
  );
}

export function HomePage() {
  const { t } = useLang();
  useEffect(() => {
    document.title = `${t(common.siteName)} · ${t(common.siteTitle)}`;
  }, [t]);
  return (
    <div>
      <section className="xy-hero">
        <Typography.Title level={1}>{t(m.heading)}</Typography.Title>
        <Typography.Paragraph type="secondary">{t(m.lead)}</Typography.Paragraph>
        <SearchBox />
      </section>
      <Stats />
      <Categories />
    </div>
  );
}
