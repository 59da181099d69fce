import { Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Route, Routes } from 'react-router';

/** The leader area's screens, under /leader/…. */
export default function LeaderRoutes() {
  const { t } = useTranslation();
  return (
    <Routes>
      <Route index element={<Typography.Title level={2}>{t('leader.title')}</Typography.Title>} />
    </Routes>
  );
}
