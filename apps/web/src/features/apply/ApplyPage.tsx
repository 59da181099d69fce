import type { ItemVersion } from '@yimen/core';
import { Alert, Skeleton } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { useApi } from '../../api/hooks.ts';
import { useAuth } from '../../app/auth.tsx';
import { usePrefs } from '../../app/prefs.tsx';
import { bi } from '../../i18n/index.ts';
import { ApplicationForm } from './ApplicationForm.tsx';

/** A citizen applies online for themself, on the phone. */
export default function ApplyPage() {
  const { code = '' } = useParams();
  const { t } = useTranslation();
  const { lang } = usePrefs();
  const { me } = useAuth();
  const navigate = useNavigate();
  const item = useApi<ItemVersion>(`/catalog/items/${encodeURIComponent(code)}`);
  if (item.isLoading) return <Skeleton active paragraph={{ rows: 12 }} />;
  if (item.error || !item.data) return <Alert type="error" showIcon title={item.error?.message} />;
  return (
    <div className="ym-narrow">
      <h1 style={{ fontSize: '1.3em' }}>
        {t('apply.title', { item: bi(item.data.content.name, lang) })}
      </h1>
      <p>{t('apply.applicant', { name: me?.name ?? '' })}</p>
      <ApplicationForm
        item={item.data}
        channel="online"
        requireMaterials
        onDone={(c) => navigate(`/me/cases/${c.id}`, { state: { submitted: true } })}
      />
    </div>
  );
}
