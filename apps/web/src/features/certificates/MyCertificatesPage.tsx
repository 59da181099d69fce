import type { CertificateList } from '@yimen/core';
import { Alert, Card, Empty, Skeleton, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useApi } from '../../api/hooks.ts';
import { usePrefs } from '../../app/prefs.tsx';
import { bi } from '../../i18n/index.ts';

/** 我的证照: the e-certificates issued to me. */
export default function MyCertificatesPage() {
  const { t } = useTranslation();
  const { lang } = usePrefs();
  const certs = useApi<CertificateList>('/me/certificates');
  return (
    <div className="ym-narrow">
      <h1 style={{ fontSize: '1.3em' }}>{t('certs.title')}</h1>
      {certs.isLoading && <Skeleton active />}
      {certs.error && <Alert type="error" showIcon title={certs.error.message} />}
      {certs.data?.items.length === 0 && <Empty description={t('certs.none')} />}
      {certs.data?.items.map((c) => (
        <Card
          key={c.certificateNo}
          size="small"
          style={{ marginBottom: 12 }}
          title={
            <Link to={`/certificates/${c.certificateNo}`} data-testid="my-cert-link">
              {bi(c.title, lang)}
            </Link>
          }
          extra={
            <Tag color={c.status === 'valid' ? 'green' : 'red'}>
              {t(`certs.status.${c.status}`, { defaultValue: c.status })}
            </Tag>
          }
        >
          <div>{c.certificateNo}</div>
          <div>
            {c.issuer.name} · {new Date(c.issuedAt).toLocaleDateString()}
          </div>
        </Card>
      ))}
    </div>
  );
}
