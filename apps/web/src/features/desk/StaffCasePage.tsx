import type { ApplicationDetail } from '@yimen/core';
import { Alert, Card, Skeleton } from 'antd';
import { useTranslation } from 'react-i18next';
import { useLocation, useParams } from 'react-router';
import { apiUrl } from '../../api/client.ts';
import { useApi } from '../../api/hooks.ts';
import { usePrefs } from '../../app/prefs.tsx';
import { bi } from '../../i18n/index.ts';
import { CaseFacts, CaseTimeline } from '../cases/CaseParts.tsx';
import { CorrectionAnswer } from '../cases/CorrectionAnswer.tsx';
import { FormAnswers, useCaseItem } from '../cases/FormAnswers.tsx';
import { ActionPanel } from './ActionPanel.tsx';
import { MaterialsViewer } from './MaterialsViewer.tsx';

/** A case at the window or the desk: facts, form, materials, what may be done, history. */
export default function StaffCasePage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const { lang } = usePrefs();
  const loc = useLocation();
  const c = useApi<ApplicationDetail>(`/applications/${id}`);
  const d = c.data;
  const reload = () => void c.refetch();
  const item = useCaseItem(d);
  if (c.isLoading) return <Skeleton active paragraph={{ rows: 12 }} />;
  if (c.error || !d) return <Alert type="error" showIcon title={c.error?.message} />;
  const names: Record<string, string> = {};
  for (const m of item.data?.content.materials ?? []) names[m.key] = bi(m.name, lang);
  return (
    <div>
      {(loc.state as { submitted?: boolean } | null)?.submitted && (
        <Alert type="success" showIcon title={t('myCase.submitted')} style={{ marginBottom: 12 }} />
      )}
      <h1 style={{ fontSize: '1.3em' }}>
        {d.itemName} · {d.applicantName}
      </h1>
      <CaseFacts c={d} />
      <ActionPanel c={d} materialNames={names} onDone={reload} />
      {d.status === 'correction_requested' && (
        <p className="ym-noprint">
          <a
            href={apiUrl(`/applications/${d.id}/correction-notice`)}
            target="_blank"
            rel="noreferrer"
            data-testid="print-notice"
          >
            {t('correction.printNotice')}
          </a>
        </p>
      )}
      {d.allowedActions.includes('resubmit') && <CorrectionAnswer c={d} onDone={reload} />}
      {d.certificateNo && (
        <p>
          {t('case.certificateNo')}：<span data-testid="certificate-no">{d.certificateNo}</span> ·{' '}
          <a href={`/verify/${d.certificateNo}`} target="_blank" rel="noreferrer">
            {t('certs.verify')}
          </a>
        </p>
      )}
      <div
        style={{
          display: 'grid',
          gap: 16,
          gridTemplateColumns: 'repeat(auto-fit, minmax(320px, 1fr))',
          marginTop: 16,
        }}
      >
        <FormAnswers c={d} item={item} />
        <Card size="small" title={t('viewer.title')}>
          <MaterialsViewer c={d} names={names} />
        </Card>
      </div>
      <h2 style={{ fontSize: '1.1em', marginTop: 24 }}>{t('case.history')}</h2>
      <CaseTimeline history={d.history} />
    </div>
  );
}
