import type { NoticeKind } from '@yimen/core';
import { sql } from 'kysely';
import type { Db } from '../../db/connection.ts';

/** What the applicant is told at each step they would want to know about. */
const TEMPLATES: Record<NoticeKind, (a: NoticeContext) => { title: string; body: string }> = {
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

export interface NoticeContext {
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
  ctx: NoticeContext,
): Promise<void> {
  const { title, body } = TEMPLATES[kind](ctx);
  // One statement: the notice, and the SMS only if the applicant has a mobile.
  await sql`
    WITH notice AS (
      INSERT INTO notification (resident_id, application_id, kind, title, body)
      VALUES (${ctx.applicantId}, ${ctx.applicationId}, ${kind}, ${title}, ${body}))
    INSERT INTO outbox (topic, ordering_key, application_id, payload)
    SELECT 'sms', ${`application:${ctx.applicationId}`}, ${ctx.applicationId},
      jsonb_build_object('mobile', r.mobile, 'purpose', ${`application.${kind}`}::text,
        'body', ${`【一门】${body}`}::text)
    FROM resident r WHERE r.id = ${ctx.applicantId} AND r.mobile IS NOT NULL`.execute(trx);
}
