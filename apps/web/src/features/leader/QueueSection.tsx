import type { QueueStats } from '@yimen/core';
import type { ColumnsType } from 'antd/es/table';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi } from '../../api/hooks.ts';
import { usePrefs } from '../../app/prefs.tsx';
import { barHeight, COLORS, horizontalBars } from './charts.ts';
import { ChartSection, numberColumn } from './Sections.tsx';

const minutes = (sec: number | null) => (sec === null ? null : Math.round(sec / 6) / 10);
const shown = (v: number | null) => (v === null ? '—' : v);

type Row = QueueStats['byChild'][number];

/**
 * Waiting at the service halls (取号), by the next level down. The hall queue answers
 * GET /stats/queue; until it does, or when no ticket was taken, a quiet line says so.
 */
export function QueueSection({ query }: { query: string }) {
  const { t } = useTranslation();
  const { elderly } = usePrefs();
  const q = useApi<QueueStats>(`/stats/queue?${query}`);
  // Anything but a queue answer (no such endpoint yet, an error) reads as "no figures".
  const data =
    !q.error &&
    q.data &&
    typeof q.data === 'object' &&
    q.data.totals &&
    Array.isArray(q.data.byChild)
      ? q.data
      : undefined;
  const rows: Row[] = useMemo(() => {
    if (!data) return [];
    const children = data.byChild.filter((c) => c.tickets > 0);
    return children.length ? children : [{ ...data.totals, ...data.region }];
  }, [data]);
  const option = useMemo(
    () =>
      horizontalBars(
        rows.map((r) => r.name),
        [
          {
            name: t('leader.queue.waitMedian'),
            values: rows.map((r) => minutes(r.waitMedianSec) ?? 0),
            color: COLORS.waitMedian,
          },
          {
            name: t('leader.queue.waitP90'),
            values: rows.map((r) => minutes(r.waitP90Sec) ?? 0),
            color: COLORS.waitP90,
          },
        ],
        { elderly },
        elderly ? 120 : 96,
      ),
    [rows, elderly, t],
  );
  const columns: ColumnsType<Row> = [
    { title: t('leader.col.region'), dataIndex: 'name', key: 'name', fixed: 'left' },
    ...(['tickets', 'served', 'noShow'] as const).map((k) =>
      numberColumn<Row>(k, t(`leader.queue.${k}`)),
    ),
    ...(['waitMedian', 'waitP90', 'serveMedian'] as const).map((k) =>
      numberColumn<Row>(k, t(`leader.queue.${k}`), (r) => shown(minutes(r[`${k}Sec`]))),
    ),
  ];
  return (
    <ChartSection
      id="queue"
      title={t('leader.queue.title')}
      empty={
        !data || data.totals.tickets === 0
          ? q.isLoading
            ? '…'
            : t('leader.queue.none')
          : undefined
      }
      option={option}
      height={barHeight(rows.length, { elderly })}
      rows={rows}
      rowKey="code"
      columns={columns}
    />
  );
}
