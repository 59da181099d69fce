import type { Figures, StatsOverview } from '@yimen/core';
import { Card, Table, Typography } from 'antd';
import type { ColumnsType, ColumnType } from 'antd/es/table';
import { type ReactNode, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { usePrefs } from '../../app/prefs.tsx';
import {
  BAR_GRID,
  type BarSeries,
  barHeight,
  COLORS,
  horizontalBars,
  monthLines,
  ratingPie,
} from './charts.ts';
import { type ChartOption, EChart } from './EChart.tsx';

export const pct = (rate: number | null | undefined) =>
  rate === null || rate === undefined ? '—' : `${(rate * 100).toFixed(1)}%`;

/**
 * A section of the dashboard: a chart with its figures in a table under it (readable without
 * the chart, and in large type), or one quiet line when there is nothing to show.
 */
export function ChartSection<T extends object>(props: {
  id: string;
  title: string;
  extra?: ReactNode;
  /** Said instead of the chart and the table. */
  empty?: string;
  option: ChartOption;
  height: number;
  /**
   * A click in a bar's band opens its row. The box around the chart names the rows in bar
   * order and where the bands start and end, so a test can aim at one.
   */
  onRowClick?: (row: T) => void;
  rows: T[];
  rowKey: keyof T & string;
  columns: ColumnsType<T>;
}) {
  const { id, title, rows, rowKey, onRowClick } = props;
  const chart = (
    <EChart
      option={props.option}
      height={props.height}
      label={title}
      testId={`chart-${id}`}
      onCategoryClick={
        onRowClick &&
        ((i) => {
          const row = rows[i];
          if (row) onRowClick(row);
        })
      }
    />
  );
  return (
    <section aria-labelledby={`${id}-title`} data-testid={`section-${id}`}>
      <Card
        title={<span id={`${id}-title`}>{title}</span>}
        extra={props.extra}
        style={{ marginBottom: 16 }}
      >
        {props.empty ? (
          <Typography.Paragraph type="secondary" style={{ margin: 0 }} data-testid={`${id}-none`}>
            {props.empty}
          </Typography.Paragraph>
        ) : (
          <>
            {onRowClick ? (
              <div
                data-categories={JSON.stringify(rows.map((r) => r[rowKey]))}
                data-grid={`${BAR_GRID.top},${BAR_GRID.bottom}`}
                data-testid={`${id}-chart-box`}
              >
                {chart}
              </div>
            ) : (
              chart
            )}
            <div data-testid={`table-${id}`}>
              <Table
                rowKey={rowKey}
                size="small"
                pagination={false}
                scroll={{ x: true }}
                columns={props.columns}
                dataSource={rows}
              />
            </div>
          </>
        )}
      </Card>
    </section>
  );
}

/** A right-aligned column of one figure of the row, or of what `show` makes of the row. */
export function numberColumn<T>(
  key: string,
  title: string,
  show?: (row: T) => ReactNode,
): ColumnType<T> {
  return show
    ? { title, key, align: 'right', render: (_: unknown, row: T) => show(row) }
    : { title, key, dataIndex: key, align: 'right' };
}

type Counted = 'submitted' | 'accepted' | 'concluded';

/** One series per count, named as its column in the table. */
function countSeries(rows: Figures[], counts: Counted[], t: (k: string) => string): BarSeries[] {
  return counts.map((k) => ({
    name: t(`leader.col.${k}`),
    values: rows.map((r) => r[k]),
    color: COLORS[k],
  }));
}

function figureColumns<T extends Figures>(t: (k: string) => string): ColumnsType<T> {
  const counts = [
    'submitted',
    'accepted',
    'concluded',
    'approved',
    'denied',
    'refused',
    'withdrawn',
  ];
  return [
    ...counts.map((k) => numberColumn<T>(k, t(`leader.col.${k}`))),
    numberColumn<T>('onTimeRate', t('leader.col.onTimeRate'), (r) => pct(r.onTimeRate)),
    numberColumn<T>('satisfiedRate', t('leader.col.satisfiedRate'), (r) =>
      pct(r.ratings.satisfiedRate),
    ),
  ];
}

function openColumns<T extends Pick<StatsOverview, 'open' | 'followUps'>>(
  t: (k: string) => string,
): ColumnsType<T> {
  return [
    numberColumn<T>('running', t('leader.col.running'), (r) => r.open.running),
    numberColumn<T>('overdue', t('leader.col.overdue'), (r) => r.open.overdue),
    numberColumn<T>('followUps', t('leader.col.followUpsOpen'), (r) => r.followUps.open),
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
  const rows = data.byChild;
  const option = useMemo(
    () =>
      horizontalBars(
        rows.map((c) => c.name),
        countSeries(rows, ['submitted', 'concluded'], t),
        { elderly },
        elderly ? 120 : 96,
      ),
    [rows, elderly, t],
  );
  const lowest = data.region.level === 'township' || data.region.level === 'village';
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
    <ChartSection
      id="children"
      title={t('leader.children.title', { level })}
      extra={lowest ? undefined : <span>{t('leader.children.hint')}</span>}
      empty={
        lowest
          ? t('leader.children.lowest', { region: data.region.name })
          : rows.length === 0
            ? t('leader.children.empty')
            : undefined
      }
      option={option}
      height={barHeight(rows.length, { elderly })}
      onRowClick={(c) => onDrill(c.code)}
      rows={rows}
      rowKey="code"
      columns={columns}
    />
  );
}

type Item = StatsOverview['byItem'][number];

export function ItemsSection({ data }: { data: StatsOverview }) {
  const { t } = useTranslation();
  const { elderly } = usePrefs();
  const rows = data.byItem;
  const option = useMemo(
    () =>
      horizontalBars(
        rows.map((i) => i.name),
        countSeries(rows, ['submitted'], t),
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
    <ChartSection
      id="items"
      title={t('leader.items.title')}
      empty={rows.length === 0 ? t('leader.items.empty') : undefined}
      option={option}
      height={barHeight(rows.length, { elderly })}
      rows={rows}
      rowKey="itemCode"
      columns={columns}
    />
  );
}

type Month = StatsOverview['trend'][number];

export function TrendSection({ data }: { data: StatsOverview }) {
  const { t } = useTranslation();
  const { elderly } = usePrefs();
  const rows = data.trend;
  const option = useMemo(
    () =>
      monthLines(
        rows.map((m) => m.month),
        countSeries(rows, ['submitted', 'accepted', 'concluded'], t),
        { elderly },
      ),
    [rows, elderly, t],
  );
  const columns: ColumnsType<Month> = [
    { title: t('leader.col.month'), dataIndex: 'month', key: 'month', fixed: 'left' },
    ...figureColumns<Month>(t),
  ];
  return (
    <ChartSection
      id="trend"
      title={t('leader.trend.title')}
      empty={rows.length === 0 ? t('leader.trend.empty') : undefined}
      option={option}
      height={elderly ? 360 : 300}
      rows={rows}
      rowKey="month"
      columns={columns}
    />
  );
}

interface Slice {
  grade: string;
  name: string;
  value: number;
}

export function RatingsSection({ data }: { data: StatsOverview }) {
  const { t } = useTranslation();
  const { elderly } = usePrefs();
  const r = data.totals.ratings;
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
    <ChartSection<Slice>
      id="ratings"
      title={t('leader.ratings.title')}
      empty={r.count === 0 ? t('leader.ratings.empty') : undefined}
      option={option}
      height={elderly ? 360 : 300}
      rows={slices}
      rowKey="grade"
      columns={[
        { title: t('leader.ratings.grade'), dataIndex: 'name', key: 'name' },
        numberColumn('value', t('leader.ratings.count')),
        numberColumn('share', t('leader.ratings.share'), (s) => pct(s.value / r.count)),
      ]}
    />
  );
}
