import { Result, Spin } from 'antd';
import { Suspense, type ComponentType } from 'react';
import { BrowserRouter, Link, Route, Routes } from 'react-router';
import { useLang } from './i18n/LangProvider';
import { HomePage } from './modules/portal/HomePage';
import { AppProviders } from './ui/AppProviders';
import { lazyPage } from './ui/lazyPage';
import { common } from './ui/messages';
import { PortalLayout } from './ui/PortalLayout';

// Only the home page is in the first download; every other page is its own chunk, loaded when
// visited. The console (and the charts inside it) is never downloaded by the public.
const ResultsPage = lazyPage(() => import('./modules/search/ResultsPage'), 'ResultsPage');
const SubjectPage = lazyPage(() => import('./modules/subjects/SubjectPage'), 'SubjectPage');
const DisclosuresPage = lazyPage(() => import('./modules/records/DisclosuresPage'), 'DisclosuresPage');
const DepartmentsDirectory = lazyPage(
  () => import('./modules/records/DepartmentsDirectory'),
  'DepartmentsDirectory',
);
const CatalogIndexPage = lazyPage(() => import('./modules/catalog/CategoryPages'), 'CatalogIndexPage');
const CategoryPage = lazyPage(() => import('./modules/catalog/CategoryPages'), 'CategoryPage');
const RepairStatusPage = lazyPage(() => import('./modules/remedies/RepairStatusPage'), 'RepairStatusPage');
const PublicListsPage = lazyPage(() => import('./modules/lists/PublicListsPage'), 'PublicListsPage');
const PublicListPage = lazyPage(() => import('./modules/lists/PublicListsPage'), 'PublicListPage');
const MeasuresPage = lazyPage(() => import('./modules/measures/MeasuresPage'), 'MeasuresPage');
const ConsoleApp = lazyPage(() => import('./modules/console/ConsoleApp'), 'ConsoleApp');

function page(Component: ComponentType) {
  return (
    <Suspense fallback={<PageLoading />}>
      <Component />
    </Suspense>
  );
}

export function PageLoading() {
  const { t } = useLang();
  return (
    <div style={{ padding: 48, textAlign: 'center' }} role="status">
      <Spin />
      <div className="xy-visually-hidden">{t(common.loading)}</div>
    </div>
  );
}

function NotFound() {
  const { t } = useLang();
  return <Result status="404" title={t(common.notFound)} extra={<Link to="/">{t(common.backHome)}</Link>} />;
}

/** Public pages of the portal. A module adds its public pages here. */
function PortalRoutes() {
  return (
    <Route element={<PortalLayout />}>
      <Route index element={<HomePage />} />
      <Route path="search" element={page(ResultsPage)} />
      <Route path="subjects/:ref" element={page(SubjectPage)} />
      <Route path="disclosures" element={page(DisclosuresPage)} />
      <Route path="departments" element={page(DepartmentsDirectory)} />
      <Route path="catalog" element={page(CatalogIndexPage)} />
      <Route path="catalog/:code" element={page(CategoryPage)} />
      <Route path="repair-status" element={page(RepairStatusPage)} />
      <Route path="lists" element={page(PublicListsPage)} />
      <Route path="lists/:code" element={page(PublicListPage)} />
      <Route path="measures" element={page(MeasuresPage)} />
      <Route path="*" element={<NotFound />} />
    </Route>
  );
}

export function App() {
  return (
    <AppProviders>
      <BrowserRouter>
        <Routes>
          {PortalRoutes()}
          <Route path="console/*" element={page(ConsoleApp)} />
        </Routes>
      </BrowserRouter>
    </AppProviders>
  );
}
