import { Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Route, Routes } from 'react-router';

/** The admin area's screens, under /admin/…. */
export default function AdminRoutes() {
  const { t } = useTranslation();
  return (
    <Routes>
      <Route index element={<Typography.Title level={2}>{t('admin.title')}</Typography.Title>} />
    </Routes>
  );
}
