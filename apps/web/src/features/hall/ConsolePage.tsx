import type { HallMe, HallServicePoint } from '@yimen/core';
import { Alert, Button, Card, Empty, Space, Table, Tag, Typography } from 'antd';
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate } from 'react-router';
import { ApiError, api } from '../../api/client.ts';
import { useApi } from '../../api/hooks.ts';
import { DeskIssue } from './DeskIssue.tsx';
import './hall.css';
import { Loading, useGroupName } from './parts.tsx';
import { WindowConsoleView } from './WindowConsoleView.tsx';

/**
 * 窗口叫号: where counter staff work the queue. First one sits at a window of one's own
 * service point; then the console calls, recalls, skips, transfers, starts and finishes.
 */
export default function ConsolePage() {
  const { t } = useTranslation();
  const me = useApi<HallMe>('/hall/me');
  const { refetch } = me;
  const reload = useCallback(() => void refetch(), [refetch]);
  if (me.isLoading) return <Loading />;
  if (me.error) return <Alert type="error" showIcon title={me.error.message} />;
  const m = me.data!;
  if (!m.can.serve) {
    if (m.can.manage) return <Navigate to="/hall/setup" replace />;
    if (m.can.figures) return <Navigate to="/hall/figures" replace />;
    return <Alert type="warning" showIcon title={t('hall.noAccess')} />;
  }
  const code = m.servicePoint!.code;
  return (
    <div>
      <Space wrap style={{ width: '100%', justifyContent: 'space-between', marginBottom: 12 }}>
        <h1 style={{ fontSize: '1.3em', margin: 0 }}>
          {t('hall.console.title')} · {m.servicePoint!.name}
        </h1>
        <Space wrap>
          <Link to="/window">{t('hall.nav.counter')}</Link>
          <Link to={`/hall/kiosk/${code}`}>{t('hall.nav.kiosk')}</Link>
          <a href={`/hall/display/${code}`} target="_blank" rel="noreferrer">
            {t('hall.nav.display')}
          </a>
          <Link to="/hall/figures">{t('hall.nav.figures')}</Link>
          {m.can.manage && <Link to="/hall/setup">{t('hall.nav.setup')}</Link>}
        </Space>
      </Space>
      {m.windowId ? (
        <WindowConsoleView windowId={m.windowId} code={code} onLeft={reload} />
      ) : (
        <WindowPicker code={code} onSeated={reload} />
      )}
      <DeskIssue code={code} />
    </div>
  );
}

function WindowPicker({ code, onSeated }: { code: string; onSeated: () => void }) {
  const { t } = useTranslation();
  const groupName = useGroupName();
  const point = useApi<HallServicePoint>(`/hall/service-points/${code}`);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState<string>();
  const sit = useCallback(
    async (id: string, takeOver: boolean) => {
      setBusy(id);
      setError(undefined);
      try {
        await api(`/hall/windows/${id}/sit`, { body: { takeOver } });
        onSeated();
      } catch (e) {
        setError(e instanceof ApiError ? e.message : String(e));
        void point.refetch();
      } finally {
        setBusy(undefined);
      }
    },
    [onSeated, point.refetch],
  );
  if (point.isLoading) return <Loading />;
  if (point.error) return <Alert type="error" showIcon title={point.error.message} />;
  const p = point.data!;
  const names = new Map(p.groups.map((g) => [g.id, groupName(g)]));
  const windows = p.windows.filter((w) => w.active);
  return (
    <Card title={t('hall.console.pickWindow')} style={{ marginBottom: 16 }}>
      <Typography.Paragraph type="secondary">{t('hall.console.pickHint')}</Typography.Paragraph>
      {error && (
        <Alert type="warning" showIcon title={error} role="alert" style={{ marginBottom: 12 }} />
      )}
      {windows.length === 0 ? (
        <Empty description={t('hall.console.noWindows')} />
      ) : (
        <Table
          rowKey="id"
          size="middle"
          pagination={false}
          dataSource={windows}
          scroll={{ x: true }}
          columns={[
            { title: t('hall.setup.window'), dataIndex: 'name' },
            {
              title: t('hall.console.groups'),
              render: (_, w) => w.groupIds.map((id) => <Tag key={id}>{names.get(id)}</Tag>),
            },
            {
              title: t('hall.setup.seated'),
              render: (_, w) => w.seated?.name ?? t('hall.console.free'),
            },
            {
              title: '',
              render: (_, w) => (
                <Button
                  type={w.seated ? 'default' : 'primary'}
                  loading={busy === w.id}
                  onClick={() => void sit(w.id, !!w.seated)}
                  data-testid={`sit-${w.name}`}
                >
                  {w.seated ? t('hall.console.takeOver') : t('hall.console.sit')}
                </Button>
              ),
            },
          ]}
        />
      )}
    </Card>
  );
}
