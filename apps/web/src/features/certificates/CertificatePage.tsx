import type { CertificateDetail } from '@yimen/core';
import { Alert, Button, Card, Descriptions, QRCode, Skeleton, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { apiUrl } from '../../api/client.ts';
import { useApi } from '../../api/hooks.ts';
import { usePrefs } from '../../app/prefs.tsx';
import { bi } from '../../i18n/index.ts';

/**
 * The e-certificate on the phone: its fields, the QR code anyone can scan to check it on the
 * public verify page, and the sealed PDF.
 */
export default function CertificatePage() {
  const { no = '' } = useParams();
  const { t } = useTranslation();
  const { lang, elderly } = usePrefs();
  const cert = useApi<CertificateDetail>(`/certificates/${encodeURIComponent(no)}`);
  if (cert.isLoading) return <Skeleton active paragraph={{ rows: 8 }} />;
  if (cert.error || !cert.data) return <Alert type="error" showIcon title={cert.error?.message} />;
  const c = cert.data;
  const verifyUrl = `${window.location.origin}/verify/${encodeURIComponent(c.certificateNo)}`;
  return (
    <div className="ym-narrow">
      <Card
        title={<h1 style={{ margin: 0, fontSize: '1.2em' }}>{bi(c.title, lang)}</h1>}
        extra={
          <Tag color={c.status === 'valid' ? 'green' : 'red'} data-testid="cert-status">
            {t(`certs.status.${c.status}`, { defaultValue: c.status })}
          </Tag>
        }
      >
        <div style={{ display: 'flex', justifyContent: 'center', marginBottom: 16 }}>
          <QRCode
            value={verifyUrl}
            size={elderly ? 260 : 200}
            bgColor="#ffffff"
            aria-label={t('certs.qr')}
            data-testid="cert-qr"
          />
        </div>
        <p style={{ textAlign: 'center' }}>{t('certs.scanHint')}</p>
        <Descriptions
          size="small"
          bordered
          column={1}
          items={[
            {
              key: 'no',
              label: t('case.certificateNo'),
              children: <span data-testid="cert-no">{c.certificateNo}</span>,
            },
            { key: 'h', label: t('certs.holder'), children: `${c.holderName} ${c.idNumberMasked}` },
            ...c.fields.map((f) => ({
              key: f.key,
              label: bi(f.label, lang),
              children: f.value,
            })),
            { key: 'i', label: t('certs.issuer'), children: c.issuer.name },
            {
              key: 'd',
              label: t('certs.issuedAt'),
              children: new Date(c.issuedAt).toLocaleString(),
            },
          ]}
        />
        <div style={{ display: 'flex', gap: 12, flexWrap: 'wrap', marginTop: 16 }}>
          <Button
            type="primary"
            size="large"
            href={apiUrl(`/certificates/${encodeURIComponent(c.certificateNo)}/pdf`)}
            download={`${c.certificateNo}.pdf`}
          >
            {t('certs.pdf')}
          </Button>
          <Button
            size="large"
            href={`/verify/${encodeURIComponent(c.certificateNo)}`}
            data-testid="verify-link"
          >
            {t('certs.verify')}
          </Button>
        </div>
      </Card>
    </div>
  );
}
