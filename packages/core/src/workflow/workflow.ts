import type { Permission } from '../roles.ts';

/**
 * The case workflow as data (DIGIT's lesson): the states, the actions, who may take each
 * and where, and what each does to the clock. The service checks a request against this
 * table and nothing else; the web app reads it to know which buttons to show.
 */
export const APPLICATION_STATUSES = [
  'pending_pre_review',
  'pending_acceptance',
  'correction_requested',
  'under_review',
  'pending_decision',
  'with_department',
  'suspended',
  'approved',
  'issued',
  'concluded',
  'refused',
  'withdrawn',
] as const;
export type ApplicationStatus = (typeof APPLICATION_STATUSES)[number];

export const STATUS_LABELS: Record<ApplicationStatus, { zh: string; en: string }> = {
  pending_pre_review: { zh: '待预审', en: 'Awaiting pre-review' },
  pending_acceptance: { zh: '待受理', en: 'Awaiting acceptance' },
  correction_requested: { zh: '待补正', en: 'Correction requested' },
  under_review: { zh: '已受理（审查中）', en: 'Accepted, under review' },
  pending_decision: { zh: '待决定', en: 'Awaiting decision' },
  with_department: { zh: '部门办理中', en: 'With the department' },
  suspended: { zh: '暂停（特别程序）', en: 'Suspended (special procedure)' },
  approved: { zh: '准予，待制证', en: 'Approved, result being issued' },
  issued: { zh: '已制证，待送达', en: 'Issued, awaiting delivery' },
  concluded: { zh: '办结', en: 'Concluded' },
  refused: { zh: '不予受理', en: 'Refused' },
  withdrawn: { zh: '已撤回', en: 'Withdrawn' },
};

export const TERMINAL_STATUSES: ReadonlySet<ApplicationStatus> = new Set([
  'concluded',
  'refused',
  'withdrawn',
]);

/** Which unit's staff act: where the case is accepted, decided, or handed over. */
export type Unit = 'accepting' | 'deciding' | 'delivering' | 'receiving';
export type ClockEffect = 'start' | 'stop' | 'resume' | 'finish';
export type Requirement =
  | 'reasons'
  | 'legalBasis'
  | 'missing'
  | 'recipient'
  | 'trackingNo'
  | 'procedure';

export interface ActionRule {
  label: { zh: string; en: string };
  /** States the action may be taken in. */
  from: readonly ApplicationStatus[];
  /** The state it leads to; 'resume' returns to the state stored when the clock stopped. */
  to: ApplicationStatus | 'resume';
  /**
   * Where it leads instead when the item's routing calls a department system that is
   * connected (integrations): accepting such a case hands it to the department.
   */
  toWithDepartment?: ApplicationStatus;
  /** Who may take it: the applicant (or staff for them at the receiving point), staff, or a department system. */
  by: 'applicant' | 'staff' | 'department';
  /** For staff: the permission needed, per state when it differs. */
  permission?: Permission | Partial<Record<ApplicationStatus, Permission>>;
  /** For staff: the unit they must belong to, per state when it differs. */
  at?: Unit | Partial<Record<ApplicationStatus, Unit>>;
  clock?: ClockEffect;
  requires?: readonly Requirement[];
  /** A notice the applicant receives. */
  notice?: NoticeKind;
}

export type NoticeKind =
  | 'submitted'
  | 'accepted'
  | 'correction'
  | 'refused'
  | 'approved'
  | 'denied'
  | 'suspended'
  | 'issued'
  | 'concluded'
  | 'withdrawn';

const BEFORE_DECISION = [
  'pending_pre_review',
  'pending_acceptance',
  'correction_requested',
  'under_review',
  'pending_decision',
  'suspended',
] as const satisfies readonly ApplicationStatus[];

