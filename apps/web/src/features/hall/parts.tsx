import type { PriorityReason, TicketStatus } from '@yimen/core';
import { Spin, Tag } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation } from 'react-router';
import { useAuth } from '../../app/auth.tsx';

export const Loading = () => (
  <div style={{ padding: 48, textAlign: 'center' }}>
    <Spin size="large" />
  </div>
);

/** Hall pages for signed-in staff; others go to sign-in and come back here. */
export function StaffOnly({ children }: { children: ReactNode }) {
  const { me, ready } = useAuth();
  const loc = useLocation();
  if (!ready) return <Loading />;
  if (!me) return <Navigate to={`/login?next=${encodeURIComponent(loc.pathname)}`} replace />;
  if (me.kind !== 'staff') return <Navigate to="/" replace />;
  return <>{children}</>;
}

const STATUS_COLOR: Record<TicketStatus, string> = {
  waiting: 'default',
  called: 'blue',
  serving: 'processing',
  done: 'success',
  no_show: 'warning',
  transferred: 'purple',
};

export function TicketStatusTag({ status }: { status: TicketStatus }) {
  const { t } = useTranslation();
  return (
    <Tag color={STATUS_COLOR[status]} data-testid="ticket-status">
      {t(`hall.status.${status}`)}
    </Tag>
  );
}

export function PriorityTag({ priority }: { priority: PriorityReason | null }) {
  const { t } = useTranslation();
  if (!priority) return null;
  return <Tag color="volcano">{t(`hall.priority.${priority}`)}</Tag>;
}

/** 4分05秒 / 4 min 5 s; a dash when there is nothing measured. */
export function useDuration() {
  const { t } = useTranslation();
  return (sec: number | null | undefined) => {
    if (sec === null || sec === undefined) return '—';
    const s = Math.round(sec);
    const m = Math.floor(s / 60);
    return m > 0 ? t('hall.duration', { m, s: s % 60 }) : t('hall.durationSec', { s });
  };
}

/** A group's name in the UI's language. */
export function useGroupName() {
  const { i18n } = useTranslation();
  return (g: { name?: string; nameEn?: string; groupName?: string; groupNameEn?: string }) => {
    const zh = g.name ?? g.groupName ?? '';
    const en = g.nameEn ?? g.groupNameEn ?? '';
    return i18n.language === 'en' && en ? en : zh;
  };
}
