import type { CallNext, Ticket, WindowConsole } from '@yimen/core';
import { Alert, Button, Card, Col, Form, Input, Modal, Row, Select, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api } from '../../api/client.ts';
import { useApi, useFormSubmit, useIdempotentSubmit } from '../../api/hooks.ts';
import { PriorityTag, TicketStatusTag, useDuration, useGroupName } from './parts.tsx';
import { useHallStream } from './useHallStream.ts';

/** The console of the window one sits at: the ticket now, the buttons its state allows. */
export function WindowConsoleView(props: { windowId: string; code: string; onLeft: () => void }) {
  const { t } = useTranslation();
  const groupName = useGroupName();
  const duration = useDuration();
  const view = useApi<WindowConsole>(`/hall/windows/${props.windowId}`);
  // Anyone's change in the hall (a ticket taken, a call elsewhere) refreshes the counts here.
  useHallStream(props.code, () => void view.refetch());
  const callNext = useIdempotentSubmit<CallNext>();
  const [busy, setBusy] = useState<string>();
  const [error, setError] = useState<string>();
  const [info, setInfo] = useState<string>();
  const [dialog, setDialog] = useState<'finish' | 'transfer'>();

  if (!view.data) {
    if (view.error) return <Alert type="error" showIcon title={view.error.message} />;
    return null;
  }
  const { window: win, current, waiting, otherGroups, handledToday } = view.data;
  const run = async (label: string, fn: () => Promise<unknown>) => {
    setBusy(label);
    setError(undefined);
    setInfo(undefined);
    try {
      await fn();
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    } finally {
      setBusy(undefined);
      void view.refetch();
    }
  };
  const step = (action: 'recall' | 'skip' | 'start') =>
    run(action, () => api(`/hall/tickets/${current!.id}/${action}`, { body: {} }));
  const next = () =>
    run('call', async () => {
      const r = await callNext.run(`/hall/windows/${win.id}/call-next`, { body: {} });
      if (!r.ticket) setInfo(t('hall.console.nobody'));
    });
  const leave = () =>
    run('leave', async () => {
      await api(`/hall/windows/${win.id}/leave`, { body: {} });
      props.onLeft();
    });
  const waitedSec = current
    ? (new Date(current.calledAt ?? Date.now()).getTime() - new Date(current.issuedAt).getTime()) /
      1000
    : null;
  const s = current?.status;
  return (
    <>
      <Row gutter={[16, 16]}>
        <Col xs={24} md={14}>
          <Card
            title={
              <span data-testid="console-window">
                {win.name} ·{' '}
                {win.groupIds.length ? waiting.map((g) => groupName(g)).join(' / ') : ''}
              </span>
            }
            extra={
              <Button size="small" onClick={() => void leave()} loading={busy === 'leave'}>
                {t('hall.console.leave')}
              </Button>
            }
          >
            {current ? (
              <div style={{ marginBottom: 16 }}>
                <div className="hall-current-number" data-testid="current-number">
                  {current.number}
                </div>
                <Space wrap>
                  <TicketStatusTag status={current.status} />
                  <Tag>{groupName(current)}</Tag>
                  <PriorityTag priority={current.priority} />
                  {current.transferredFrom && (
                    <Tag color="purple">{t('hall.console.transferredIn')}</Tag>
                  )}
                  <span>{t('hall.console.waited', { time: duration(waitedSec) })}</span>
                  {current.callCount > 1 && (
                    <span>{t('hall.console.calledTimes', { count: current.callCount })}</span>
                  )}
                </Space>
              </div>
            ) : (
              <p style={{ fontSize: 18 }}>{t('hall.console.none')}</p>
            )}
            <Space wrap className="hall-console-actions">
              <Button
                type="primary"
                size="large"
                disabled={!!current}
                loading={busy === 'call'}
                onClick={() => void next()}
                data-testid="call-next"
              >
                {t('hall.console.callNext')}
              </Button>
              <Button
                size="large"
                disabled={s !== 'called'}
                loading={busy === 'recall'}
                onClick={() => void step('recall')}
                data-testid="recall"
              >
                {t('hall.console.recall')}
              </Button>
              <Button
                size="large"
                disabled={s !== 'called'}
                loading={busy === 'skip'}
                onClick={() => void step('skip')}
                data-testid="skip"
                danger
              >
                {t('hall.console.skip')}
              </Button>
              <Button
                size="large"
                disabled={s !== 'called'}
                loading={busy === 'start'}
                onClick={() => void step('start')}
                data-testid="start"
              >
                {t('hall.console.start')}
              </Button>
              <Button
                size="large"
                type={s === 'serving' ? 'primary' : 'default'}
                disabled={s !== 'serving'}
                onClick={() => setDialog('finish')}
                data-testid="finish"
              >
                {t('hall.console.finish')}
              </Button>
              <Button
                size="large"
                disabled={!current}
                onClick={() => setDialog('transfer')}
                data-testid="transfer"
              >
                {t('hall.console.transfer')}
              </Button>
            </Space>
            {error && (
              <Alert
                type="error"
                showIcon
                title={error}
                role="alert"
                style={{ marginTop: 12 }}
                data-testid="hall-error"
              />
            )}
            {info && <Alert type="info" showIcon title={info} style={{ marginTop: 12 }} />}
          </Card>
        </Col>
        <Col xs={24} md={10}>
          <Card title={t('hall.console.waiting')} size="small">
            {waiting.map((g) => (
              <div
                key={g.groupId}
                style={{ fontSize: 18, marginBottom: 6 }}
                data-testid={`waiting-${g.prefix}`}
              >
                {g.prefix} · {groupName(g)}：{t('hall.console.waitingCount', { count: g.waiting })}
                {g.priorityWaiting > 0 && (
                  <Tag color="volcano" style={{ marginLeft: 8 }}>
                    {t('hall.console.priorityCount', { count: g.priorityWaiting })}
                  </Tag>
                )}
              </div>
            ))}
          </Card>
        </Col>
      </Row>
      <Card title={t('hall.console.handled')} size="small" style={{ marginTop: 16 }}>
        <Table
          rowKey="id"
          size="small"
          pagination={false}
          dataSource={handledToday}
          scroll={{ x: true }}
          columns={[
            { title: t('hall.console.number'), dataIndex: 'number' },
            { title: t('hall.setup.group'), render: (_, r) => groupName(r) },
            {
              title: t('hall.console.state'),
              render: (_, r) => <TicketStatusTag status={r.status} />,
            },
            {
              title: t('hall.console.application'),
              dataIndex: 'applicationNo',
              render: (v) => v ?? '—',
            },
          ]}
        />
      </Card>
      {dialog === 'finish' && current && (
        <FinishDialog
          ticket={current}
          onClose={(done) => {
            setDialog(undefined);
            if (done) void view.refetch();
          }}
        />
      )}
      {dialog === 'transfer' && current && (
        <TransferDialog
          ticket={current}
          groups={otherGroups.filter((g) => g.groupId !== current.groupId)}
          onClose={(done) => {
            setDialog(undefined);
            if (done) void view.refetch();
          }}
        />
      )}
    </>
  );
}

