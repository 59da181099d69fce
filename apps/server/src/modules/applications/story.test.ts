import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { makeTestIdNumber } from '@yimen/core';
import { seedDemo } from '../../seed/seed.ts';
import { CaseClient, residentByName, signIn } from '../../test/cases.ts';
import { createStaff } from '../../test/factories.ts';
import { call, createTestEnv, TEST_KEYS, type TestEnv } from '../../test/harness.ts';
import { assertLogsExplainStatuses } from '../../test/replay.ts';

/**
 * The stories of the Yiyang article, end to end through the API: village accepts, township
 * decides under one seal, village hands over; the window; the proxy; across regions.
 */
let env: TestEnv;
before(async () => {
  env = await createTestEnv();
  await seedDemo(env.db, TEST_KEYS);
});
after(() => env.close());

async function idNumberOf(residentId: string): Promise<string> {
  const row = await env.db
    .selectFrom('resident')
    .select('id_number_cipher')
    .where('id', '=', residentId)
    .executeTakeFirstOrThrow();
  return TEST_KEYS.personalData.decrypt(row.id_number_cipher);
}

function expectOk(res: { statusCode: number; body: string }, status = 200) {
  assert.equal(res.statusCode, status, res.body);
}

describe('the Yiyang stories', () => {
  it('老王 of 金山村 registers a birth at the village station and picks the certificate up there', async () => {
    const agent = await signIn(env.app, 'agent.jinshan');
    const approver = await signIn(env.app, 'approver.cangshuipu');
    const laoWang = await residentByName(env.app, agent, '王建国', '430903105237');
    const scans = {
      idCard: await agent.upload(),
      householdRegister: await agent.upload(),
      marriageCertificate: await agent.upload(),
      birthPledge: await agent.upload(),
    };
    const submitted = await agent.submit({
      itemCode: '4309-WJ-QR-001',
      channel: 'counter',
      applicantId: laoWang,
      formData: {
        wifeName: '张丽',
        wifeIdNumber: makeTestIdNumber('430903', '19890920', '022'),
        husbandName: '王强',
        husbandIdNumber: await idNumberOf(
          await residentByName(env.app, agent, '王强', '430903105237'),
        ),
        mobile: '13800000002',
        marriageDate: '2015-05-01',
        childOrder: '1',
        pregnant: false,
        residenceVillage: '430903105237',
      },
      materials: Object.entries(scans).map(([key, sha256]) => ({ key, sha256 })),
    });
    expectOk(submitted, 201);
    const id = submitted.data.id;
    assert.match(submitted.data.applicationNo, /^430903105237-\d{8}-\d{4}$/);
    assert.equal(submitted.data.status, 'pending_acceptance');
    assert.equal(submitted.data.deciding.code, '430903105');
    assert.equal(submitted.data.delivering.code, '430903105237');
    assert.ok(!JSON.stringify(submitted.data.formData).includes(await idNumberOf(laoWang)));

    expectOk(await agent.act(id, 'accept'));
    const inBox = await approver.worklist('to_decide');
    assert.ok(
      inBox.data.items.some((a: { id: string }) => a.id === id),
      'the township sees it to decide',
    );
    expectOk(await approver.act(id, 'approve', { comment: '材料齐全，准予登记' }));
    const issued = await approver.act(id, 'issue');
    expectOk(issued);
    assert.ok(issued.data.certificateNo, 'an e-certificate under the township’s seal');
    const toHandOver = await agent.worklist('to_hand_over');
    assert.ok(
      toHandOver.data.items.some((a: { id: string }) => a.id === id),
      'the result comes back to the village',
    );
    const done = await agent.act(id, 'handOver', {
      recipient: { name: '王建国', idNumber: await idNumberOf(laoWang), relation: 'self' },
    });
    expectOk(done);
    assert.equal(done.data.status, 'concluded');
    const verify = await call(env.app, {
      method: 'GET',
      url: `/api/v1/verify/${issued.data.certificateNo}`,
    });
    expectOk(verify);
    assert.equal(verify.data.genuine, true);
    assert.deepEqual(
      done.data.history.map((h: { action: string }) => h.action),
      ['submit', 'accept', 'approve', 'issue', 'handOver'],
    );
  });

  it('a villager of 花桥港村 gets an unemployment registration done at the township window', async () => {
    const clerk = await signIn(env.app, 'clerk.xiushan');
    const approver = await signIn(env.app, 'approver.xiushan');
    const chen = await residentByName(env.app, clerk, '陈志强', '430922101224');
    const res = await clerk.submit({
      itemCode: '4309-RS-GG-001',
      channel: 'counter',
      applicantId: chen,
      formData: {
        applicantName: '陈志强',
        idNumber: await idNumberOf(chen),
        mobile: '13800000006',
        residenceVillage: '430922101224',
        registrationType: 'unemployment',
        employmentStatus: 'none',
        effectiveDate: '2026-11-02',
        education: 'senior',
      },
      materials: [{ key: 'idCard', sha256: await clerk.upload() }],
    });
    expectOk(res, 201);
    const id = res.data.id;
    assert.equal(res.data.received.code, '430922101');
    for (const [who, action, body] of [
      [clerk, 'accept', {}],
      [approver, 'review', {}],
      [approver, 'approve', {}],
      [approver, 'issue', {}],
      [
        clerk,
        'handOver',
        { recipient: { name: '陈志强', idNumber: await idNumberOf(chen), relation: 'self' } },
      ],
    ] as [CaseClient, string, Record<string, unknown>][]) {
      expectOk(await who.act(id, action, body));
    }
    assert.equal((await clerk.get(id)).data.status, 'concluded');
  });

  it('an agent of 三官桥村 applies for an elderly allowance for a bedridden villager, with her signed consent', async () => {
    const agent = await signIn(env.app, 'agent.sanguanqiao');
    const approver = await signIn(env.app, 'approver.xiushan');
    const liu = await residentByName(env.app, agent, '刘桂兰', '430922101220');
    const consentScan = await agent.upload();
    const res = await agent.submit({
      itemCode: '4309-MZ-JF-005',
      channel: 'proxy',
      applicantId: liu,
      proxyConsent: { method: 'signedScan', sha256: consentScan },
      formData: {
        applicantName: '刘桂兰',
        idNumber: await idNumberOf(liu),
        residenceVillage: '430922101220',
        ageGroup: '80-89',
        payoutAccountType: 'social_security_card',
        contactName: '刘卫东',
        mobile: '13800000005',
      },
      materials: [
        { key: 'idCard', sha256: await agent.upload() },
        { key: 'householdRegister', sha256: await agent.upload() },
        { key: 'payoutAccount', sha256: await agent.upload() },
        { key: 'proxyAuthorisation', sha256: consentScan },
      ],
    });
    expectOk(res, 201);
    assert.equal(res.data.channel, 'proxy');
    const submitEntry = res.data.history[0];
    assert.equal(submitEntry.payload.consent.method, 'signedScan');
    const id = res.data.id;
    expectOk(await agent.act(id, 'accept'));
    expectOk(await approver.act(id, 'approve'));
    expectOk(await approver.act(id, 'issue'));
    const son = {
      name: '刘卫东',
      idNumber: await idNumberOf(await residentByName(env.app, agent, '刘卫东', '430922101220')),
      relation: 'family',
    };
    const done = await agent.act(id, 'handOver', { recipient: son });
    expectOk(done);
    assert.equal(done.data.history.at(-1).payload.recipient.relation, 'family');
  });

  it('a 金山村 resident living in 修山镇 applies there for an item of 赫山区, decided by 赫山区', async () => {
    const clerk = await signIn(env.app, 'clerk.xiushan');
    const agentJinshan = await signIn(env.app, 'agent.jinshan');
    const zhao = await residentByName(env.app, agentJinshan, '赵红梅', '430903105237');
    const idNumber = await idNumberOf(zhao);
    const res = await clerk.submit({
      itemCode: '4309-MZ-QR-002',
      channel: 'counter',
      applicantId: zhao,
      formData: {
        applicantName: '赵红梅',
        idNumber,
        mobile: '13800000004',
        residenceVillage: '430903105237',
        assistanceType: 'low_income',
        purpose: 'medical',
      },
      materials: [{ key: 'idCard', sha256: await clerk.upload() }],
    });
    expectOk(res, 201);
    const id = res.data.id;
    assert.equal(res.data.crossRegion, true);
    assert.equal(res.data.received.code, '430922101');
    assert.equal(res.data.deciding.code, '430903', 'decided by the owning county');
    expectOk(await clerk.act(id, 'accept'));
    // The county centre of 赫山区 decides; its desk sees the case with the other side named.
    const countyApprover = new CaseClient(
      env.app,
      (await createStaff(env.db, { roles: ['township_approver'], servicePointCode: '430903' }))
        .token,
    );
    const box = await countyApprover.worklist('to_decide');
    const row = box.data.items.find((a: { id: string }) => a.id === id);
    assert.ok(row);
    assert.equal(row.received.name, '修山镇党群和政务服务中心');
    const clerkBox = await clerk.worklist('in_progress');
    assert.equal(
      clerkBox.data.items.find((a: { id: string }) => a.id === id).deciding.name,
      '赫山区政务服务中心',
    );
    // The township of 修山镇 cannot decide a case of 赫山区.
    const xiushanApprover = await signIn(env.app, 'approver.xiushan');
    const wrong = await xiushanApprover.act(id, 'approve');
    assert.ok([404, 409].includes(wrong.statusCode), wrong.body);
    expectOk(await countyApprover.act(id, 'approve'));
    expectOk(await countyApprover.act(id, 'issue'));
    expectOk(
      await clerk.act(id, 'handOver', {
        recipient: { name: '赵红梅', idNumber, relation: 'self' },
      }),
    );
  });
});

describe('the action log', () => {
  it('leads every case of the stories to its stored status', async () => {
    assert.ok((await assertLogsExplainStatuses(env.db)) > 0);
  });
});
