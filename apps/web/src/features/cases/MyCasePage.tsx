import type { ApplicationDetail } from '@yimen/core';
import { Alert, Button, Card, Skeleton } from 'antd';
import { useTranslation } from 'react-i18next';
import { useLocation, useNavigate, useParams } from 'react-router';
import { useApi } from '../../api/hooks.ts';
import { CaseFacts, CaseTimeline } from './CaseParts.tsx';
import { CorrectionAnswer } from './CorrectionAnswer.tsx';
import { FormAnswers, useCaseItem } from './FormAnswers.tsx';
import { RatingCard } from './RatingCard.tsx';

/** One of my applications: where it stands, what to do next, its whole history. */
export default function MyCasePage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const loc = useLocation();
  const navigate = useNavigate();
  const c = useApi<ApplicationDetail>(`/applications/${id}`);
  const item = useCaseItem(c.data);
  if (c.isLoading) return <Skeleton active paragraph={{ rows: 10 }} />;
  if (c.error || !c.data) return <Alert type="error" showIcon title={c.error?.message} />;
  const d = c.data;
  const reload = () => void c.refetch();
  return (
    <div className="ym-narrow">
      {(loc.state as { submitted?: boolean } | null)?.submitted && (
        <Alert type="success" showIcon title={t('myCase.submitted')} style={{ marginBottom: 12 }} />
      )}
      <h1 style={{ fontSize: '1.3em' }}>{d.itemName}</h1>
      <CaseFacts c={d} />
      {d.allowedActions.includes('resubmit') && <CorrectionAnswer c={d} onDone={reload} />}
      {d.certificateNo && (
        <Card size="small" style={{ marginTop: 16 }} title={t('myCase.result')}>
          <Button
            type="primary"
            size="large"
            data-testid="open-certificate"
            onClick={() => navigate(`/certificates/${d.certificateNo}`)}
          >
            {t('myCase.showCertificate')}
          </Button>
        </Card>
      )}
      {d.status === 'concluded' && <RatingCard c={d} onDone={reload} />}
      <div style={{ marginTop: 16 }}>
        <FormAnswers c={d} item={item} />
      </div>
      <h2 style={{ fontSize: '1.1em', marginTop: 24 }}>{t('case.history')}</h2>
      <CaseTimeline history={d.history} />
    </div>
  );
}
