import { SafetyCertificateOutlined } from '@ant-design/icons';
import type { AuditPage as AuditLogPage, AuditVerifyResult } from '@yimen/core';
import {
  Alert,
  Button,
  Col,
  Descriptions,
  Form,
  Input,
  Row,
  Select,
  Space,
  Table,
  Tag,
  Tooltip,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { ApiError, api } from '../../api/client.ts';
import { useApi } from '../../api/hooks.ts';
import { ApiAlert, fmtTime, JsonBlock, Pager, useAdmin, useCursorPages } from './shared.tsx';

const FILTERS = [
  'actorName',
  'action',
  'targetType',
  'targetId',
  'applicationNo',
  'outcome',
  'from',
  'to',
] as const;
const TARGET_TYPES = [
  'application',
  'user',
  'resident',
  'catalogItem',
  'certificate',
  'outbox',
  'departmentSystem',
  'webhook',
  'session',
];

/** The chain check: every row's hash recomputed; the first broken row of each chain shown. */
function VerifyButton() {
  const { t } = useTranslation();
  const admin = useAdmin();
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<AuditVerifyResult>();
  const [error, setError] = useState<ApiError>();
  const run = async () => {
    setBusy(true);
    setError(undefined);
    setResult(undefined);
    try {
      setResult(await api<AuditVerifyResult>('/audit/verify'));
    } catch (e) {
      if (e instanceof ApiError) setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div>
      <Tooltip title={admin.system ? undefined : t('admin.audit.verifySystemOnly')}>
        <Button
          icon={<SafetyCertificateOutlined />}
          onClick={run}
          loading={busy}
          disabled={!admin.system}
          data-testid="verify-chain"
        >
          {t('admin.audit.verify')}
        </Button>
      </Tooltip>
      <ApiAlert error={error} style={{ marginTop: 12 }} />
      {result && (
        <Alert
          style={{ marginTop: 12 }}
          type={result.ok ? 'success' : 'error'}
          showIcon
          role="status"
          data-testid="verify-result"
          title={
            result.ok
              ? t('admin.audit.verifyOk', { chains: result.chains, rows: result.rows })
              : t('admin.audit.verifyBroken', { count: result.brokenChains })
          }
          description={
            result.broken.length ? (
              <ul style={{ margin: 0, paddingLeft: 18 }}>
                {result.broken.map((b) => (
                  <li key={`${b.chain}:${b.seq}`}>
                    <code>{b.chain}</code> #{b.seq} · {b.reason} · {b.action ?? '—'} ·{' '}
                    {fmtTime(b.occurredAt)} · {b.detail}
                  </li>
                ))}
              </ul>
            ) : undefined
          }
        />
      )}
    </div>
  );
}

/** 审计日志: who did what to what, when and from where, within the admin's jurisdiction. */
export default function AuditPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const pages = useCursorPages();
  const [form] = Form.useForm();
  const qs = new URLSearchParams({ limit: '30' });
  for (const k of FILTERS) {
    const v = params.get(k);
    if (v) qs.set(k, v);
  }
  if (!qs.has('action')) qs.set('action', '*');
  if (pages.cursor) qs.set('cursor', pages.cursor);
  const list = useApi<AuditLogPage>(`/audit?${qs}`);
  const apply = (v: Record<string, string | undefined>) => {
    const next = new URLSearchParams();
    for (const k of FILTERS) {
      const value = v[k]?.trim();
      if (value) next.set(k, value);
    }
    setParams(next);
    pages.reset();
  };
  const initial = Object.fromEntries(FILTERS.map((k) => [k, params.get(k) ?? undefined]));

  return (
    <div>
      <h1 style={{ fontSize: '1.3em', marginTop: 0 }}>{t('admin.audit.title')}</h1>
      <div style={{ marginBottom: 16 }}>
        <VerifyButton />
      </div>
      <Form
        form={form}
        layout="vertical"
        initialValues={initial}
        onFinish={apply}
        data-testid="audit-filters"
      >
        <Row gutter={12}>
          <Col xs={24} sm={12} md={6}>
            <Form.Item name="actorName" label={t('admin.audit.actor')}>
              <Input placeholder="agent.jinshan" spellCheck={false} allowClear />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12} md={6}>
            <Form.Item
              name="action"
              label={t('admin.audit.action')}
              extra={t('admin.audit.actionHelp')}
            >
              <Input placeholder="application.*" spellCheck={false} allowClear />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12} md={6}>
            <Form.Item name="targetType" label={t('admin.audit.entity')}>
              <Select
                allowClear
                options={TARGET_TYPES.map((v) => ({
                  value: v,
                  label: t(`admin.audit.entities.${v}`),
                }))}
              />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12} md={6}>
            <Form.Item name="targetId" label={t('admin.audit.entityId')}>
              <Input spellCheck={false} allowClear />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12} md={6}>
            <Form.Item name="applicationNo" label={t('admin.audit.applicationNo')}>
              <Input spellCheck={false} allowClear />
            </Form.Item>
          </Col>
          <Col xs={12} md={5}>
            <Form.Item name="from" label={t('admin.audit.from')}>
              <Input type="date" />
            </Form.Item>
          </Col>
          <Col xs={12} md={5}>
            <Form.Item name="to" label={t('admin.audit.to')} extra={t('admin.audit.toHelp')}>
              <Input type="date" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12} md={4}>
            <Form.Item name="outcome" label={t('admin.audit.outcome')}>
              <Select
                allowClear
                options={['success', 'denied', 'failed'].map((v) => ({
                  value: v,
                  label: t(`admin.audit.outcomes.${v}`),
                }))}
              />
            </Form.Item>
          </Col>
          <Col xs={24} md={4}>
            <Form.Item label=" ">
              <Space>
                <Button type="primary" htmlType="submit" data-testid="audit-apply">
                  {t('admin.common.search')}
                </Button>
                <Button
                  onClick={() => {
                    form.setFieldsValue(Object.fromEntries(FILTERS.map((k) => [k, undefined])));
                    apply({});
                  }}
                >
                  {t('admin.common.clear')}
                </Button>
              </Space>
            </Form.Item>
          </Col>
        </Row>
      </Form>
      <ApiAlert error={list.error} />
      <Table
        rowKey="id"
        size="small"
        loading={list.isFetching}
        dataSource={list.data?.items ?? []}
        pagination={false}
        scroll={{ x: 820 }}
        data-testid="audit-table"
        expandable={{
          expandedRowRender: (r) => (
            <div>
              <Descriptions
                size="small"
                column={{ xs: 1, sm: 2 }}
                items={[
                  {
                    key: 'req',
                    label: t('admin.audit.requestId'),
                    children: <code>{r.requestId ?? '—'}</code>,
                  },
                  { key: 'ip', label: 'IP', children: r.ip ?? '—' },
                  {
                    key: 'chain',
                    label: t('admin.audit.chain'),
                    children: <code>{`${r.chain} #${r.seq}`}</code>,
                  },
                  {
                    key: 'hash',
                    label: t('admin.audit.hash'),
                    children: <code style={{ fontSize: 11 }}>{r.hash}</code>,
                  },
                ]}
              />
              <div
                style={{
                  display: 'grid',
                  gap: 8,
                  gridTemplateColumns: 'repeat(auto-fit, minmax(260px, 1fr))',
                }}
              >
                <div>
                  <strong>{t('admin.audit.before')}</strong>
                  <JsonBlock value={r.before} label={t('admin.audit.before')} />
                </div>
                <div>
                  <strong>{t('admin.audit.after')}</strong>
                  <JsonBlock value={r.after} label={t('admin.audit.after')} />
                </div>
              </div>
            </div>
          ),
        }}
        columns={[
          {
            title: t('admin.audit.when'),
            key: 'at',
            render: (_, r) => fmtTime(r.occurredAt),
            width: 160,
          },
          {
            title: t('admin.audit.actor'),
            key: 'actor',
            render: (_, r) => (
              <div>
                <div>{r.actor.name ?? t('admin.audit.anonymous')}</div>
                <div style={{ fontSize: 12, color: '#555' }}>
                  {[r.actor.roles.join(','), r.actor.servicePoint].filter(Boolean).join(' · ')}
                </div>
              </div>
            ),
          },
          {
            title: t('admin.audit.action'),
            key: 'action',
            render: (_, r) => <code>{r.action}</code>,
          },
          {
            title: t('admin.audit.entity'),
            key: 'target',
            render: (_, r) =>
              r.target.type ? (
                <span>
                  {t(`admin.audit.entities.${r.target.type}`, { defaultValue: r.target.type })}{' '}
                  <code style={{ fontSize: 11 }}>{r.target.id}</code>
                </span>
              ) : (
                '—'
              ),
          },
          { title: t('admin.sp.region'), key: 'region', render: (_, r) => r.regionCode ?? '—' },
          {
            title: t('admin.audit.outcome'),
            key: 'outcome',
            render: (_, r) => (
              <Tag
                color={
                  r.outcome === 'success' ? 'green' : r.outcome === 'denied' ? 'orange' : 'red'
                }
              >
                {t(`admin.audit.outcomes.${r.outcome}`)}
              </Tag>
            ),
          },
        ]}
      />
      <Pager
        index={pages.index}
        nextCursor={list.data?.nextCursor}
        onPrev={pages.prev}
        onNext={pages.next}
      />
    </div>
  );
}
