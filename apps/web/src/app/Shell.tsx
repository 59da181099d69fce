import { Button, Switch } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, NavLink, useNavigate } from 'react-router';
import { hasRole, useAuth } from './auth.tsx';
import { usePrefs } from './prefs.tsx';

export function Shell({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const { me, signOut } = useAuth();
  const { lang, setLang, elderly, setElderly } = usePrefs();
  const navigate = useNavigate();
  const staff = me?.kind === 'staff';
  const links: [string, string][] = staff
    ? [
        ...(hasRole(me, 'village_agent', 'township_clerk')
          ? ([['/window', t('nav.window')]] as [string, string][])
          : []),
        ...(hasRole(
          me,
          'village_agent',
          'township_clerk',
          'township_approver',
          'department_officer',
        )
          ? ([['/desk', t('nav.desk')]] as [string, string][])
          : []),
        ...(hasRole(me, 'village_agent', 'township_clerk')
          ? ([['/hall', t('nav.hall')]] as [string, string][])
          : []),
        ...(hasRole(me, 'county_admin', 'city_admin', 'system_admin')
          ? ([['/admin', t('nav.admin')]] as [string, string][])
          : []),
        ...(hasRole(me, 'leader', 'county_admin', 'city_admin', 'system_admin')
          ? ([['/leader', t('nav.leader')]] as [string, string][])
          : []),
      ]
    : [
        ['/', t('nav.services')],
        ['/me/cases', t('nav.myCases')],
        ['/me/certificates', t('nav.myCertificates')],
      ];
  return (
    <>
      <a className="ym-skip" href="#main">
        {t('nav.skip')}
      </a>
      <header className="ym-header">
        <Link to="/" className="ym-brand">
          {t('app.brand')}
        </Link>
        <nav className="ym-nav" aria-label={t('nav.label')}>
          {links.map(([to, label]) => (
            <NavLink key={to} to={to} end={to === '/'}>
              {label}
            </NavLink>
          ))}
        </nav>
        <div className="ym-tools">
          <span style={{ display: 'inline-flex', alignItems: 'center', gap: 6 }}>
            <Switch
              size="small"
              checked={elderly}
              onChange={setElderly}
              data-testid="elderly-switch"
              aria-label={t('prefs.elderly')}
            />
            <span aria-hidden="true">{t('prefs.elderly')}</span>
          </span>
          <Button
            size="small"
            ghost
            onClick={() => setLang(lang === 'en' ? 'zh' : 'en')}
            data-testid="lang-switch"
            lang={lang === 'en' ? 'zh-CN' : 'en'}
          >
            {lang === 'en' ? '中文' : 'English'}
          </Button>
          {me ? (
            <>
              <span data-testid="me-name">{me.name}</span>
              <Button size="small" ghost onClick={() => void signOut().then(() => navigate('/'))}>
                {t('auth.signOut')}
              </Button>
            </>
          ) : (
            <Button size="small" ghost onClick={() => navigate('/login')}>
              {t('auth.signIn')}
            </Button>
          )}
        </div>
      </header>
      <main id="main" className="ym-main">
        {children}
      </main>
    </>
  );
}
