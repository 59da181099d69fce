import type { HallServicePoint, IssuedTicket, PriorityReason } from '@yimen/core';
import { Alert, Button, Modal, Result } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { useApi, useIdempotentSubmit } from '../../api/hooks.ts';
import { useAuth } from '../../app/auth.tsx';
import './hall.css';
import { Loading, useGroupName } from './parts.tsx';
import { useHallStream } from './useHallStream.ts';

const CLOSE_AFTER_MS = 20_000;

/**
 * 自助取号: the hall's ticket machine, one big button per service group, and the priority
 * buttons (老年人, 残疾人). A member of the point's staff signs in on the device and opens it;
 * the session is theirs, so every ticket is traced to the hall that issued it.
 */
export default function KioskPage() {
  const { code = '' } = useParams();
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const { me, ready } = useAuth();
  const groupName = useGroupName();
  const point = useApi<HallServicePoint>(
    me?.kind === 'staff' ? `/hall/service-points/${code}` : null,
  );
  const { state } = useHallStream(me?.kind === 'staff' ? code : undefined);
  const submit = useIdempotentSubmit<IssuedTicket>();
  const [issued, setIssued] = useState<IssuedTicket>();
  useEffect(() => {
    if (!issued) return;
    const id = setTimeout(() => setIssued(undefined), CLOSE_AFTER_MS);
    return () => clearTimeout(id);
  }, [issued]);

  if (!ready) return <Loading />;
  if (me?.kind !== 'staff')
    return (
      <div className="hall-screen hall-kiosk">
        <Result
          status="info"
          title={t('hall.kiosk.title')}
          subTitle={t('hall.kiosk.needSignIn')}
          extra={
            <Button
              type="primary"
              size="large"
              onClick={() => navigate(`/login?next=${encodeURIComponent(`/hall/kiosk/${code}`)}`)}
            >
              {t('hall.kiosk.signIn')}
            </Button>
          }
        />
      </div>
    );
  if (point.isLoading) return <Loading />;
  if (point.error || !point.data?.can.serve)
    return (
      <div className="hall-screen hall-kiosk">
        <Result
          status="403"
          title={t('hall.kiosk.title')}
          subTitle={point.error?.message ?? t('hall.kiosk.notServe')}
          extra={<Link to="/hall">{t('hall.nav.console')}</Link>}
        />
      </div>
    );

  const take = async (groupId: string, priority: PriorityReason | null) => {
    try {
      const res = await submit.run(`/hall/service-points/${code}/tickets`, {
        body: { groupId, priority, channel: 'kiosk' },
      });
      setIssued(res);
    } catch {
      // shown from submit.error
    }
  };
  const waitingOf = (prefix: string) => state?.waiting.find((w) => w.prefix === prefix)?.waiting;
  const groups = point.data.groups.filter((g) => g.active);
  return (
    <div className="hall-screen hall-kiosk" data-testid="hall-kiosk">
      <div style={{ display: 'flex', justifyContent: 'space-between', flexWrap: 'wrap', gap: 8 }}>
        <div>
          <h1>{point.data.servicePoint.name}</h1>
          <div style={{ fontSize: 26 }}>{t('hall.kiosk.choose')}</div>
        </div>
        <Link to="/hall" style={{ alignSelf: 'start' }}>
          {t('hall.kiosk.exit')}
        </Link>
      </div>
      {submit.error && (
        <Alert
          type="error"
          showIcon
          title={submit.error.message}
          role="alert"
          style={{ marginTop: 16 }}
        />
      )}
      <div className="hall-kiosk-grid">
        {groups.map((g) => (
          <section className="hall-kiosk-card" key={g.id} aria-label={groupName(g)}>
            <h2>
              {g.prefix} · {groupName(g)}
            </h2>
            <div style={{ fontSize: 20 }}>
              {t('hall.kiosk.waiting', { count: waitingOf(g.prefix) ?? 0 })}
            </div>
            <Button
              type="primary"
              size="large"
              block
              loading={submit.pending}
              onClick={() => void take(g.id, null)}
              data-testid={`kiosk-take-${g.prefix}`}
            >
              {t('hall.kiosk.take')}
            </Button>
            {(['elderly', 'disabled'] as const).map((p) => (
              <Button
                key={p}
                size="large"
                block
                className="hall-kiosk-priority"
                disabled={submit.pending}
                onClick={() => void take(g.id, p)}
                data-testid={`kiosk-take-${g.prefix}-${p}`}
              >
                {t(`hall.priority.${p}`)}
              </Button>
            ))}
          </section>
        ))}
      </div>
      <Modal
        open={!!issued}
        footer={null}
        onCancel={() => setIssued(undefined)}
        width={520}
        destroyOnHidden
        title={null}
      >
        {issued && (
          <div className="hall-ticket" data-testid="kiosk-ticket">
            <p>{point.data.servicePoint.name}</p>
            <p>{t('hall.kiosk.yourNumber')}</p>
            <div className="hall-ticket-number" data-testid="kiosk-ticket-number">
              {issued.ticket.number}
            </div>
            <p>
              {groupName(issued.ticket)}
              {issued.ticket.priority ? ` · ${t(`hall.priority.${issued.ticket.priority}`)}` : ''}
            </p>
            <p>{t('hall.kiosk.ahead', { count: issued.waitingAhead })}</p>
            <p>
              {new Date(issued.ticket.issuedAt).toLocaleString(
                i18n.language === 'en' ? 'en-GB' : 'zh-CN',
              )}
            </p>
            <p>{t('hall.kiosk.please')}</p>
            <div
              className="no-print"
              style={{ display: 'flex', gap: 12, justifyContent: 'center' }}
            >
              <Button size="large" onClick={() => window.print()}>
                {t('hall.kiosk.print')}
              </Button>
              <Button
                size="large"
                type="primary"
                onClick={() => setIssued(undefined)}
                data-testid="kiosk-done"
              >
                {t('hall.kiosk.done')}
              </Button>
            </div>
          </div>
        )}
      </Modal>
    </div>
  );
}
