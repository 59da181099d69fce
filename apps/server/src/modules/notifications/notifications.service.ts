import type { NoticeKind } from '@yimen/core';
import type { Db } from '../../db/connection.ts';
import { insertNotice, listNotices } from './notifications.repo.ts';

/** What the applicant is told at each step they would want to know about. */
const TEMPLATES: Record<NoticeKind, (a: NoticeFacts) => { title: string; body: string }> = {
  submitted: (a) => ({
    title: '申请已提交',
    body: `您的“${a.itemName}”申请已提交，办件编号 ${a.applicationNo}。`,
  }),
  accepted: (a) => ({
    title: '申请已受理',
    body: `您的“${a.itemName}”申请（${a.applicationNo}）已受理，承诺 ${a.dueDate ?? '—'} 前办结。`,
  }),
  correction: (a) => ({
    title: '请补正材料',
    body: `您的“${a.itemName}”申请（${a.applicationNo}）需要补正：${a.detail ?? ''}。补齐后计时继续。`,
  }),
  refused: (a) => ({
    title: '申请不予受理',
    body: `您的“${a.itemName}”申请（${a.applicationNo}）不予受理：${a.detail ?? ''}`,
  }),
  approved: (a) => ({
    title: '申请已准予',
    body: `您的“${a.itemName}”申请（${a.applicationNo}）已审批通过，正在制证。`,
  }),
  denied: (a) => ({
    title: '申请不予许可',
    body: `您的“${a.itemName}”申请（${a.applicationNo}）不予许可：${a.detail ?? ''}`,
  }),
  suspended: (a) => ({
    title: '办理进入特别程序',
    body: `您的“${a.itemName}”申请（${a.applicationNo}）进入特别程序，期间暂停计时：${a.detail ?? ''}`,
  }),
  issued: (a) => ({
    title: '结果已出，请领取',
    body: `您的“${a.itemName}”结果已制作完成${a.pickupAt ? `，请到${a.pickupAt}领取` : ''}（${a.applicationNo}）。`,
  }),
  concluded: (a) => ({
    title: '办件已办结',
    body: `您的“${a.itemName}”申请（${a.applicationNo}）已办结，欢迎评价。`,
  }),
  withdrawn: (a) => ({
    title: '申请已撤回',
    body: `您的“${a.itemName}”申请（${a.applicationNo}）已撤回。`,
  }),
};

/** What a notice about a case says: the case, and the step's own facts. */
export interface NoticeFacts {
  applicationId: string;
  applicationNo: string;
  itemName: string;
  applicantId: string;
  dueDate?: string | null;
  detail?: string;
  pickupAt?: string;
}

/**
 * An in-app notice and, when the applicant has a mobile, an SMS through the outbox — both in
 * the caller's transaction, so a notice exists exactly when the step it reports does.
 */
export async function notifyApplicant(
  trx: Db,
  kind: NoticeKind,
  facts: NoticeFacts,
): Promise<void> {
  const { title, body } = TEMPLATES[kind](facts);
  await insertNotice(
    trx,
    { residentId: facts.applicantId, applicationId: facts.applicationId, kind, title, body },
    {
      topic: 'sms',
      to: { residentId: facts.applicantId },
      purpose: `application.${kind}`,
      body: `【一门】${body}`,
      applicationId: facts.applicationId,
    },
  );
}

/** A resident's notices, newest first; none for an account that is not a resident's. */
export async function myNotices(db: Db, residentId: string | null, limit: number) {
  if (!residentId) return { items: [] };
  const rows = await listNotices(db, residentId, limit);
  return {
    items: rows.map((r) => ({
      id: r.id,
      kind: r.kind,
      title: r.title,
      body: r.body,
      applicationId: r.application_id,
      createdAt: r.created_at.toISOString(),
      read: r.read_at !== null,
    })),
  };
}
