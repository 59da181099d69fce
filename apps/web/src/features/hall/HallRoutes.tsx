import { lazy, Suspense } from 'react';
import { Navigate, Route, Routes } from 'react-router';
import { Loading, StaffOnly } from './parts.tsx';

// The display runs on a hall television and the kiosk on a hall tablet: each loads only itself.
const ConsolePage = lazy(() => import('./ConsolePage.tsx'));
const KioskPage = lazy(() => import('./KioskPage.tsx'));
const DisplayPage = lazy(() => import('./DisplayPage.tsx'));
const FiguresPage = lazy(() => import('./FiguresPage.tsx'));
const SetupPage = lazy(() => import('./SetupPage.tsx'));

/**
 * The hall area's screens, under /hall/…. Who may see what:
 * - /hall/display/:code is public: numbers and window names only, never a person's name;
 * - /hall/kiosk/:code is opened by a member of the point's staff signed in on the hall
 *   device (it says so to anyone else), so every ticket is traced to the hall;
 * - the window console, the figures and the setup are for signed-in staff, and the API
 *   decides the rest (the point's own staff serve, administrators over it manage).
 */
export default function HallRoutes() {
  return (
    <Suspense fallback={<Loading />}>
      <Routes>
        <Route
          index
          element={
            <StaffOnly>
              <ConsolePage />
            </StaffOnly>
          }
        />
        <Route path="kiosk/:code" element={<KioskPage />} />
        <Route path="display/:code" element={<DisplayPage />} />
        <Route
          path="figures"
          element={
            <StaffOnly>
              <FiguresPage />
            </StaffOnly>
          }
        />
        <Route
          path="setup"
          element={
            <StaffOnly>
              <SetupPage />
            </StaffOnly>
          }
        />
        <Route path="*" element={<Navigate to="/hall" replace />} />
      </Routes>
    </Suspense>
  );
}
