import { ConfigProvider, Spin, theme } from 'antd';
import enUS from 'antd/es/locale/en_US';
import zhCN from 'antd/es/locale/zh_CN';
import { lazy, type ReactNode, Suspense } from 'react';
import { BrowserRouter, Navigate, Route, Routes, useLocation } from 'react-router';
import { AuthProvider, homeOf, useAuth } from './auth.tsx';
import { PrefsProvider, usePrefs } from './prefs.tsx';
import { Shell } from './Shell.tsx';

// Each screen is its own chunk: the citizen's first page does not load the staff screens.
const CatalogPage = lazy(() => import('../features/catalog/CatalogPage.tsx'));
const GuidePage = lazy(() => import('../features/catalog/GuidePage.tsx'));
const LoginPage = lazy(() => import('../features/auth/LoginPage.tsx'));
const ApplyPage = lazy(() => import('../features/apply/ApplyPage.tsx'));
const MyCasesPage = lazy(() => import('../features/cases/MyCasesPage.tsx'));
const MyCasePage = lazy(() => import('../features/cases/MyCasePage.tsx'));
const MyCertificatesPage = lazy(() => import('../features/certificates/MyCertificatesPage.tsx'));
const CertificatePage = lazy(() => import('../features/certificates/CertificatePage.tsx'));
const WindowPage = lazy(() => import('../features/window/WindowPage.tsx'));
const ResidentPage = lazy(() => import('../features/window/ResidentPage.tsx'));
const CounterApplyPage = lazy(() => import('../features/window/CounterApplyPage.tsx'));
const WorklistPage = lazy(() => import('../features/desk/WorklistPage.tsx'));
const StaffCasePage = lazy(() => import('../features/desk/StaffCasePage.tsx'));
// Each area below owns its nested routes (and decides who may see them).
const HallRoutes = lazy(() => import('../features/hall/HallRoutes.tsx'));
const AdminRoutes = lazy(() => import('../features/admin/AdminRoutes.tsx'));
const LeaderRoutes = lazy(() => import('../features/leader/LeaderRoutes.tsx'));

const ELDERLY_TOKENS = {
  fontSize: 20,
  controlHeight: 52,
  colorText: '#000000',
  colorTextSecondary: '#1f1f1f',
  colorPrimary: '#0b3a8c',
  colorLink: '#002c8c',
  colorBorder: '#595959',
  borderRadius: 8,
};

function Themed({ children }: { children: ReactNode }) {
  const { lang, elderly } = usePrefs();
  return (
    <ConfigProvider
      locale={lang === 'en' ? enUS : zhCN}
      button={{ autoInsertSpace: false }}
      theme={{
        algorithm: theme.defaultAlgorithm,
        token: elderly ? ELDERLY_TOKENS : { colorPrimary: '#1d4ed8', borderRadius: 6 },
        components: elderly ? { Button: { controlHeightLG: 64, fontSizeLG: 24 } } : undefined,
      }}
    >
      {children}
    </ConfigProvider>
  );
}

const Loading = () => (
  <div style={{ padding: 48, textAlign: 'center' }}>
    <Spin size="large" />
  </div>
);

/** A screen for the signed-in only: others go to sign-in and come back. */
function Private({ children, staff }: { children: ReactNode; staff?: boolean }) {
  const { me, ready } = useAuth();
  const loc = useLocation();
  if (!ready) return <Loading />;
  if (!me) return <Navigate to={`/login?next=${encodeURIComponent(loc.pathname)}`} replace />;
  if (staff !== undefined && staff !== (me.kind === 'staff'))
    return <Navigate to={homeOf(me)} replace />;
  return <>{children}</>;
}

export function App() {
  return (
    <PrefsProvider>
      <Themed>
        <AuthProvider>
          <BrowserRouter>
            <Shell>
              <Suspense fallback={<Loading />}>
                <Routes>
                  <Route path="/" element={<CatalogPage />} />
                  <Route path="/items/:code" element={<GuidePage />} />
                  <Route path="/login" element={<LoginPage />} />
                  <Route
                    path="/items/:code/apply"
                    element={
                      <Private staff={false}>
                        <ApplyPage />
                      </Private>
                    }
                  />
                  <Route
                    path="/me/cases"
                    element={
                      <Private staff={false}>
                        <MyCasesPage />
                      </Private>
                    }
                  />
                  <Route
                    path="/me/cases/:id"
                    element={
                      <Private staff={false}>
                        <MyCasePage />
                      </Private>
                    }
                  />
                  <Route
                    path="/me/certificates"
                    element={
                      <Private staff={false}>
                        <MyCertificatesPage />
                      </Private>
                    }
                  />
                  <Route
                    path="/certificates/:no"
                    element={
                      <Private>
                        <CertificatePage />
                      </Private>
                    }
                  />
                  <Route
                    path="/window"
                    element={
                      <Private staff>
                        <WindowPage />
                      </Private>
                    }
                  />
                  <Route
                    path="/window/residents/:id"
                    element={
                      <Private staff>
                        <ResidentPage />
                      </Private>
                    }
                  />
                  <Route
                    path="/window/residents/:id/apply/:code"
                    element={
                      <Private staff>
                        <CounterApplyPage />
                      </Private>
                    }
                  />
                  <Route
                    path="/desk"
                    element={
                      <Private staff>
                        <WorklistPage />
                      </Private>
                    }
                  />
                  <Route
                    path="/desk/cases/:id"
                    element={
                      <Private staff>
                        <StaffCasePage />
                      </Private>
                    }
                  />
                  <Route path="/hall/*" element={<HallRoutes />} />
                  <Route
                    path="/admin/*"
                    element={
                      <Private staff>
                        <AdminRoutes />
                      </Private>
                    }
                  />
                  <Route
                    path="/leader/*"
                    element={
                      <Private staff>
                        <LeaderRoutes />
                      </Private>
                    }
                  />
                  <Route path="*" element={<Navigate to="/" replace />} />
                </Routes>
              </Suspense>
            </Shell>
          </BrowserRouter>
        </AuthProvider>
      </Themed>
    </PrefsProvider>
  );
}
