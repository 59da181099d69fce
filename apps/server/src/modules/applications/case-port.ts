import type { AppContext } from '../../app-context.ts';
import type { CasePort } from '../../ports.ts';
import { canSeeApplication } from './access.ts';
import { visibilityCheck } from './applications.query.service.ts';
import * as repo from './applications.repo.ts';
import { refreshRunningClocks } from './clock-refresh.ts';
import { applyDepartmentAnswer, applyDepartmentResult } from './department-answers.service.ts';
import { departmentCase } from './department-case.ts';

/** How many cases that use one file are looked at before "may not read it" is the answer. */
const FILE_USES_CHECKED = 20;

/** The case module's side of the case port (ports.ts), for the modules that need cases. */
export function casePort(ctx: AppContext): CasePort {
  return {
    async visibleByNo(db, actor, applicationNo) {
      const row = await repo.findSummaryByNo(db, applicationNo);
      if (!row || !canSeeApplication(actor, row, row.v_region)) return undefined;
      return { id: row.id, applicationNo: row.application_no };
    },
    async usesVisibleFile(db, actor, sha256) {
      const check = visibilityCheck(db, actor);
      for (const u of await repo.casesUsingFile(db, sha256, FILE_USES_CHECKED)) {
        const app = await repo.findApplication(db, u.application_id);
        if (app && (await check(app))) return true;
      }
      return false;
    },
    forDepartment: (db, systemId, id) => departmentCase(ctx, db, systemId, id),
    assignedTo: (db, systemId, q) => repo.assignedTo(db, systemId, q),
    idByNo: (db, no) => repo.idByNo(db, no),
    applyDepartmentAnswer: (trx, system, where, answer, meta) =>
      applyDepartmentAnswer(ctx, trx, system, where, answer, meta),
    applyDepartmentResult: (trx, system, no, result, meta) =>
      applyDepartmentResult(ctx, trx, system, no, result, meta),
    refreshClocks: (trx, calendar, year) => refreshRunningClocks(trx, calendar, year),
  };
}
