import {
  ApartmentOutlined,
  ApiOutlined,
  AuditOutlined,
  BookOutlined,
  HomeOutlined,
  TeamOutlined,
} from '@ant-design/icons';
import { Button, Grid, Menu, Result } from 'antd';
import { lazy, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Route, Routes, useLocation, useNavigate } from 'react-router';
import { hasRole, homeOf, useAuth } from '../../app/auth.tsx';
import { ADMIN_ROLES, useAdmin } from './shared.tsx';

const AdminHome = lazy(() => import('./AdminHome.tsx'));
const CatalogListPage = lazy(() => import('./catalog/CatalogListPage.tsx'));
const ItemPage = lazy(() => import('./catalog/ItemPage.tsx'));
const UsersPage = lazy(() => import('./users/UsersPage.tsx'));
const ServicePointsPage = lazy(() => import('./ServicePointsPage.tsx'));
const ConnectorsPage = lazy(() => import('./ConnectorsPage.tsx'));
const AuditPage = lazy(() => import('./AuditPage.tsx'));

/** Staff without an administrator's role see why, not an empty page. */
function NoPermission() {
  const { t } = useTranslation();
  const { me } = useAuth();
  return (
    <Result
      status="403"
      title={t('admin.noPermission.title')}
      subTitle={t('admin.noPermission.body', {
        roles: me?.roles.map((r) => r.label).join('、') || '—',
      })}
      extra={
        <Link to={homeOf(me)}>
          <Button type="primary">{t('admin.noPermission.back')}</Button>
        </Link>
      }
      data-testid="admin-no-permission"
    />
  );
}

/** The admin area's screens, under /admin/…: a side menu and the screen chosen. */
export default function AdminRoutes() {
  const { t } = useTranslation();
  const { me } = useAuth();
  const admin = useAdmin();
  const loc = useLocation();
  const navigate = useNavigate();
  const wide = Grid.useBreakpoint().md ?? true;
  if (!hasRole(me, ...ADMIN_ROLES)) return <NoPermission />;

  const items = [
    { key: '/admin', icon: <HomeOutlined />, label: t('admin.menu.home') },
    { key: '/admin/catalog', icon: <BookOutlined />, label: t('admin.menu.catalog') },
    { key: '/admin/users', icon: <TeamOutlined />, label: t('admin.menu.users') },
    {
      key: '/admin/service-points',
      icon: <ApartmentOutlined />,
      label: t('admin.menu.servicePoints'),
    },
    ...(admin.integrations
      ? [{ key: '/admin/connectors', icon: <ApiOutlined />, label: t('admin.menu.connectors') }]
      : []),
    { key: '/admin/audit', icon: <AuditOutlined />, label: t('admin.menu.audit') },
  ];
  const selected =
    items
      .map((i) => i.key)
      .filter((k) => loc.pathname === k || loc.pathname.startsWith(`${k}/`))
      .sort((a, b) => b.length - a.length)[0] ?? '/admin';

  return (
    <div
      style={{
        display: 'flex',
        flexDirection: wide ? 'row' : 'column',
        gap: 16,
        alignItems: 'flex-start',
      }}
    >
      <nav aria-label={t('admin.menu.label')} style={{ width: wide ? 190 : '100%', flex: 'none' }}>
        <div style={{ fontWeight: 600, margin: '4px 0 8px' }}>
          {t('admin.title')}
          <div style={{ fontWeight: 400, fontSize: 12, color: '#666' }}>
            {me?.servicePoint?.name}
          </div>
        </div>
        <Menu
          mode={wide ? 'inline' : 'horizontal'}
          selectedKeys={[selected]}
          items={items}
          onClick={(e) => navigate(e.key)}
          style={{ borderRadius: 6 }}
          data-testid="admin-menu"
        />
      </nav>
      <div style={{ flex: '1 1 auto', minWidth: 0, width: '100%' }}>
        <Suspense fallback={null}>
          <Routes>
            <Route index element={<AdminHome />} />
            <Route path="catalog" element={<CatalogListPage />} />
            <Route path="catalog/:code" element={<ItemPage />} />
            <Route path="users" element={<UsersPage />} />
            <Route path="service-points" element={<ServicePointsPage />} />
            <Route path="connectors" element={<ConnectorsPage />} />
            <Route path="audit" element={<AuditPage />} />
            <Route path="*" element={<AdminHome />} />
          </Routes>
        </Suspense>
      </div>
    </div>
  );
}
