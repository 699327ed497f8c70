import { Button, Layout, Menu, Result, Spin, Tag, Typography } from 'antd';
import { Suspense, type ReactNode } from 'react';
import { Link, Navigate, Outlet, Route, Routes, useLocation, useNavigate } from 'react-router';
import { defineMessages } from '../../i18n/lang';
import { useLang } from '../../i18n/LangProvider';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { LangSwitch } from '../../ui/LangSwitch';
import { common } from '../../ui/messages';
import { LoginPage } from '../accounts/LoginPage';
import { ROLE_LABELS } from '../accounts/roles';
import { SessionProvider, useSession } from '../accounts/session';
import { Dashboard } from './Dashboard';
import { CONSOLE_PAGES, GROUP_LABELS, pagesFor } from './registry';
import type { ConsolePage } from './types';

const m = defineMessages({
  logout: { zh: '退出', en: 'Log out' },
  dashboard: { zh: '概览', en: 'Overview' },
  portal: { zh: '公众查询', en: 'Public portal' },
  forbidden: { zh: '您的角色无权访问此页面', en: 'Your role cannot open this page' },
  menu: { zh: '工作台菜单', en: 'Console menu' },
});

function Loading() {
  const { t } = useLang();
  return (
    <div style={{ padding: 48, textAlign: 'center' }} role="status">
      <Spin />
      <span className="xy-visually-hidden">{t(common.loading)}</span>
    </div>
  );
}

function RequireUser({ children }: { children: ReactNode }) {
  const session = useSession();
  const location = useLocation();
  if (session.status === 'loading') return <Loading />;
  if (session.status === 'anonymous') {
    const next = encodeURIComponent(location.pathname + location.search);
    return <Navigate to={`/console/login?next=${next}`} replace />;
  }
  return <>{children}</>;
}

function Guard({ page }: { page: ConsolePage }) {
  const session = useSession();
  const { t } = useLang();
  if (!session.hasRole(...page.roles)) return <Result status="403" title={t(m.forbidden)} />;
  return (
    <Suspense fallback={<Loading />}>
      <page.Component />
    </Suspense>
  );
}

function ConsoleLayout() {
  const { t, pick } = useLang();
  const session = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const me = session.me;
  if (!me) return null;
  const pages = pagesFor(me.user.roles);
  const groups = (['data', 'admin', 'audit'] as const)
    .map((g) => ({ g, items: pages.filter((p) => p.group === g && p.menu !== false) }))
    .filter((x) => x.items.length);
  const selected = location.pathname.replace(/^\/console\/?/, '').split('/')[0] || '';
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <a className="xy-skip-link" href="#main">
        {t(common.skipToContent)}
      </a>
      <Layout.Header className="xy-console-header" style={{ background: '#b0182a', paddingInline: 16 }}>
        <Link to="/console" style={{ fontWeight: 700 }}>
          {t(common.siteName)} · {t(common.console)}
        </Link>
        <div
          style={{
            display: 'flex',
            alignItems: 'center',
            gap: 8,
            flexWrap: 'wrap',
            justifyContent: 'flex-end',
          }}
        >
          <span data-testid="console-user" className="xy-console-user">
            {me.user.displayName}
            {me.department ? ` · ${pick(me.department.name, me.department.nameEn)}` : ''}
          </span>
          <LangSwitch />
          <Button
            size="small"
            ghost
            data-testid="logout"
            onClick={async () => {
              await session.logout();
              navigate('/console/login');
            }}
          >
            {t(m.logout)}
          </Button>
        </div>
      </Layout.Header>
      <Layout style={{ flex: 1 }}>
        <Layout.Sider breakpoint="lg" collapsedWidth={0} theme="light" width={200}>
          <nav aria-label={t(m.menu)}>
            <Menu
              mode="inline"
              selectedKeys={[selected]}
              items={[
                { key: '', label: <Link to="/console">{t(m.dashboard)}</Link> },
                ...groups.map(({ g, items }) => ({
                  type: 'group' as const,
                  key: `g-${g}`,
                  label: t(GROUP_LABELS[g]),
                  children: items.map((p) => ({
                    key: p.path,
                    label: (
                      <Link to={`/console/${p.path}`} data-testid={`nav-${p.path}`}>
                        {t(p.label)}
                      </Link>
                    ),
                  })),
                })),
                { key: 'portal', label: <Link to="/">{t(m.portal)}</Link> },
              ]}
            />
          </nav>
        </Layout.Sider>
        <Layout.Content className="xy-console-content">
          <main id="main" tabIndex={-1} style={{ outline: 'none' }}>
            {session.error ? <ErrorAlert error={session.error} /> : null}
            <Outlet />
          </main>
          <Typography.Paragraph type="secondary" style={{ marginTop: 24, fontSize: 12 }}>
            {me.user.roles.map((r) => (
              <Tag key={r}>{t(ROLE_LABELS[r])}</Tag>
            ))}
          </Typography.Paragraph>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}

function ConsoleNotFound() {
  const { t } = useLang();
  return (
    <Result status="404" title={t(common.notFound)} extra={<Link to="/console">{t(common.console)}</Link>} />
  );
}

/** The working console: loaded on demand, never part of the public portal's JavaScript. */
export function ConsoleApp() {
  return (
    <SessionProvider>
      <Routes>
        <Route path="login" element={<LoginPage />} />
        <Route
          element={
            <RequireUser>
              <ConsoleLayout />
            </RequireUser>
          }
        >
          <Route index element={<Dashboard />} />
          {CONSOLE_PAGES.map((p) => (
            <Route key={p.path} path={`${p.path}/*`} element={<Guard page={p} />} />
          ))}
          <Route path="*" element={<ConsoleNotFound />} />
        </Route>
      </Routes>
    </SessionProvider>
  );
}