export const WORKFLOW = {
  preReview: {
    label: { zh: '预审通过', en: 'Pass pre-review' },
    from: ['pending_pre_review'],
    to: 'pending_acceptance',
    by: 'staff',
    permission: 'application.accept',
    at: 'accepting',
  },
  accept: {
    label: { zh: '受理', en: 'Accept' },
    from: ['pending_pre_review', 'pending_acceptance'],
    to: 'under_review',
    by: 'staff',
    permission: 'application.accept',
    at: 'accepting',
    clock: 'start',
    notice: 'accepted',
    toWithDepartment: 'with_department',
  },
  refuse: {
    label: { zh: '不予受理', en: 'Refuse' },
    from: ['pending_pre_review', 'pending_acceptance'],
    to: 'refused',
    by: 'staff',
    permission: 'application.accept',
    at: 'accepting',
    requires: ['reasons'],
    clock: 'finish',
    notice: 'refused',
  },
  requestCorrection: {
    label: { zh: '一次性告知补正', en: 'Request correction (one notice)' },
    from: ['pending_pre_review', 'pending_acceptance', 'under_review'],
    to: 'correction_requested',
    by: 'staff',
    permission: {
      pending_pre_review: 'application.accept',
      pending_acceptance: 'application.accept',
      under_review: 'application.review',
    },
    at: {
      pending_pre_review: 'accepting',
      pending_acceptance: 'accepting',
      under_review: 'deciding',
    },
    requires: ['missing'],
    clock: 'stop',
    notice: 'correction',
  },
  resubmit: {
    label: { zh: '补正后重新提交', en: 'Resubmit after correction' },
    from: ['correction_requested'],
    to: 'resume',
    by: 'applicant',
    clock: 'resume',
  },
  review: {
    label: { zh: '审查通过，提请决定', en: 'Review and pass to decision' },
    from: ['under_review'],
    to: 'pending_decision',
    by: 'staff',
    permission: 'application.review',
    at: 'deciding',
  },
  approve: {
    label: { zh: '准予', en: 'Approve' },
    from: ['under_review', 'pending_decision'],
    to: 'approved',
    by: 'staff',
    permission: 'application.decide',
    at: 'deciding',
    notice: 'approved',
  },
  deny: {
    label: { zh: '不予许可', en: 'Deny' },
    from: ['under_review', 'pending_decision'],
    to: 'concluded',
    by: 'staff',
    permission: 'application.decide',
    at: 'deciding',
    requires: ['reasons', 'legalBasis'],
    clock: 'finish',
    notice: 'denied',
  },
  suspend: {
    label: { zh: '特别程序（暂停计时）', en: 'Suspend for a special procedure' },
    from: ['under_review', 'pending_decision'],
    to: 'suspended',
    by: 'staff',
    permission: 'application.review',
    at: 'deciding',
    requires: ['procedure', 'reasons'],
    clock: 'stop',
    notice: 'suspended',
  },
  resume: {
    label: { zh: '恢复计时', en: 'Resume' },
    from: ['suspended'],
    to: 'resume',
    by: 'staff',
    permission: 'application.review',
    at: 'deciding',
    clock: 'resume',
  },
  issue: {
    label: { zh: '制证', en: 'Issue the result' },
    from: ['approved'],
    to: 'issued',
    by: 'staff',
    permission: 'application.issue',
    at: 'deciding',
    clock: 'finish',
    notice: 'issued',
  },
  handOver: {
    label: { zh: '窗口/村级领取', en: 'Hand over at the counter' },
    from: ['issued'],
    to: 'concluded',
    by: 'staff',
    permission: 'application.handOver',
    at: 'delivering',
    requires: ['recipient'],
    notice: 'concluded',
  },
  mail: {
    label: { zh: '邮寄送达', en: 'Send by post' },
    from: ['issued'],
    to: 'concluded',
    by: 'staff',
    permission: 'application.issue',
    at: 'deciding',
    requires: ['trackingNo'],
    notice: 'concluded',
  },
  download: {
    label: { zh: '网上下载', en: 'Download' },
    from: ['issued'],
    to: 'concluded',
    by: 'applicant',
    notice: 'concluded',
  },
  withdraw: {
    label: { zh: '撤回申请', en: 'Withdraw' },
    from: BEFORE_DECISION,
    to: 'withdrawn',
    by: 'applicant',
    clock: 'finish',
    notice: 'withdrawn',
  },
  // The department system's answers (integration hub), taken with the system as the actor:
  // 200 accepted / 400 rejected / 202 later to the platform's call, or a signed callback.
  departmentAccept: {
    label: { zh: '部门办理通过，提请决定', en: 'Department accepted; to decision' },
    from: ['with_department'],
    to: 'pending_decision',
    by: 'department',
  },
  departmentLater: {
    label: { zh: '部门已接收，稍后答复', en: 'Department will answer later' },
    from: ['with_department'],
    to: 'with_department',
    by: 'department',
  },
  departmentRequestCorrection: {
    label: { zh: '部门要求补正', en: 'Department requests a correction' },
    from: ['with_department'],
    to: 'correction_requested',
    by: 'department',
    requires: ['missing'],
    clock: 'stop',
    notice: 'correction',
  },
  departmentReject: {
    label: { zh: '部门不予办理', en: 'Department rejected' },
    from: ['with_department'],
    to: 'concluded',
    by: 'department',
    requires: ['reasons'],
    clock: 'finish',
    notice: 'denied',
  },
  departmentResult: {
    label: { zh: '部门出具结果', en: 'Department issued the result' },
    from: ['with_department'],
    to: 'issued',
    by: 'department',
    clock: 'finish',
    notice: 'issued',
  },
} as const satisfies Record<string, ActionRule>;

