import type { ItemVersion, ResidentDetail } from '@yimen/core';
import { Alert, Card, Skeleton } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { useApi } from '../../api/hooks.ts';
import { usePrefs } from '../../app/prefs.tsx';
import { bi } from '../../i18n/index.ts';
import { ApplicationForm } from '../apply/ApplicationForm.tsx';
import { type Channel, ConsentFields, consentBody } from './ConsentFields.tsx';

/** Fields an item's form commonly shares with the resident record, filled in for the agent. */
function prefill(item: ItemVersion, r: ResidentDetail): Record<string, unknown> {
  const known: Record<string, unknown> = {
    applicantName: r.name,
    name: r.name,
    idNumber: r.idNumber,
    mobile: r.mobile ?? undefined,
    residenceVillage: r.regionCode,
  };
  const out: Record<string, unknown> = {};
  for (const f of item.content.form.fields) {
    if (known[f.key] !== undefined) out[f.key] = known[f.key];
    else if (f.type === 'region') out[f.key] = r.regionCode;
  }
  return out;
}

/** The window applies for the villager in front of it, or as their proxy with consent. */
export default function CounterApplyPage() {
  const { id = '', code = '' } = useParams();
  const { t } = useTranslation();
  const { lang } = usePrefs();
  const navigate = useNavigate();
  const [channel, setChannel] = useState<Channel>('counter');
  const resident = useApi<ResidentDetail>(`/residents/${id}`);
  const item = useApi<ItemVersion>(`/catalog/items/${encodeURIComponent(code)}`);
  if (resident.isLoading || item.isLoading) return <Skeleton active paragraph={{ rows: 12 }} />;
  const error = resident.error ?? item.error;
  if (error || !resident.data || !item.data)
    return <Alert type="error" showIcon title={error?.message} />;
  const r = resident.data;
  return (
    <div className="ym-narrow" style={{ maxWidth: 760 }}>
      <h1 style={{ fontSize: '1.3em' }}>{bi(item.data.content.name, lang)}</h1>
      <p>{t('counter.for', { name: r.name, id: r.idNumberMasked })}</p>
      <ApplicationForm
        item={item.data}
        channel={channel}
        applicantId={r.id}
        requireMaterials={false}
        initialValues={{ ...prefill(item.data, r), channel, consentMethod: 'sms' }}
        extra={(v) => consentBody(channel, v)}
        onDone={(c) => navigate(`/desk/cases/${c.id}`, { state: { submitted: true } })}
      >
        <Card size="small" title={t('counter.how')} style={{ marginBottom: 16 }}>
          <ConsentFields
            channel={channel}
            onChannel={setChannel}
            residentId={r.id}
            channels={item.data.content.channels}
          />
        </Card>
      </ApplicationForm>
    </div>
  );
}
