import { RedoOutlined } from '@ant-design/icons';
import type {
  DepartmentSystem,
  MessageLogEntry,
  OutboxPage,
  OutboxRow,
  Webhook,
} from '@yimen/core';
import { Alert, Badge, Button, Input, Radio, Space, Table, Tabs, Tag, Tooltip } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { ApiError, api } from '../../api/client.ts';
import { useApi } from '../../api/hooks.ts';
import { ApiAlert, fmtTime, JsonBlock, useAdmin } from './shared.tsx';

/** 部门系统接入: each connector with what waits for it, what keeps failing, what died. */
function SystemsTab({ onDeadLetters }: { onDeadLetters: (s: DepartmentSystem) => void }) {
  const { t } = useTranslation();
  const systems = useApi<{ items: DepartmentSystem[] }>('/integrations/systems');
  return (
    <>
      <ApiAlert error={systems.error} />
      <Table
        rowKey="id"
        size="middle"
        loading={systems.isFetching}
        dataSource={systems.data?.items ?? []}
        pagination={false}
        scroll={{ x: 900 }}
        locale={{ emptyText: t('admin.connectors.noSystems') }}
        data-testid="systems-table"
        columns={[
          {
            title: t('admin.connectors.system'),
            key: 'name',
            render: (_, s) => (
              <div>
                <div>{s.name}</div>
                <code style={{ fontSize: 12, color: '#555' }}>{s.code}</code>
              </div>
            ),
          },
          { title: t('admin.connectors.systemKey'), dataIndex: 'systemKey', key: 'key' },
          { title: t('admin.catalog.department'), dataIndex: 'department', key: 'dept' },
          {
            title: t('admin.users.state'),
            key: 'active',
            render: (_, s) =>
              s.active ? (
                <Tag color="green">{t('admin.connectors.on')}</Tag>
              ) : (
                <Tag>{t('admin.connectors.off')}</Tag>
              ),
          },
          {
            title: t('admin.connectors.pending'),
            key: 'pending',
            render: (_, s) => s.backlog.pending,
          },
          {
            title: t('admin.connectors.failing'),
            key: 'failing',
            render: (_, s) =>
              s.backlog.failing ? (
                <Badge color="orange" text={s.backlog.failing} />
              ) : (
                (s.backlog.failing ?? '—')
              ),
          },
          {
            title: t('admin.connectors.dead'),
            key: 'dead',
            render: (_, s) =>
              s.backlog.dead ? (
                <Button type="link" danger size="small" onClick={() => onDeadLetters(s)}>
                  {s.backlog.dead}
                </Button>
              ) : (
                0
              ),
          },
          {
            title: t('admin.connectors.lastError'),
            key: 'err',
            render: (_, s) => s.backlog.lastError ?? '—',
          },
        ]}
      />
    </>
  );
}

