import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { actionsFrom, applyAction, reduceLog, TERMINAL_STATUSES, WORKFLOW } from './workflow.ts';

describe('the workflow table', () => {
  it('follows village accepts, township decides, village hands over', () => {
    const s = reduceLog('pending_acceptance', ['accept', 'review', 'approve', 'issue', 'handOver']);
    assert.deepEqual(s, { status: 'concluded', resumeStatus: null });
  });

  it('returns from a correction or a suspension to where the case was', () => {
    assert.equal(
      reduceLog('pending_acceptance', ['requestCorrection', 'resubmit']).status,
      'pending_acceptance',
    );
    assert.equal(
      reduceLog('pending_acceptance', ['accept', 'requestCorrection', 'resubmit']).status,
      'under_review',
    );
    assert.equal(
      reduceLog('pending_acceptance', ['accept', 'review', 'suspend', 'resume']).status,
      'pending_decision',
    );
  });

  it('refuses a bad transition and names what is allowed', () => {
    const r = applyAction({ status: 'pending_acceptance', resumeStatus: null }, 'approve');
    assert.equal(r.ok, false);
    assert.deepEqual(!r.ok && r.allowed, ['accept', 'refuse', 'requestCorrection', 'withdraw']);
    const handOver = applyAction({ status: 'approved', resumeStatus: null }, 'handOver');
    assert.deepEqual(!handOver.ok && handOver.allowed, ['issue']);
  });

  it('an item may require review before the decision', () => {
    assert.equal(
      applyAction({ status: 'under_review', resumeStatus: null }, 'approve', {
        reviewRequired: true,
      }).ok,
      false,
    );
    assert.ok(!actionsFrom('under_review', { reviewRequired: true }).includes('approve'));
  });

  it('nothing leaves a terminal state, and withdrawing is possible only before the decision', () => {
    for (const s of TERMINAL_STATUSES) assert.deepEqual(actionsFrom(s), []);
    assert.ok(!(WORKFLOW.withdraw.from as readonly string[]).includes('approved'));
  });

  it('an item routed to a connected department goes there on acceptance and back on its answer', () => {
    const dept = { departmentStep: true };
    assert.equal(reduceLog('pending_acceptance', ['accept'], dept).status, 'with_department');
    assert.equal(reduceLog('pending_acceptance', ['accept']).status, 'under_review');
    assert.equal(
      reduceLog('pending_acceptance', ['accept', 'departmentLater', 'departmentAccept'], dept)
        .status,
      'pending_decision',
    );
    assert.equal(
      reduceLog(
        'pending_acceptance',
        ['accept', 'departmentRequestCorrection', 'resubmit', 'departmentResult', 'handOver'],
        dept,
      ).status,
      'concluded',
    );
    assert.equal(
      reduceLog('pending_acceptance', ['accept', 'departmentReject'], dept).status,
      'concluded',
    );
    for (const [name, rule] of Object.entries(WORKFLOW))
      if (name.startsWith('department')) assert.equal(rule.by, 'department', name);
  });

  it('every staff action names a permission and a unit', () => {
    for (const [name, rule] of Object.entries(WORKFLOW)) {
      if (rule.by === 'staff') {
        assert.ok('permission' in rule && rule.permission, name);
        assert.ok('at' in rule && rule.at, name);
      }
    }
  });
});
