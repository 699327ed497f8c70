import { Card, Col, Descriptions, Row, Statistic, Tag } from 'antd';
import { Link } from 'react-router';
import { get } from '../../api/client';
import type { PublicStats } from '../../api/types';
import { defineMessages } from '../../i18n/lang';
import { useLang } from '../../i18n/LangProvider';
import { formatDateTime } from '../../ui/format';
import { useAsync } from '../../ui/useAsync';
import { ROLE_LABELS } from '../accounts/roles';
import { useSession } from '../accounts/session';
import { PageHeader } from './PageHeader';
import { GROUP_LABELS, pagesFor } from './registry';

const m = defineMessages({
  hello: { zh: '您好，{name}', en: 'Hello, {name}' },
  roles: { zh: '角色', en: 'Roles' },
  department: { zh: '所属部门', en: 'Department' },
  none: { zh: '无（平台）', en: 'None (platform)' },
  tasks: { zh: '可用功能', en: 'What you can do' },
  subjects: { zh: '信用主体', en: 'Subjects' },
  records: { zh: '公示信息', en: 'Disclosed records' },
  departments: { zh: '提供部门', en: 'Departments' },
  updatedAt: { zh: '更新时间', en: 'Updated' },
});

export function Dashboard() {
  const { t, lang, pick } = useLang();
  const { me } = useSession();
  const stats = useAsync((signal) => get<PublicStats>('/api/v1/public/stats', undefined, signal), []);
  if (!me) return null;
  const order = ['data', 'admin', 'audit'];
  const pages = pagesFor(me.user.roles).sort((a, b) => order.indexOf(a.group) - order.indexOf(b.group));
  const fmt = (n: number | undefined) =>
    n === undefined ? '—' : n.toLocaleString(lang === 'en' ? 'en-US' : 'zh-CN');
  return (
    <div data-testid="console-dashboard">
      <PageHeader title={t(m.hello, { name: me.user.displayName })} />
      <Descriptions
        size="small"
        column={{ xs: 1, md: 2 }}
        items={[
          {
            key: 'roles',
            label: t(m.roles),
            children: me.user.roles.map((r) => <Tag key={r}>{t(ROLE_LABELS[r])}</Tag>),
          },
          {
            key: 'dept',
            label: t(m.department),
            children: me.department ? pick(me.department.name, me.department.nameEn) : t(m.none),
          },
        ]}
      />
      <Row gutter={[12, 12]} style={{ margin: '16px 0' }}>
        {[
          { k: 's', title: t(m.subjects), v: fmt(stats.data?.subjects) },
          { k: 'r', title: t(m.records), v: fmt(stats.data?.disclosedRecords) },
          { k: 'd', title: t(m.departments), v: fmt(stats.data?.departments) },
          {
            k: 'u',
            title: t(m.updatedAt),
            v: stats.data?.updatedAt ? formatDateTime(stats.data.updatedAt) : '—',
          },
        ].map((s) => (
          <Col key={s.k} xs={12} lg={6}>
            <Card size="small" loading={stats.loading} className="xy-stat-card">
              <Statistic
                title={s.title}
                value={s.v}
                styles={{ content: { fontSize: s.k === 'u' ? 16 : 22 } }}
              />
            </Card>
          </Col>
        ))}
      </Row>
      <Card title={t(m.tasks)} size="small">
        <Row gutter={[12, 12]}>
          {pages.map((p) => (
            <Col key={p.path} xs={24} sm={12} lg={8}>
              <Link to={`/console/${p.path}`}>
                <Card size="small" hoverable>
                  <Tag>{t(GROUP_LABELS[p.group])}</Tag> {t(p.label)}
                </Card>
              </Link>
            </Col>
          ))}
        </Row>
      </Card>
    </div>
  );
}