/** The outbox: what waits, what was sent, the dead letters with their reason and a replay. */
function OutboxTab(props: { target?: DepartmentSystem; clearTarget: () => void }) {
  const { t } = useTranslation();
  const [status, setStatus] = useState<'dead' | 'pending' | 'sent'>('dead');
  const [before, setBefore] = useState<number[]>([]);
  const [notice, setNotice] = useState<string>();
  const [error, setError] = useState<ApiError>();
  const [replaying, setReplaying] = useState<number>();
  const qs = new URLSearchParams({ status, limit: '20' });
  if (props.target) qs.set('targetId', props.target.id);
  const cursor = before.at(-1);
  if (cursor) qs.set('before', String(cursor));
  const page = useApi<OutboxPage>(`/integrations/outbox?${qs}`);
  const replay = async (row: OutboxRow) => {
    setReplaying(row.id);
    setError(undefined);
    try {
      await api(`/integrations/outbox/${row.id}/replay`, { method: 'POST', body: {} });
      setNotice(t('admin.connectors.replayed', { id: row.id, messageId: row.messageId }));
      void page.refetch();
    } catch (e) {
      if (e instanceof ApiError) setError(e);
    } finally {
      setReplaying(undefined);
    }
  };
  return (
    <>
      <Space wrap style={{ marginBottom: 12 }}>
        <Radio.Group
          value={status}
          onChange={(e) => {
            setStatus(e.target.value);
            setBefore([]);
          }}
          optionType="button"
          options={(['dead', 'pending', 'sent'] as const).map((s) => ({
            value: s,
            label: t(`admin.connectors.status.${s}`),
          }))}
        />
        {props.target && (
          <Tag closable onClose={props.clearTarget}>
            {props.target.name}
          </Tag>
        )}
      </Space>
      {page.data && page.data.summary.length > 0 && (
        <p style={{ color: '#555' }}>
          {page.data.summary
            .map((s) =>
              t('admin.connectors.summary', { topic: s.topic, pending: s.pending, dead: s.dead }),
            )
            .join('；')}
        </p>
      )}
      {notice && (
        <Alert
          type="success"
          showIcon
          role="status"
          closable
          title={notice}
          style={{ marginBottom: 12 }}
        />
      )}
      <ApiAlert error={error ?? page.error} />
      <Table
        rowKey="id"
        size="small"
        loading={page.isFetching}
        dataSource={page.data?.items ?? []}
        pagination={false}
        scroll={{ x: 960 }}
        data-testid="outbox-table"
        columns={[
          { title: '#', dataIndex: 'id', key: 'id', width: 70 },
          { title: t('admin.connectors.topic'), dataIndex: 'topic', key: 'topic' },
          { title: t('admin.connectors.target'), key: 'target', render: (_, r) => r.target ?? '—' },
          {
            title: t('admin.connectors.case'),
            key: 'case',
            render: (_, r) => r.applicationNo ?? '—',
          },
          {
            title: t('admin.connectors.attempts'),
            dataIndex: 'attempts',
            key: 'attempts',
            width: 80,
          },
          {
            title: t('admin.connectors.reason'),
            key: 'err',
            render: (_, r) => (
              <span style={{ color: r.lastError ? '#b91c1c' : undefined }}>
                {r.lastError ?? '—'}
              </span>
            ),
          },
          {
            title: t('admin.connectors.when'),
            key: 'when',
            render: (_, r) => (
              <div style={{ fontSize: 12 }}>
                <div>{t('admin.connectors.created', { at: fmtTime(r.createdAt) })}</div>
                {r.status === 'pending' && (
                  <div>
                    {r.nextAttemptAt
                      ? t('admin.connectors.nextAttempt', { at: fmtTime(r.nextAttemptAt) })
                      : t('admin.connectors.queuedBehind')}
                  </div>
                )}
                {r.sentAt && <div>{t('admin.connectors.sent', { at: fmtTime(r.sentAt) })}</div>}
                {r.replayedAt && (
                  <div>{t('admin.connectors.replayedAt', { at: fmtTime(r.replayedAt) })}</div>
                )}
              </div>
            ),
          },
          {
            title: t('admin.common.actions'),
            key: 'act',
            render: (_, r) =>
              r.status === 'dead' ? (
                <Tooltip title={t('admin.connectors.replayHelp')}>
                  <Button
                    size="small"
                    icon={<RedoOutlined />}
                    loading={replaying === r.id}
                    onClick={() => replay(r)}
                    data-testid={`replay-${r.id}`}
                  >
                    {t('admin.connectors.replay')}
                  </Button>
                </Tooltip>
              ) : null,
          },
        ]}
      />
      <Space style={{ marginTop: 12 }}>
        <Button disabled={!before.length} onClick={() => setBefore((b) => b.slice(0, -1))}>
          {t('common.prev')}
        </Button>
        <Button
          disabled={!page.data?.nextBefore}
          onClick={() => page.data?.nextBefore && setBefore((b) => [...b, page.data!.nextBefore!])}
        >
          {t('common.next')}
        </Button>
      </Space>
    </>
  );
}

