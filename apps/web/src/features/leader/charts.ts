import { CHART_FONT, type ChartOption } from './EChart.tsx';

/** The ECharts options of the leader's charts, from the figures; the tables show the same. */

export interface ChartLook {
  /** 适老化: larger type on the charts too. */
  elderly: boolean;
}

const fontSize = (look: ChartLook) => (look.elderly ? 16 : 12);
const BAND = { normal: 30, elderly: 40 };
/** Space above and below the plot of a horizontal bar chart (the legend sits on top). */
export const BAR_GRID = { top: 40, bottom: 28 };

export function barHeight(rows: number, look: ChartLook): number {
  const band = look.elderly ? BAND.elderly : BAND.normal;
  return BAR_GRID.top + BAR_GRID.bottom + Math.max(rows, 2) * band;
}

const base = (look: ChartLook): ChartOption => ({
  textStyle: { fontFamily: CHART_FONT, fontSize: fontSize(look) },
  tooltip: { trigger: 'axis', textStyle: { fontFamily: CHART_FONT, fontSize: fontSize(look) } },
  legend: { top: 4, textStyle: { fontSize: fontSize(look) } },
  animation: false,
});

export interface BarSeries {
  name: string;
  values: number[];
  color: string;
}

/**
 * Horizontal bars, one band per category in the order given (top to bottom, as the table
 * under it), so a long Chinese name reads without turning the head.
 */
export function horizontalBars(
  categories: string[],
  series: BarSeries[],
  look: ChartLook,
  labelWidth: number,
): ChartOption {
  return {
    ...base(look),
    grid: { ...BAR_GRID, left: labelWidth + 16, right: 40 },
    xAxis: { type: 'value', minInterval: 1, axisLabel: { fontSize: fontSize(look) } },
    yAxis: {
      type: 'category',
      inverse: true,
      data: categories,
      axisLabel: { width: labelWidth, overflow: 'truncate', fontSize: fontSize(look) },
    },
    series: series.map((s) => ({
      type: 'bar',
      name: s.name,
      data: s.values,
      itemStyle: { color: s.color },
      label: { show: true, position: 'right', fontSize: fontSize(look) },
      barMaxWidth: 18,
    })),
  };
}

export function monthLines(months: string[], series: BarSeries[], look: ChartLook): ChartOption {
  return {
    ...base(look),
    grid: { top: 40, bottom: 28, left: 48, right: 24 },
    xAxis: { type: 'category', data: months, axisLabel: { fontSize: fontSize(look) } },
    yAxis: { type: 'value', minInterval: 1, axisLabel: { fontSize: fontSize(look) } },
    series: series.map((s) => ({
      type: 'line',
      name: s.name,
      data: s.values,
      itemStyle: { color: s.color },
      lineStyle: { color: s.color, width: look.elderly ? 3 : 2 },
      symbolSize: look.elderly ? 10 : 6,
    })),
  };
}

export const GRADE_COLORS: Record<string, string> = {
  5: '#15803d',
  4: '#65a30d',
  3: '#ca8a04',
  2: '#ea580c',
  1: '#b91c1c',
};

/** The grades given, as a ring; grades nobody gave are left out (the table lists them). */
export function ratingPie(
  slices: { grade: string; name: string; value: number }[],
  look: ChartLook,
): ChartOption {
  return {
    ...base(look),
    tooltip: { trigger: 'item', textStyle: { fontFamily: CHART_FONT, fontSize: fontSize(look) } },
    legend: { show: false },
    series: [
      {
        type: 'pie',
        radius: ['32%', '54%'],
        center: ['50%', '50%'],
        data: slices
          .filter((s) => s.value > 0)
          .map((s) => ({
            name: s.name,
            value: s.value,
            itemStyle: { color: GRADE_COLORS[s.grade] },
          })),
        label: { formatter: '{b}\n{c}', fontSize: fontSize(look), overflow: 'none' },
      },
    ],
  };
}

export const COLORS = {
  submitted: '#1d4ed8',
  accepted: '#7c3aed',
  concluded: '#15803d',
  waitMedian: '#0e7490',
  waitP90: '#c2410c',
};
