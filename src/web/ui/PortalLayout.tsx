import { Link, NavLink, Outlet } from 'react-router';
import { useLang } from '../i18n/LangProvider';
import { LangSwitch } from './LangSwitch';
import { common } from './messages';

/** Header, navigation and footer of the public portal. */
export function PortalLayout() {
  const { t } = useLang();
  return (
    <div className="xy-shell">
      <a className="xy-skip-link" href="#main">
        {t(common.skipToContent)}
      </a>
      <header className="xy-header">
        <div className="xy-header-inner">
          <Link to="/" className="xy-brand">
            <span className="xy-brand-mark" aria-hidden="true">
              信
            </span>
            <span className="xy-brand-text">
              <strong>{t(common.siteName)}</strong>
              <small>{t(common.siteTitle)}</small>
            </span>
          </Link>
          <nav className="xy-nav" aria-label={t(common.siteTitle)}>
            <NavLink to="/" end>
              {t(common.home)}
            </NavLink>
            <NavLink to="/disclosures">{t(common.disclosures)}</NavLink>
            <NavLink to="/catalog">{t(common.catalog)}</NavLink>
            <NavLink to="/departments">{t(common.departments)}</NavLink>
            <NavLink to="/lists">{t(common.lists)}</NavLink>
            <NavLink to="/measures">{t(common.measures)}</NavLink>
            <NavLink to="/repair-status">{t(common.repairStatus)}</NavLink>
            <Link to="/console">{t(common.console)}</Link>
          </nav>
          <LangSwitch />
        </div>
      </header>
      <main id="main" tabIndex={-1} className="xy-main">
        <Outlet />
      </main>
      <footer className="xy-footer">
        <p>{t(common.footer)}</p>
      </footer>
    </div>
  );
}
