import type { QueueFigures } from '@yimen/core';

/**
 * Waiting and serving times are kept in the rollup as counts in fixed buckets, so the
 * percentiles of a whole region come from summing a few arrays. Upper edges in seconds; the
 * last bucket is open (4 h and more).
 */
const BUCKET_EDGES = [
  30, 60, 90, 120, 180, 240, 300, 420, 600, 900, 1200, 1500, 1800, 2400, 3000, 3600, 5400, 7200,
  10800, 14400,
] as const;
export const BUCKETS = BUCKET_EDGES.length + 1;

export function emptyHistogram(): number[] {
  return new Array<number>(BUCKETS).fill(0);
}

/** The 0-based bucket of a duration: the first whose upper edge is above it. */
export function bucketOf(seconds: number): number {
  const i = BUCKET_EDGES.findIndex((edge) => seconds < edge);
  return i < 0 ? BUCKET_EDGES.length : i;
}

/**
 * The p-th percentile (0 < p ≤ 1) estimated from a histogram: the nearest-rank value's
 * bucket, and within it a linear guess by its rank (a bucket holding one value gives its
 * middle). The open last bucket gives its lower edge. null when the histogram is empty.
 */
export function percentileFromHistogram(hist: readonly number[], p: number): number | null {
  const n = hist.reduce((a, b) => a + b, 0);
  if (n === 0) return null;
  const k = Math.max(1, Math.ceil(p * n));
  let before = 0;
  for (let b = 0; b < hist.length; b++) {
    const count = hist[b] ?? 0;
    if (before + count >= k) {
      const lower = b === 0 ? 0 : BUCKET_EDGES[b - 1]!;
      const upper = BUCKET_EDGES[b];
      if (upper === undefined) return lower;
      return Math.round(lower + ((upper - lower) * (k - before - 0.5)) / count);
    }
    before += count;
  }
  return null;
}

/** The exact percentile of a list of durations, interpolated as PostgreSQL's percentile_cont. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const v = [...values].sort((a, b) => a - b);
  const pos = p * (v.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const x = v[lo]! + (v[hi]! - v[lo]!) * (pos - lo);
  return Math.round(x * 10) / 10;
}

/** The figures of a set of measured tickets (exact: one service point and day). */
export function exactFigures(
  counts: { tickets: number; served: number; noShow: number },
  waits: number[],
  serves: number[],
): QueueFigures {
  return {
    ...counts,
    waitMedianSec: percentile(waits, 0.5),
    waitP90Sec: percentile(waits, 0.9),
    serveMedianSec: percentile(serves, 0.5),
    serveP90Sec: percentile(serves, 0.9),
  };
}

/** The figures of summed rollup rows (a region, a month): percentiles from the histograms. */
export function histogramFigures(
  counts: { tickets: number; served: number; noShow: number },
  waitHist: readonly number[],
  serveHist: readonly number[],
): QueueFigures {
  return {
    ...counts,
    waitMedianSec: percentileFromHistogram(waitHist, 0.5),
    waitP90Sec: percentileFromHistogram(waitHist, 0.9),
    serveMedianSec: percentileFromHistogram(serveHist, 0.5),
    serveP90Sec: percentileFromHistogram(serveHist, 0.9),
  };
}
