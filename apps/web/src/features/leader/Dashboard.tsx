import { DownloadOutlined, ReloadOutlined } from '@ant-design/icons';
import type { StatsOverview } from '@yimen/core';
import {
  Alert,
  Breadcrumb,
  Button,
  Card,
  Col,
  Input,
  Row,
  Select,
  Space,
  Spin,
  Statistic,
  Typography,
} from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { apiUrl } from '../../api/client.ts';
import { useApi } from '../../api/hooks.ts';
import { usePrefs } from '../../app/prefs.tsx';
import { QueueSection } from './QueueSection.tsx';
import { ChildrenSection, ItemsSection, pct, RatingsSection, TrendSection } from './Sections.tsx';

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

function Kpi({
  id,
  title,
  value,
  hint,
  alert,
}: {
  id: string;
  title: string;
  value: number | string;
  hint?: string;
  alert?: boolean;
}) {
  return (
    <Col xs={12} sm={8} lg={6} data-testid={`kpi-${id}`}>
      <Card size="small" style={{ height: '100%' }}>
        <Statistic
          title={title}
          value={value}
          styles={alert ? { content: { color: '#b91c1c' } } : undefined}
        />
        {hint && (
          <Typography.Text type="secondary" style={{ fontSize: '0.85em' }}>
            {hint}
          </Typography.Text>
        )}
      </Card>
    </Col>
  );
}

function Field({ id, label, children }: { id: string; label: string; children: ReactNode }) {
  return (
    <div>
      <label htmlFor={id} style={{ display: 'block' }}>
        {label}
      </label>
      {children}
    </div>
  );
}

function Kpis({ data }: { data: StatsOverview }) {
  const { t } = useTranslation();
  const f = data.totals;
  return (
    <Row gutter={[12, 12]} style={{ marginBottom: 16 }}>
      <Kpi id="submitted" title={t('leader.kpi.submitted')} value={f.submitted} />
      <Kpi id="concluded" title={t('leader.kpi.concluded')} value={f.concluded} />
      <Kpi
        id="onTimeRate"
        title={t('leader.kpi.onTimeRate')}
        value={pct(f.onTimeRate)}
        hint={t('leader.kpi.onTimeHint', { onTime: f.onTime, late: f.late })}
      />
      <Kpi
        id="satisfiedRate"
        title={t('leader.kpi.satisfiedRate')}
        value={pct(f.ratings.satisfiedRate)}
        hint={
          f.ratings.count
            ? t('leader.kpi.satisfiedHint', {
                count: f.ratings.count,
                average: f.ratings.average ?? '—',
              })
            : t('leader.kpi.noRatings')
        }
      />
      <Kpi id="running" title={t('leader.kpi.running')} value={data.open.running} />
      <Kpi
        id="overdue"
        title={t('leader.kpi.overdue')}
        value={data.open.overdue}
        alert={data.open.overdue > 0}
      />
      <Kpi id="followUpsOpen" title={t('leader.kpi.followUpsOpen')} value={data.followUps.open} />
      <Kpi
        id="followUpsOverdue"
        title={t('leader.kpi.followUpsOverdue')}
        value={data.followUps.overdue}
        alert={data.followUps.overdue > 0}
      />
    </Row>
  );
}

/**
 * 数据看板: the figures of one region over a span of months. The region and the months live
 * in the URL (?region=…&from=…&to=…), so a drill-down is a link: shared, bookmarked, and
 * undone by the back button.
 */
export default function Dashboard() {
  const { t } = useTranslation();
  const { elderly } = usePrefs();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const query = new URLSearchParams();
  for (const k of ['region', 'from', 'to']) {
    const v = params.get(k);
    if (v) query.set(k, v);
  }
  const o = useApi<StatsOverview>(`/stats/overview?${query}`);
  const data = o.data;

  const href = (change: Record<string, string>) => {
    const next = new URLSearchParams(query);
    for (const [k, v] of Object.entries(change)) next.set(k, v);
    return `?${next}`;
  };
  const drill = (code: string) => navigate(href({ region: code }));
  const setMonths = (from: string, to: string) => {
    if (MONTH.test(from) && MONTH.test(to) && from <= to) navigate(href({ from, to }));
  };

  if (!data)
    return o.error ? (
      <Alert type="error" showIcon title={t('leader.loadFailed')} description={o.error.message} />
    ) : (
      <div style={{ padding: 48, textAlign: 'center' }}>
        <Spin size="large" />
      </div>
    );

  const exact = new URLSearchParams({ region: data.region.code, from: data.from, to: data.to });
  return (
    <div data-testid="leader-dashboard" aria-busy={o.isFetching}>
      <div data-testid="leader-breadcrumb">
        <Breadcrumb
          aria-label={t('leader.breadcrumb')}
          items={data.path.map((p, i) => ({
            key: p.code,
            title:
              i === data.path.length - 1 ? (
                <span aria-current="page">{p.name}</span>
              ) : (
                <Link to={href({ region: p.code })}>{p.name}</Link>
              ),
          }))}
        />
      </div>
      <Typography.Title level={2} style={{ marginTop: 8 }} data-testid="leader-region">
        {t('leader.heading', { region: data.region.name })}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t('leader.intro')}</Typography.Paragraph>

      <Space wrap style={{ marginBottom: 16 }} align="end">
        <Field id="leader-from" label={t('leader.from')}>
          <Input
            id="leader-from"
            type="month"
            value={data.from}
            max={data.to}
            onChange={(e) => setMonths(e.target.value, data.to)}
            data-testid="month-from"
          />
        </Field>
        <Field id="leader-to" label={t('leader.to')}>
          <Input
            id="leader-to"
            type="month"
            value={data.to}
            min={data.from}
            onChange={(e) => setMonths(data.from, e.target.value)}
            data-testid="month-to"
          />
        </Field>
        {data.byChild.length > 0 && (
          <Field id="leader-go-to" label={t('leader.goTo')}>
            <Select
              id="leader-go-to"
              style={{ minWidth: 180 }}
              placeholder={t('leader.goToPlaceholder')}
              options={data.byChild.map((c) => ({ value: c.code, label: c.name }))}
              onChange={(code: string) => drill(code)}
              value={null}
            />
          </Field>
        )}
        <Button
          icon={<DownloadOutlined />}
          href={apiUrl(`/stats/overview.csv?${exact}`)}
          download
          data-testid="export-csv"
        >
          {t('leader.exportCsv')}
        </Button>
        <Button icon={<ReloadOutlined />} onClick={() => void o.refetch()} loading={o.isFetching}>
          {t('leader.refresh')}
        </Button>
      </Space>
      {o.error && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 16 }}
          title={t('leader.loadFailed')}
          description={o.error.message}
        />
      )}

      <Kpis data={data} />
      <ChildrenSection data={data} linkTo={(code) => href({ region: code })} onDrill={drill} />
      <Row gutter={16}>
        <Col xs={24} lg={elderly ? 24 : 14}>
          <TrendSection data={data} />
        </Col>
        <Col xs={24} lg={elderly ? 24 : 10}>
          <RatingsSection data={data} />
        </Col>
      </Row>
      <ItemsSection data={data} />
      <QueueSection query={exact.toString()} />
    </div>
  );
}
