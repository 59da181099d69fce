import type {
  DepartmentAnswer,
  DepartmentCaseMessage,
  DepartmentResult,
  WorkingCalendar,
} from '@yimen/core';
import type { Actor, RequestMeta } from './auth/actor.ts';
import type { Db } from './db/connection.ts';

/**
 * What other modules may ask of cases, and do to them, without importing the case module:
 * the case module implements it (modules/applications/case-port.ts) and wiring.ts hands it
 * to the others through the AppContext. Each answer respects who asks: "not found" and "not
 * yours" look the same.
 */
export interface CasePort {
  /** A case the actor may see, by its number; undefined otherwise. */
  visibleByNo(db: Db, actor: Actor, applicationNo: string): Promise<CaseRef | undefined>;
  /** Whether the actor may see a case that uses this uploaded file. */
  usesVisibleFile(db: Db, actor: Actor, sha256: string): Promise<boolean>;

  /** A case as the department system that holds it receives it; undefined if it holds none. */
  forDepartment(
    db: Db,
    systemId: string,
    applicationId: string,
  ): Promise<DepartmentCase | undefined>;
  /** The ids of the cases assigned to a department system, oldest first. */
  assignedTo(
    db: Db,
    systemId: string,
    q: { status: 'with_department' | 'all'; limit: number },
  ): Promise<string[]>;
  /**
   * After the working-day calendar of `year` changed (in this transaction): the running
   * clocks whose counted days meet that year get their due and warn dates recomputed.
   * Returns how many changed.
   */
  refreshClocks(trx: Db, calendar: WorkingCalendar, year: number): Promise<number>;
  /** A case's id by its number, whoever holds it. */
  idByNo(db: Db, applicationNo: string): Promise<string | undefined>;
  /** A department's answer (accepted / rejected / later) taken as the department's action. */
  applyDepartmentAnswer(
    trx: Db,
    system: DepartmentSystemRef,
    where: { id?: string; no?: string },
    answer: DepartmentAnswer,
    meta: RequestMeta & { messageId: string; via: 'response' | 'callback'; lenient?: boolean },
  ): Promise<DepartmentApplied>;
  /** A department's result: the case is issued, with the e-certificate the platform seals. */
  applyDepartmentResult(
    trx: Db,
    system: DepartmentSystemRef,
    applicationNo: string,
    result: DepartmentResult,
    meta: RequestMeta & { messageId: string },
  ): Promise<DepartmentApplied>;
}

/** What the case module may ask of the integration hub. */
export interface DepartmentPort {
  /**
   * The connected, active department system that takes an item routed to `systemKey`: one
   * listing the item wins over one listing none (all items of that key). Undefined when none
   * is connected, and the case stays with the township.
   */
  systemFor(
    db: Db,
    systemKey: string,
    itemCode: string,
  ): Promise<{ id: string; code: string } | undefined>;
}

export interface CaseRef {
  id: string;
  applicationNo: string;
}

/** A department system as the case module needs to know it. */
export interface DepartmentSystemRef {
  id: string;
  code: string;
  name: string;
  /** The office whose seal a department's result is issued under; null: the deciding unit's. */
  servicePointId: string | null;
}

export interface DepartmentCase {
  status: string;
  application: DepartmentCaseMessage['application'];
}

export interface DepartmentApplied {
  applicationNo: string;
  status: string;
  /** The action taken; null when the answer had already been applied or came too late. */
  action: string | null;
}
