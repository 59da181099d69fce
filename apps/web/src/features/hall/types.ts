/** The hall API's answers, as the web app reads them (mirrors packages/core/src/schemas/queue.ts). */

export type TicketStatus = 'waiting' | 'called' | 'serving' | 'done' | 'no_show' | 'transferred';
export type PriorityReason = 'elderly' | 'disabled';

export interface QueueGroup {
  id: string;
  servicePointCode: string;
  name: string;
  nameEn: string;
  prefix: string;
  priorityEvery: number;
  active: boolean;
  sort: number;
}

export interface QueueWindow {
  id: string;
  servicePointCode: string;
  name: string;
  groupIds: string[];
  active: boolean;
  seated: { userId: string; name: string; since: string } | null;
}

export interface HallPoint {
  servicePoint: { code: string; name: string; kind: string };
  groups: QueueGroup[];
  windows: QueueWindow[];
  can: { serve: boolean; manage: boolean };
}

export interface HallMe {
  servicePoint: { code: string; name: string } | null;
  can: { serve: boolean; manage: boolean; figures: boolean };
  windowId: string | null;
}

export interface Ticket {
  id: string;
  number: string;
  servicePointCode: string;
  groupId: string;
  groupName: string;
  groupNameEn: string;
  day: string;
  priority: PriorityReason | null;
  channel: 'kiosk' | 'desk';
  status: TicketStatus;
  issuedAt: string;
  calledAt: string | null;
  callCount: number;
  windowId: string | null;
  windowName: string | null;
  servingStartedAt: string | null;
  finishedAt: string | null;
  applicationNo: string | null;
  transferredFrom: string | null;
  transferredTo: string | null;
}

export interface GroupWaiting {
  groupId: string;
  name: string;
  nameEn: string;
  prefix: string;
  waiting: number;
  priorityWaiting: number;
}

export interface WindowConsole {
  window: QueueWindow;
  current: Ticket | null;
  waiting: GroupWaiting[];
  otherGroups: GroupWaiting[];
  handledToday: Ticket[];
}

export interface DisplayCall {
  eventId: number;
  number: string;
  windowName: string;
  groupName: string;
  groupNameEn: string;
  recall: boolean;
  at: string;
}

export interface DisplayState {
  servicePoint: { code: string; name: string };
  day: string;
  lastEventId: number;
  windows: { name: string; number: string | null; status: TicketStatus | null }[];
  recent: DisplayCall[];
  waiting: { name: string; nameEn: string; prefix: string; waiting: number }[];
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

export interface HallFigures {
  servicePoint: { code: string; name: string };
  date: string;
  totals: QueueFigures & { waitingNow: number };
  groups: (QueueFigures & {
    groupId: string;
    name: string;
    nameEn: string;
    prefix: string;
    transferredIn: number;
    transferredOut: number;
  })[];
  windows: (QueueFigures & { windowId: string; name: string; transferredOut: number })[];
}
