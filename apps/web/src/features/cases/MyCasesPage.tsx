import type { ApplicationPage, NotificationList } from '@yimen/core';
import { Alert, Card, Empty, Skeleton } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useApi } from '../../api/hooks.ts';
import { DueLight, StatusTag } from './CaseParts.tsx';

/** 我的办件: each application with its state and due date, and the latest notices. */
export default function MyCasesPage() {
  const { t } = useTranslation();
  const cases = useApi<ApplicationPage>('/me/applications?limit=100');
  const notices = useApi<NotificationList>('/me/notifications?limit=5');
  return (
    <div className="ym-narrow">
      <h1 style={{ fontSize: '1.3em' }}>{t('myCases.title')}</h1>
      {cases.isLoading && <Skeleton active />}
      {cases.error && <Alert type="error" showIcon title={cases.error.message} />}
      {cases.data?.items.length === 0 && (
        <Empty description={t('myCases.none')}>
          <Link to="/">{t('myCases.find')}</Link>
        </Empty>
      )}
      {cases.data?.items.map((c) => (
        <Card
          key={c.id}
          size="small"
          style={{ marginBottom: 12 }}
          title={
            <Link to={`/me/cases/${c.id}`} data-testid="my-case-link">
              {c.itemName}
            </Link>
          }
          extra={<StatusTag c={c} />}
        >
          <div>{c.applicationNo}</div>
          <DueLight light={c.light} due={c.dueDate} estimate={c.dueIsEstimate} />
        </Card>
      ))}
      {(notices.data?.items.length ?? 0) > 0 && (
        <section aria-label={t('myCases.notices')} style={{ marginTop: 24 }}>
          <h2 style={{ fontSize: '1.1em' }}>{t('myCases.notices')}</h2>
          {notices.data?.items.map((n) => (
            <Card key={n.id} size="small" style={{ marginBottom: 8 }}>
              <strong>{n.title}</strong>
              <div>{n.body}</div>
              <small>{new Date(n.createdAt).toLocaleString()}</small>
            </Card>
          ))}
        </section>
      )}
    </div>
  );
}
