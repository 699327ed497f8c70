import { Card, Col, Empty, Row, Skeleton, Statistic, Typography } from 'antd';
import { useEffect } from 'react';
import { Link } from 'react-router';
import type { PublicDepartment } from '../../api/types';
import { defineMessages } from '../../i18n/lang';
import { useLang } from '../../i18n/LangProvider';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { formatDateTime } from '../../ui/format';
import { common } from '../../ui/messages';
import { useRegionName } from '../../ui/regions';
import { SHUANG_GONGSHI_ITEMS, writeDisclosureParams } from './disclosureQuery';
import { usePublicDepartments } from './publicDepartments';

const m = defineMessages({
  title: { zh: '信息提供部门', en: 'Providing departments' },
  lead: {
    zh: '向平台提供公共信用信息的部门、各自提供的目录事项，以及当前公示的信息条数。',
    en: 'The departments that provide public credit information, the catalogue items each provides, and how many of their records are disclosed now.',
  },
  disclosed: { zh: '公示信息', en: 'Disclosed records' },
  items: { zh: '提供的目录事项', en: 'Catalogue items provided' },
  noItems: { zh: '暂未指定提供的目录事项', en: 'No catalogue item assigned yet' },
  formerly: { zh: '（已不再提供，仍有公示信息）', en: ' (no longer provided; records still disclosed)' },
  none: { zh: '暂无信息提供部门', en: 'No providing department yet' },
  counted: { zh: '统计时点：{at}', en: 'Counted at {at}' },
  browse: { zh: '查看', en: 'Browse' },
});

function countText(n: number, lang: string): string {
  return n.toLocaleString(lang === 'en' ? 'en' : 'zh-CN');
}

function DepartmentCard({ dept }: { dept: PublicDepartment }) {
  const { t, lang, pick } = useLang();
  const region = useRegionName(dept.region);
  return (
    <Card
      size="small"
      data-testid="department"
      title={<span data-testid="department-name">{pick(dept.name, dept.nameEn)}</span>}
      extra={<Statistic title={t(m.disclosed)} value={countText(dept.disclosedRecords, lang)} />}
      style={{ height: '100%' }}
    >
      <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
        {dept.uscc}
        {region ? ` · ${region}` : ''}
      </Typography.Paragraph>
      <Typography.Text strong>{t(m.items)}</Typography.Text>
      {dept.items.length ? (
        <ul className="xy-dept-items" style={{ margin: '4px 0 0', paddingLeft: 18 }}>
          {dept.items.map((i) => {
            const name = pick(i.nameZh, i.nameEn);
            const browsable = SHUANG_GONGSHI_ITEMS.includes(i.code);
            return (
              <li key={i.code} data-testid="department-item" data-item={i.code}>
                {browsable ? (
                  <Link
                    to={`/disclosures?${writeDisclosureParams({
                      q: '',
                      item: i.code,
                      department: dept.id,
                      from: null,
                      to: null,
                      page: 1,
                    }).toString()}`}
                    aria-label={`${t(m.browse)} ${name}`}
                  >
                    {name}
                  </Link>
                ) : (
                  <Link to={`/catalog/${encodeURIComponent(i.categoryCode)}`}>{name}</Link>
                )}{' '}
                <Typography.Text type="secondary" data-testid="department-item-count">
                  {countText(i.disclosedRecords, lang)}
                </Typography.Text>
                {i.provider ? null : <Typography.Text type="secondary">{t(m.formerly)}</Typography.Text>}
              </li>
            );
          })}
        </ul>
      ) : (
        <Typography.Paragraph type="secondary">{t(m.noItems)}</Typography.Paragraph>
      )}
    </Card>
  );
}

/** Public list of the providing departments (linked from the portal navigation). */
export function DepartmentsDirectory() {
  const { t } = useLang();
  const list = usePublicDepartments();
  useEffect(() => {
    document.title = `${t(m.title)} · ${t(common.siteName)}`;
  }, [t]);
  return (
    <div>
      <Typography.Title level={1} style={{ fontSize: 24 }}>
        {t(m.title)}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t(m.lead)}</Typography.Paragraph>
      {list.error ? <ErrorAlert error={list.error} onRetry={list.reload} /> : null}
      {list.loading && !list.data ? <Skeleton active /> : null}
      {list.data ? (
        list.data.departments.length ? (
          <>
            <Row gutter={[12, 12]} data-testid="departments">
              {list.data.departments.map((d) => (
                <Col key={d.id} xs={24} md={12} xl={8}>
                  <DepartmentCard dept={d} />
                </Col>
              ))}
            </Row>
            <Typography.Paragraph type="secondary" style={{ marginTop: 12, fontSize: 12 }}>
              {t(m.counted, { at: formatDateTime(list.data.at) })}
            </Typography.Paragraph>
          </>
        ) : (
          <Empty description={t(m.none)} />
        )
      ) : null}
    </div>
  );
}
