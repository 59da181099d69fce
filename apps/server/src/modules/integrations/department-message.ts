import type { DepartmentCaseMessage } from '@yimen/core';
import type { DepartmentCase } from '../../ports.ts';

/** The paths a department calls back on, for one case. */
export function callbackUrls(publicUrl: string, applicationNo: string) {
  const base = `${publicUrl}/api/v1/dept/applications/${encodeURIComponent(applicationNo)}`;
  return { status: `${base}/status`, result: `${base}/result` };
}

/**
 * The message that carries a case to its department: the case as the case module gives it
 * (ctx.cases.forDepartment), the message id the department deduplicates on, and where to
 * answer. The outbox row holds no personal data: the message is built when it is sent.
 */
export function caseMessage(
  publicUrl: string,
  c: DepartmentCase,
  message: { messageId: string; sentAt: Date },
): DepartmentCaseMessage {
  return {
    messageId: message.messageId,
    type: 'case.assigned',
    sentAt: message.sentAt.toISOString(),
    application: c.application,
    callback: callbackUrls(publicUrl, c.application.applicationNo),
  };
}
