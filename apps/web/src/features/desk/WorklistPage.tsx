import type { ApplicationPage, ApplicationSummary } from '@yimen/core';
import { Alert, Button, Space, Table, Tabs } from 'antd';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { ApiError, api, newIdempotencyKey } from '../../api/client.ts';
import { useApi } from '../../api/hooks.ts';
import { hasRole, useAuth } from '../../app/auth.tsx';
import { DueLight, StatusTag } from '../cases/CaseParts.tsx';

const BOXES = [
  'to_accept',
  'to_review',
  'to_decide',
  'to_issue',
  'to_hand_over',
  'due_soon',
  'overdue',
  'in_progress',
  'done',
];
/** Batch actions where every case needs nothing but a yes: accepting, issuing approved results. */
const BATCH: Record<string, string> = { to_accept: 'accept', to_issue: 'issue' };
const PAGE = 20;

/** 工作台: the service point's cases box by box, due-date lights first. */
export default function WorklistPage() {
  const { t } = useTranslation();
  const { me } = useAuth();
  const [params, setParams] = useSearchParams();
  const fallback = hasRole(me, 'township_approver') ? 'to_decide' : 'to_accept';
  const box = params.get('box') ?? fallback;
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const [pageIndex, setPageIndex] = useState(0);
  const cursor = cursors[pageIndex];
  const qs = new URLSearchParams({ box, limit: String(PAGE) });
  if (cursor) qs.set('cursor', cursor);
  const list = useApi<ApplicationPage>(`/worklist?${qs}`);
  const [selected, setSelected] = useState<string[]>([]);
  const [batchBusy, setBatchBusy] = useState(false);
  const [batchResult, setBatchResult] = useState<{ ok: number; failed: string[] }>();
  const keys = useRef(new Map<string, string>());
  const batchAction = BATCH[box];

  const choose = (b: string) => {
    setParams({ box: b });
    setCursors([undefined]);
    setPageIndex(0);
    setSelected([]);
    setBatchResult(undefined);
  };
  const runBatch = async () => {
    if (!batchAction || !list.data) return;
    setBatchBusy(true);
    const failed: string[] = [];
    let ok = 0;
    for (const row of list.data.items.filter((r) => selected.includes(r.id))) {
      // The same case, action and version always goes with the same key: a retried batch
      // never acts twice on a case.
      const k = `${row.id}:${batchAction}:${row.version}`;
      if (!keys.current.has(k)) keys.current.set(k, newIdempotencyKey());
      try {
        await api(`/applications/${row.id}/actions/${batchAction}`, {
          body: { version: row.version },
          idempotencyKey: keys.current.get(k),
        });
        ok++;
      } catch (e) {
        failed.push(`${row.applicationNo}: ${e instanceof ApiError ? e.message : String(e)}`);
      }
    }
    setBatchResult({ ok, failed });
    setSelected([]);
    setBatchBusy(false);
    void list.refetch();
  };
  return (
    <div>
      <h1 style={{ fontSize: '1.3em' }}>
        {t('desk.title')} · {me?.servicePoint?.name}
      </h1>
      <Tabs
        activeKey={box}
        onChange={choose}
        items={BOXES.map((b) => ({ key: b, label: t(`box.${b}`) }))}
      />
      {batchAction && (
        <Space style={{ marginBottom: 12 }} wrap>
          <Button
            type="primary"
            disabled={!selected.length}
            loading={batchBusy}
            onClick={runBatch}
            data-testid="batch-action"
          >
            {t('desk.batch', { action: t(`actions.${batchAction}`), n: selected.length })}
          </Button>
        </Space>
      )}
      {batchResult && (
        <Alert
          style={{ marginBottom: 12 }}
          type={batchResult.failed.length ? 'warning' : 'success'}
          showIcon
          title={t('desk.batchDone', { ok: batchResult.ok, failed: batchResult.failed.length })}
          description={batchResult.failed.join('；') || undefined}
        />
      )}
      {list.error && <Alert type="error" showIcon title={list.error.message} />}
      <Table<ApplicationSummary>
        rowKey="id"
        size="small"
        loading={list.isFetching}
        dataSource={list.data?.items ?? []}
        pagination={false}
        scroll={{ x: 720 }}
        rowSelection={
          batchAction
            ? { selectedRowKeys: selected, onChange: (k) => setSelected(k as string[]) }
            : undefined
        }
        columns={[
          {
            title: t('case.dueDate'),
            key: 'due',
            render: (_, r) => (
              <DueLight light={r.light} due={r.dueDate} estimate={r.dueIsEstimate} />
            ),
          },
          {
            title: t('case.no'),
            dataIndex: 'applicationNo',
            render: (v: string, r) => (
              <Link to={`/desk/cases/${r.id}`} data-testid="worklist-case">
                {v}
              </Link>
            ),
          },
          { title: t('case.item'), dataIndex: 'itemName' },
          { title: t('case.applicant'), dataIndex: 'applicantName' },
          { title: t('case.status'), key: 'status', render: (_, r) => <StatusTag c={r} /> },
          { title: t('case.received'), key: 'recv', render: (_, r) => r.received.name },
        ]}
      />
      <Space style={{ marginTop: 12 }}>
        <Button disabled={pageIndex === 0} onClick={() => setPageIndex((i) => i - 1)}>
          {t('common.prev')}
        </Button>
        <Button
          disabled={!list.data?.nextCursor}
          onClick={() => {
            const next = list.data?.nextCursor ?? undefined;
            setCursors((c) => [...c.slice(0, pageIndex + 1), next]);
            setPageIndex((i) => i + 1);
          }}
        >
          {t('common.next')}
        </Button>
      </Space>
    </div>
  );
}
