import { Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Route, Routes } from 'react-router';

/** The hall area's screens, under /hall/…. */
export default function HallRoutes() {
  const { t } = useTranslation();
  return (
    <Routes>
      <Route index element={<Typography.Title level={2}>{t('hall.title')}</Typography.Title>} />
    </Routes>
  );
}
