import type { Figures, StatsOverview } from '@yimen/core';
import { Card, Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { type ReactNode, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { usePrefs } from '../../app/prefs.tsx';
import { BAR_GRID, barHeight, COLORS, horizontalBars, monthLines, ratingPie } from './charts.ts';
import { EChart } from './EChart.tsx';

export const pct = (rate: number | null | undefined) =>
  rate === null || rate === undefined ? '—' : `${(rate * 100).toFixed(1)}%`;

/** A chart with its figures in a table under it: readable without the chart, and in large type. */
export function ChartCard({
  id,
  title,
  extra,
  children,
}: {
  id: string;
  title: string;
  extra?: ReactNode;
  children: ReactNode;
}) {
  return (
    <section aria-labelledby={`${id}-title`} data-testid={`section-${id}`}>
      <Card
        title={<span id={`${id}-title`}>{title}</span>}
        extra={extra}
        style={{ marginBottom: 16 }}
      >
        {children}
      </Card>
    </section>
  );
}

const Empty = ({ text }: { text: string }) => (
  <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
    {text}
  </Typography.Paragraph>
);

function figureColumns<T extends Figures>(t: (k: string) => string): ColumnsType<T> {
  const num = (key: keyof Figures, title: string) => ({
    title,
    dataIndex: key as string,
    align: 'right' as const,
  });
  return [
    num('submitted', t('leader.col.submitted')),
    num('accepted', t('leader.col.accepted')),
    num('concluded', t('leader.col.concluded')),
    num('approved', t('leader.col.approved')),
    num('denied', t('leader.col.denied')),
    num('refused', t('leader.col.refused')),
    num('withdrawn', t('leader.col.withdrawn')),
    {
      title: t('leader.col.onTimeRate'),
      key: 'onTimeRate',
      align: 'right',
      render: (_: unknown, r: T) => pct(r.onTimeRate),
    },
    {
      title: t('leader.col.satisfiedRate'),
      key: 'satisfiedRate',
      align: 'right',
      render: (_: unknown, r: T) => pct(r.ratings.satisfiedRate),
    },
  ];
}

type Child = StatsOverview['byChild'][number];

/** Cases by the next level down; a click on a bar or a name drills into it. */
export function ChildrenSection({
  data,
  linkTo,
  onDrill,
}: {
  data: StatsOverview;
  linkTo: (code: string) => string;
  onDrill: (code: string) => void;
}) {
  const { t } = useTranslation();
  const { elderly } = usePrefs();
  const level = t(`leader.level.${data.region.level}`);
  const title = t('leader.children.title', { level });
  const rows = data.byChild;
  const option = useMemo(
    () =>
      horizontalBars(
        rows.map((c) => c.name),
        [
          {
            name: t('leader.col.submitted'),
            values: rows.map((c) => c.submitted),
            color: COLORS.submitted,
          },
          {
            name: t('leader.col.concluded'),
            values: rows.map((c) => c.concluded),
            color: COLORS.concluded,
          },
        ],
        { elderly },
        elderly ? 120 : 96,
      ),
    [rows, elderly, t],
  );
  if (data.region.level === 'township' || data.region.level === 'village')
    return (
      <ChartCard id="children" title={t('leader.children.title', { level })}>
        <Empty text={t('leader.children.lowest', { region: data.region.name })} />
      </ChartCard>
    );
  const columns: ColumnsType<Child> = [
    {
      title: t('leader.col.region'),
      key: 'name',
      fixed: 'left',
      render: (_, c) => (
        <Link to={linkTo(c.code)} data-testid={`drill-${c.code}`}>
          {c.name}
        </Link>
      ),
    },
    ...figureColumns<Child>(t),
    ...openColumns<Child>(t),
  ];
  return (
    <ChartCard id="children" title={title} extra={<span>{t('leader.children.hint')}</span>}>
      {rows.length === 0 ? (
        <Empty text={t('leader.children.empty')} />
      ) : (
        <>
          <div
            data-categories={JSON.stringify(rows.map((c) => c.code))}
            data-grid={`${BAR_GRID.top},${BAR_GRID.bottom}`}
            data-testid="children-chart-box"
          >
            <EChart
              option={option}
              height={barHeight(rows.length, { elderly })}
              label={title}
              testId="chart-children"
              onCategoryClick={(i) => {
                const c = rows[i];
                if (c) onDrill(c.code);
              }}
            />
          </div>
          <div data-testid="table-children">
            {' '}
            <Table
              rowKey="code"
              size="small"
              pagination={false}
              scroll={{ x: true }}
              columns={columns}
              dataSource={rows}
            />{' '}
          </div>
        </>
      )}
    </ChartCard>
  );
}

function openColumns<T extends Pick<StatsOverview, 'open' | 'followUps'>>(
  t: (k: string) => string,
): ColumnsType<T> {
  return [
    {
      title: t('leader.col.running'),
      key: 'running',
      align: 'right',
      render: (_: unknown, r: T) => r.open.running,
    },
    {
      title: t('leader.col.overdue'),
      key: 'overdue',
      align: 'right',
      render: (_: unknown, r: T) => r.open.overdue,
    },
    {
      title: t('leader.col.followUpsOpen'),
      key: 'followUps',
      align: 'right',
      render: (_: unknown, r: T) => r.followUps.open,
    },
  ];
}

type Item = StatsOverview['byItem'][number];

export function ItemsSection({ data }: { data: StatsOverview }) {
  const { t } = useTranslation();
  const { elderly } = usePrefs();
  const rows = data.byItem;
  const title = t('leader.items.title');
  const option = useMemo(
    () =>
      horizontalBars(
        rows.map((i) => i.name),
        [
          {
            name: t('leader.col.submitted'),
            values: rows.map((i) => i.submitted),
            color: COLORS.submitted,
          },
        ],
        { elderly },
        elderly ? 220 : 180,
      ),
    [rows, elderly, t],
  );
  const columns: ColumnsType<Item> = [
    { title: t('leader.col.item'), dataIndex: 'name', key: 'name', fixed: 'left' },
    ...figureColumns<Item>(t),
  ];
  return (
    <ChartCard id="items" title={title}>
      {rows.length === 0 ? (
        <Empty text={t('leader.items.empty')} />
      ) : (
        <>
          <EChart
            option={option}
            height={barHeight(rows.length, { elderly })}
            label={title}
            testId="chart-items"
          />
          <div data-testid="table-items">
            {' '}
            <Table
              rowKey="itemCode"
              size="small"
              pagination={false}
              scroll={{ x: true }}
              columns={columns}
              dataSource={rows}
            />{' '}
          </div>
        </>
      )}
    </ChartCard>
  );
}

type Month = StatsOverview['trend'][number];

export function TrendSection({ data }: { data: StatsOverview }) {
  const { t } = useTranslation();
  const { elderly } = usePrefs();
  const rows = data.trend;
  const title = t('leader.trend.title');
  const option = useMemo(
    () =>
      monthLines(
        rows.map((m) => m.month),
        [
          {
            name: t('leader.col.submitted'),
            values: rows.map((m) => m.submitted),
            color: COLORS.submitted,
          },
          {
            name: t('leader.col.accepted'),
            values: rows.map((m) => m.accepted),
            color: COLORS.accepted,
          },
          {
            name: t('leader.col.concluded'),
            values: rows.map((m) => m.concluded),
            color: COLORS.concluded,
          },
        ],
        { elderly },
      ),
    [rows, elderly, t],
  );
  const columns: ColumnsType<Month> = [
    { title: t('leader.col.month'), dataIndex: 'month', key: 'month', fixed: 'left' },
    ...figureColumns<Month>(t),
  ];
  return (
    <ChartCard id="trend" title={title}>
      {rows.length === 0 ? (
        <Empty text={t('leader.trend.empty')} />
      ) : (
        <>
          <EChart option={option} height={elderly ? 360 : 300} label={title} testId="chart-trend" />
          <div data-testid="table-trend">
            {' '}
            <Table
              rowKey="month"
              size="small"
              pagination={false}
              scroll={{ x: true }}
              columns={columns}
              dataSource={rows}
            />{' '}
          </div>
        </>
      )}
    </ChartCard>
  );
}

export function RatingsSection({ data }: { data: StatsOverview }) {
  const { t } = useTranslation();
  const { elderly } = usePrefs();
  const r = data.totals.ratings;
  const title = t('leader.ratings.title');
  const slices = useMemo(
    () =>
      ['5', '4', '3', '2', '1'].map((g) => ({
        grade: g,
        name: t(`leader.ratings.grade${g}`),
        value: r.distribution[g] ?? 0,
      })),
    [r, t],
  );
  const option = useMemo(() => ratingPie(slices, { elderly }), [slices, elderly]);
  return (
    <ChartCard id="ratings" title={title}>
      {r.count === 0 ? (
        <Empty text={t('leader.ratings.empty')} />
      ) : (
        <>
          <EChart
            option={option}
            height={elderly ? 360 : 300}
            label={title}
            testId="chart-ratings"
          />
          <div data-testid="table-ratings">
            {' '}
            <Table
              rowKey="grade"
              size="small"
              pagination={false}
              columns={[
                { title: t('leader.ratings.grade'), dataIndex: 'name', key: 'name' },
                {
                  title: t('leader.ratings.count'),
                  dataIndex: 'value',
                  key: 'value',
                  align: 'right',
                },
                {
                  title: t('leader.ratings.share'),
                  key: 'share',
                  align: 'right',
                  render: (_: unknown, s: { value: number }) => pct(s.value / r.count),
                },
              ]}
              dataSource={slices}
            />{' '}
          </div>
        </>
      )}
    </ChartCard>
  );
}