/** The message log of one case: every exchange with the departments, both ways. */
function MessagesTab() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const no = params.get('applicationNo') ?? '';
  const [typed, setTyped] = useState(no);
  const log = useApi<{ items: MessageLogEntry[] }>(
    no ? `/integrations/messages?applicationNo=${encodeURIComponent(no)}&limit=200` : null,
  );
  return (
    <>
      <Input.Search
        aria-label={t('admin.connectors.applicationNo')}
        placeholder={t('admin.connectors.applicationNo')}
        value={typed}
        onChange={(e) => setTyped(e.target.value)}
        onSearch={(v) => {
          const next = new URLSearchParams(params);
          if (v.trim()) next.set('applicationNo', v.trim());
          else next.delete('applicationNo');
          setParams(next);
        }}
        enterButton={t('admin.common.search')}
        style={{ maxWidth: 420, marginBottom: 12 }}
        data-testid="message-log-search"
      />
      <ApiAlert error={log.error} />
      {no && (
        <Table
          rowKey="id"
          size="small"
          loading={log.isFetching}
          dataSource={log.data?.items ?? []}
          pagination={false}
          scroll={{ x: 900 }}
          locale={{ emptyText: t('admin.connectors.noMessages') }}
          data-testid="message-log-table"
          expandable={{
            expandedRowRender: (m) => (
              <div
                style={{
                  display: 'grid',
                  gap: 8,
                  gridTemplateColumns: 'repeat(auto-fit, minmax(280px, 1fr))',
                }}
              >
                <div>
                  <strong>{t('admin.connectors.request')}</strong>{' '}
                  <code style={{ fontSize: 11 }}>{m.requestSha256}</code>
                  <JsonBlock value={m.requestHeaders} />
                  <JsonBlock value={m.requestBody} />
                </div>
                <div>
                  <strong>{t('admin.connectors.response')}</strong>{' '}
                  <code style={{ fontSize: 11 }}>{m.responseSha256}</code>
                  <JsonBlock value={m.responseHeaders} />
                  <JsonBlock value={m.responseBody} />
                </div>
              </div>
            ),
          }}
          columns={[
            {
              title: t('admin.connectors.when'),
              key: 'at',
              render: (_, m) => fmtTime(m.startedAt),
            },
            {
              title: t('admin.connectors.direction'),
              key: 'dir',
              render: (_, m) => (
                <Tag color={m.direction === 'outbound' ? 'blue' : 'purple'}>
                  {t(`admin.connectors.${m.direction}`)}
                </Tag>
              ),
            },
            { title: t('admin.connectors.channel'), dataIndex: 'channel', key: 'ch' },
            { title: t('admin.connectors.system'), key: 'sys', render: (_, m) => m.system ?? '—' },
            {
              title: 'URL',
              key: 'url',
              render: (_, m) => (
                <code style={{ fontSize: 12 }}>{`${m.method ?? ''} ${m.url}`}</code>
              ),
            },
            {
              title: t('admin.connectors.httpStatus'),
              key: 'st',
              render: (_, m) => m.statusCode ?? '—',
            },
            {
              title: t('admin.connectors.outcome'),
              key: 'out',
              render: (_, m) => (
                <span
                  title={m.error ?? undefined}
                  style={{ color: m.error ? '#b91c1c' : undefined }}
                >
                  {m.outcome}
                </span>
              ),
            },
            { title: 'ms', dataIndex: 'durationMs', key: 'ms', width: 70 },
          ]}
        />
      )}
    </>
  );
}

function WebhooksTab() {
  const { t } = useTranslation();
  const hooks = useApi<{ items: Webhook[] }>('/integrations/webhooks');
  return (
    <>
      <ApiAlert error={hooks.error} />
      <Table
        rowKey="id"
        size="small"
        loading={hooks.isFetching}
        dataSource={hooks.data?.items ?? []}
        pagination={false}
        locale={{ emptyText: t('admin.connectors.noWebhooks') }}
        columns={[
          { title: t('admin.sp.name'), dataIndex: 'name', key: 'n' },
          { title: 'URL', dataIndex: 'url', key: 'u' },
          { title: t('admin.connectors.events'), key: 'e', render: (_, w) => w.events.join(', ') },
          { title: t('admin.sp.region'), key: 'r', render: (_, w) => w.regionCode ?? '—' },
          {
            title: t('admin.users.state'),
            key: 'a',
            render: (_, w) => (w.active ? t('admin.connectors.on') : t('admin.connectors.off')),
          },
        ]}
      />
    </>
  );
}

/** 部门接入: the integration hub as the city's administrators look after it. */
export default function ConnectorsPage() {
  const { t } = useTranslation();
  const admin = useAdmin();
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') ?? 'systems';
  const [target, setTarget] = useState<DepartmentSystem>();
  if (!admin.integrations)
    return (
      <Alert
        type="info"
        showIcon
        title={t('admin.connectors.cityOnly')}
        data-testid="connectors-city-only"
      />
    );
  const open = (k: string) => {
    const next = new URLSearchParams(params);
    next.set('tab', k);
    setParams(next);
  };
  return (
    <div>
      <h1 style={{ fontSize: '1.3em', marginTop: 0 }}>{t('admin.connectors.title')}</h1>
      <p style={{ color: '#555' }}>{t('admin.connectors.intro')}</p>
      <Tabs
        activeKey={tab}
        onChange={open}
        items={[
          {
            key: 'systems',
            label: t('admin.connectors.systems'),
            children: (
              <SystemsTab
                onDeadLetters={(s) => {
                  setTarget(s);
                  open('outbox');
                }}
              />
            ),
          },
          {
            key: 'outbox',
            label: t('admin.connectors.outbox'),
            children: <OutboxTab target={target} clearTarget={() => setTarget(undefined)} />,
          },
          { key: 'messages', label: t('admin.connectors.messages'), children: <MessagesTab /> },
          { key: 'webhooks', label: t('admin.connectors.webhooks'), children: <WebhooksTab /> },
        ]}
      />
    </div>
  );
}