export type ActionName = keyof typeof WORKFLOW;
export const ACTION_NAMES = Object.keys(WORKFLOW) as ActionName[];

export function permissionFor(rule: ActionRule, status: ApplicationStatus): Permission | undefined {
  if (!rule.permission) return undefined;
  return typeof rule.permission === 'string' ? rule.permission : rule.permission[status];
}

export function unitFor(rule: ActionRule, status: ApplicationStatus): Unit | undefined {
  if (!rule.at) return undefined;
  return typeof rule.at === 'string' ? rule.at : rule.at[status];
}

export interface CaseState {
  status: ApplicationStatus;
  /** Where a stopped clock's case returns to. */
  resumeStatus: ApplicationStatus | null;
}

/**
 * One step of the reducer: the state after `action` is taken in `state`, or an error naming
 * what may be done instead. Exhaustive over the table; no action changes state any other way.
 */
export function applyAction(
  state: CaseState,
  action: ActionName,
  opts: { reviewRequired?: boolean; departmentStep?: boolean } = {},
): { ok: true; state: CaseState } | { ok: false; allowed: ActionName[] } {
  const rule: ActionRule = WORKFLOW[action];
  const fromOk = (rule.from as readonly ApplicationStatus[]).includes(state.status);
  const skipsReview =
    action === 'approve' && opts.reviewRequired && state.status === 'under_review';
  if (!fromOk || skipsReview) return { ok: false, allowed: actionsFrom(state.status, opts) };
  if (rule.to === 'resume') {
    return {
      ok: true,
      state: { status: state.resumeStatus ?? 'pending_acceptance', resumeStatus: null },
    };
  }
  const stops = rule.clock === 'stop';
  const to = (opts.departmentStep && rule.toWithDepartment) || rule.to;
  return { ok: true, state: { status: to, resumeStatus: stops ? state.status : null } };
}

export function actionsFrom(
  status: ApplicationStatus,
  opts: { reviewRequired?: boolean } = {},
): ActionName[] {
  return ACTION_NAMES.filter((a) => {
    const rule: ActionRule = WORKFLOW[a];
    if (!(rule.from as readonly ApplicationStatus[]).includes(status)) return false;
    return !(a === 'approve' && opts.reviewRequired && status === 'under_review');
  });
}

/** The state a log of actions leads to, from a submission that started in `initial`. */
export function reduceLog(
  initial: ApplicationStatus,
  log: readonly ActionName[],
  opts: { reviewRequired?: boolean; departmentStep?: boolean } = {},
): CaseState {
  let state: CaseState = { status: initial, resumeStatus: null };
  for (const action of log) {
    const next = applyAction(state, action, opts);
    if (!next.ok) throw new Error(`log is inconsistent: ${action} in ${state.status}`);
    state = next.state;
  }
  return state;
}
