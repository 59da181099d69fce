/** The answers of GET /api/v1/stats/overview and /stats/queue (packages/core/src/schemas/stats.ts). */

export interface RegionRef {
  code: string;
  name: string;
  level: string;
}

export interface Figures {
  submitted: number;
  accepted: number;
  concluded: number;
  approved: number;
  denied: number;
  refused: number;
  withdrawn: number;
  crossRegion: number;
  onTime: number;
  late: number;
  /** 0–1, null when nothing was concluded. */
  onTimeRate: number | null;
  ratings: {
    count: number;
    /** '5' 非常满意 … '1' 非常不满意 */
    distribution: Record<string, number>;
    average: number | null;
    satisfiedRate: number | null;
  };
}

export interface OpenFigures {
  open: { running: number; overdue: number };
  followUps: { open: number; overdue: number };
}

export interface StatsOverview extends OpenFigures {
  region: RegionRef;
  path: RegionRef[];
  from: string;
  to: string;
  totals: Figures;
  byChild: (Figures & OpenFigures & { code: string; name: string; level: string | null })[];
  byItem: (Figures & { itemCode: string; name: string })[];
  trend: (Figures & { month: string })[];
}

export interface QueueFigures {
  tickets: number;
  served: number;
  noShow: number;
  waitMedianSec: number | null;
  waitP90Sec: number | null;
  serveMedianSec: number | null;
  serveP90Sec: number | null;
}

export interface QueueStats {
  region: RegionRef;
  from: string;
  to: string;
  totals: QueueFigures;
  byChild: (QueueFigures & RegionRef)[];
  trend: (QueueFigures & { month: string })[];
}
