import {
  BarChart,
  type BarSeriesOption,
  LineChart,
  type LineSeriesOption,
  PieChart,
  type PieSeriesOption,
} from 'echarts/charts';
import {
  GridComponent,
  type GridComponentOption,
  LegendComponent,
  type LegendComponentOption,
  TooltipComponent,
  type TooltipComponentOption,
} from 'echarts/components';
import { type ComposeOption, type ECharts, init, use } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';

// Only what the leader's charts use: this chunk is loaded by /leader only.
use([
  BarChart,
  LineChart,
  PieChart,
  GridComponent,
  TooltipComponent,
  LegendComponent,
  CanvasRenderer,
]);

export type ChartOption = ComposeOption<
  | BarSeriesOption
  | LineSeriesOption
  | PieSeriesOption
  | GridComponentOption
  | TooltipComponentOption
  | LegendComponentOption
>;

/** The page's own font stack, so Chinese labels on the canvas match the text around them. */
export const CHART_FONT =
  '"Noto Sans CJK SC", "Noto Sans SC", "PingFang SC", "Microsoft YaHei", system-ui, sans-serif';

interface Props {
  option: ChartOption;
  height: number;
  /** What the chart shows, for screen readers (the table under it has the figures). */
  label: string;
  testId: string;
  /**
   * A click anywhere in a category's band of a category-axis chart (not only on its bar,
   * which may be a sliver): the category's index. The band is a large target for unsteady
   * hands.
   */
  onCategoryClick?: (index: number) => void;
}

/** A tiny ECharts wrapper: init once, set the option on change, resize with the box. */
export function EChart({ option, height, label, testId, onCategoryClick }: Props) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<ECharts | null>(null);
  const onClick = useRef(onCategoryClick);
  onClick.current = onCategoryClick;

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const c = init(el, undefined, { renderer: 'canvas' });
    chart.current = c;
    const resize = new ResizeObserver(() => c.resize());
    resize.observe(el);
    c.getZr().on('click', (e) => {
      const point = [e.offsetX, e.offsetY];
      if (!onClick.current || !c.containPixel('grid', point)) return;
      const horizontal = (c.getOption() as { yAxis?: { type?: string }[] }).yAxis?.[0]?.type;
      const [x, y] = c.convertFromPixel('grid', point) as number[];
      const index = Math.round((horizontal === 'category' ? y : x) ?? -1);
      if (index >= 0) onClick.current(index);
    });
    return () => {
      resize.disconnect();
      c.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption(option, { notMerge: true });
  }, [option]);

  return (
    <div
      ref={box}
      role="img"
      aria-label={label}
      data-testid={testId}
      style={{ width: '100%', height, cursor: onCategoryClick ? 'pointer' : undefined }}
    />
  );
}