function FinishDialog({ ticket, onClose }: { ticket: Ticket; onClose: (done: boolean) => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm();
  const { run, busy, error } = useFormSubmit(form);
  const submit = async (v: { applicationNo?: string; note?: string }) => {
    const body = {
      ...(v.applicationNo?.trim() ? { applicationNo: v.applicationNo.trim() } : {}),
      ...(v.note?.trim() ? { note: v.note.trim() } : {}),
    };
    if (await run(() => api(`/hall/tickets/${ticket.id}/finish`, { body }))) onClose(true);
  };
  return (
    <Modal
      open
      title={t('hall.console.finishTitle', { number: ticket.number })}
      onCancel={() => onClose(false)}
      okText={t('hall.console.finish')}
      okButtonProps={{ loading: busy, 'data-testid': 'confirm-finish' } as never}
      onOk={() => form.submit()}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" onFinish={submit} requiredMark={false}>
        <Form.Item
          name="applicationNo"
          label={t('hall.console.applicationNo')}
          extra={t('hall.console.applicationHint')}
        >
          <Input autoComplete="off" spellCheck={false} data-testid="finish-application" />
        </Form.Item>
        <Form.Item name="note" label={t('hall.console.note')}>
          <Input maxLength={200} />
        </Form.Item>
      </Form>
      {error && (
        <Alert type="error" showIcon title={error} role="alert" data-testid="finish-error" />
      )}
    </Modal>
  );
}

function TransferDialog(props: {
  ticket: Ticket;
  groups: WindowConsole['otherGroups'];
  onClose: (done: boolean) => void;
}) {
  const { t } = useTranslation();
  const groupName = useGroupName();
  const [groupId, setGroupId] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const submit = async () => {
    if (!groupId) return;
    setBusy(true);
    setError(undefined);
    try {
      await api(`/hall/tickets/${props.ticket.id}/transfer`, { body: { groupId } });
      props.onClose(true);
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open
      title={t('hall.console.transferTitle', { number: props.ticket.number })}
      onCancel={() => props.onClose(false)}
      okText={t('hall.console.transfer')}
      okButtonProps={
        { loading: busy, disabled: !groupId, 'data-testid': 'confirm-transfer' } as never
      }
      onOk={() => void submit()}
      destroyOnHidden
    >
      <p>{t('hall.console.transferHint')}</p>
      <Select
        style={{ width: '100%' }}
        aria-label={t('hall.console.transferTo')}
        placeholder={t('hall.console.transferTo')}
        value={groupId}
        onChange={setGroupId}
        data-testid="transfer-group"
        options={props.groups.map((g) => ({
          value: g.groupId,
          label: `${g.prefix} · ${groupName(g)}（${t('hall.console.waitingCount', { count: g.waiting })}）`,
        }))}
      />
      {error && (
        <Alert type="error" showIcon title={error} role="alert" style={{ marginTop: 12 }} />
      )}
    </Modal>
  );
}
