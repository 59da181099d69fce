import { Button, Result } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, Route, Routes } from 'react-router';
import { hasRole, homeOf, useAuth } from '../../app/auth.tsx';
import Dashboard from './Dashboard.tsx';

/** The roles whose permissions include stats.read (packages/core/src/roles.ts). */
const STATS_ROLES = ['leader', 'county_admin', 'city_admin', 'system_admin'];

/** The leader area's screens, under /leader/…: the figures, for those who may read them. */
export default function LeaderRoutes() {
  const { t } = useTranslation();
  const { me } = useAuth();
  if (!hasRole(me, ...STATS_ROLES))
    return (
      <Result
        status="403"
        title={t('leader.noPermission.title')}
        subTitle={t('leader.noPermission.body', {
          roles: me?.roles.map((r) => r.label).join('、') || '—',
        })}
        extra={
          <Link to={homeOf(me)}>
            <Button type="primary">{t('leader.noPermission.back')}</Button>
          </Link>
        }
      />
    );
  return (
    <Routes>
      <Route index element={<Dashboard />} />
    </Routes>
  );
}
