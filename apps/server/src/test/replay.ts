import assert from 'node:assert/strict';
import { type ActionName, type ApplicationStatus, applyAction, type CaseState } from '@yimen/core';
import { sql } from 'kysely';
import type { Db } from '../db/connection.ts';
import { versionContent } from '../modules/catalog/catalog.repo.ts';

interface LoggedCase {
  id: string;
  application_no: string;
  status: ApplicationStatus;
  resume_status: ApplicationStatus | null;
  item_id: string;
  item_version: number;
  log: { action: string; to_status: ApplicationStatus; payload: Record<string, unknown> | null }[];
}

/**
 * OpenCRVS's lesson: status is what the action log says. Replays every case's log through
 * the workflow's reducer (core's applyAction), from the submission's state, with the item's
 * review rule and, for an acceptance, whether it went to a department (the log's own
 * payload): each step must lead where the log says it led, and the last to the status and
 * resume state stored on the case. Returns how many cases were checked.
 */
export async function assertLogsExplainStatuses(db: Db): Promise<number> {
  const cases = await sql<LoggedCase>`
    SELECT a.id, a.application_no, a.status, a.resume_status, a.item_id, a.item_version,
      (SELECT json_agg(json_build_object('action', x.action, 'to_status', x.to_status,
                                         'payload', x.payload) ORDER BY x.seq)
       FROM application_action x WHERE x.application_id = a.id) AS log
    FROM application a ORDER BY a.submitted_at`.execute(db);
  for (const c of cases.rows) {
    const where = `${c.application_no}`;
    assert.ok(c.log?.length, `${where}: no action log`);
    const [submitted, ...steps] = c.log;
    assert.equal(submitted!.action, 'submit', `${where}: the log starts with the submission`);
    const content = await versionContent(db, c.item_id, c.item_version);
    const reviewRequired = content?.workflow?.reviewRequired ?? false;
    let state: CaseState = { status: submitted!.to_status, resumeStatus: null };
    for (const step of steps) {
      const next = applyAction(state, step.action as ActionName, {
        reviewRequired,
        departmentStep: step.action === 'accept' && step.payload?.department !== undefined,
      });
      assert.ok(next.ok, `${where}: ${step.action} is not allowed in ${state.status}`);
      assert.equal(next.state.status, step.to_status, `${where}: ${step.action} led elsewhere`);
      state = next.state;
    }
    assert.deepEqual(
      { status: c.status, resumeStatus: c.resume_status },
      state,
      `${where}: the stored status is not where its log leads`,
    );
  }
  return cases.rows.length;
}
