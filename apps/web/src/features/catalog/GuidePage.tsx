import type { ItemVersion } from '@yimen/core';
import { Alert, Button, Card, Descriptions, Skeleton, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { apiUrl } from '../../api/client.ts';
import { useApi } from '../../api/hooks.ts';
import { useAuth } from '../../app/auth.tsx';
import { usePrefs } from '../../app/prefs.tsx';
import { bi } from '../../i18n/index.ts';

/** 办事指南: what the item is, who may apply, what to bring, how long it takes. */
export default function GuidePage() {
  const { code = '' } = useParams();
  const { t } = useTranslation();
  const { lang, elderly } = usePrefs();
  const { me } = useAuth();
  const navigate = useNavigate();
  const item = useApi<ItemVersion>(`/catalog/items/${encodeURIComponent(code)}`);
  if (item.isLoading) return <Skeleton active paragraph={{ rows: 10 }} />;
  if (item.error || !item.data) return <Alert type="error" showIcon title={item.error?.message} />;
  const c = item.data.content;
  const online = c.channels.includes('online');
  const applyButton =
    online && me?.kind !== 'staff' ? (
      <Button
        type="primary"
        size="large"
        block={elderly}
        data-testid="apply"
        onClick={() => navigate(`/items/${code}/apply`)}
      >
        {t('guide.apply')}
      </Button>
    ) : null;
  return (
    <div>
      <h1 style={{ fontSize: '1.4em' }}>{bi(c.name, lang)}</h1>
      <p>{bi(c.summary, lang)}</p>
      {elderly && applyButton}
      <Descriptions
        bordered
        size="small"
        column={1}
        style={{ margin: '16px 0' }}
        items={[
          {
            key: 'p',
            label: t('guide.promised'),
            children: t('guide.days', { count: c.promisedDays }),
          },
          { key: 'l', label: t('guide.legal'), children: t('guide.days', { count: c.legalDays }) },
          {
            key: 'v',
            label: t('guide.visits'),
            children: c.visitsRequired === 0 ? t('catalog.zeroVisits') : c.visitsRequired,
          },
          {
            key: 'f',
            label: t('guide.fee'),
            children: c.fee.kind === 'none' ? t('guide.free') : c.fee.kind,
          },
          {
            key: 'c',
            label: t('guide.channels'),
            children: c.channels.map((ch) => <Tag key={ch}>{t(`channel.${ch}`)}</Tag>),
          },
        ]}
      />
      <Card size="small" title={t('guide.conditions')} style={{ marginBottom: 16 }}>
        <ol style={{ margin: 0, paddingLeft: '1.2em' }}>
          {c.acceptConditions.map((x) => (
            <li key={x.zh}>{bi(x, lang)}</li>
          ))}
        </ol>
      </Card>
      <Card size="small" title={t('guide.materials')} style={{ marginBottom: 16 }}>
        <ol style={{ margin: 0, paddingLeft: '1.2em' }}>
          {c.materials.map((m) => (
            <li key={m.key} style={{ marginBottom: 6 }}>
              {bi(m.name, lang)}{' '}
              <Tag color={m.requirement === 'required' ? 'red' : 'default'}>
                {t(`guide.req.${m.requirement}`)}
              </Tag>
              {m.condition && <span>（{bi(m.condition, lang)}）</span>}
            </li>
          ))}
        </ol>
      </Card>
      {!elderly && (
        <Card size="small" title={t('guide.legalBasis')} style={{ marginBottom: 16 }}>
          <ul style={{ margin: 0, paddingLeft: '1.2em' }}>
            {c.legalBasis.map((x) => (
              <li key={x}>{x}</li>
            ))}
          </ul>
        </Card>
      )}
      <div style={{ display: 'flex', gap: 12, flexWrap: 'wrap', alignItems: 'center' }}>
        {!elderly && applyButton}
        {!online && <span>{t('guide.counterOnly')}</span>}
        <a href={apiUrl(`/catalog/items/${code}/guide.html`)} target="_blank" rel="noreferrer">
          {t('guide.print')}
        </a>
        <a href={apiUrl(`/catalog/items/${code}/guide.pdf`)}>{t('guide.pdf')}</a>
      </div>
    </div>
  );
}
