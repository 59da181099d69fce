import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Db } from '../db/connection.ts';
import { bearer } from './factories.ts';
import { call, TEST_KEYS } from './harness.ts';

/**
 * Test helpers for cases: a client that sends an idempotency key with each write and the
 * version it last saw with each action, as the web app does.
 */
export class CaseClient {
  constructor(
    private readonly app: FastifyInstance,
    readonly token: string,
  ) {}

  async upload(content = `%PDF-1.4\n% scan ${randomUUID()}\n`): Promise<string> {
    const res = await this.app.inject({
      method: 'POST',
      url: '/api/v1/files',
      headers: { ...bearer(this.token), 'content-type': 'application/pdf' },
      payload: Buffer.from(content),
    });
    assert.equal(res.statusCode, 201, res.body);
    return res.json().sha256;
  }

  submit(body: Record<string, unknown>, key: string = randomUUID()) {
    return call(this.app, {
      method: 'POST',
      url: '/api/v1/applications',
      headers: { ...bearer(this.token), 'idempotency-key': key },
      payload: body,
    });
  }

  get(id: string) {
    return call(this.app, {
      method: 'GET',
      url: `/api/v1/applications/${id}`,
      headers: bearer(this.token),
    });
  }

  /** Takes an action at the version the case is at now (read first, as a screen would). */
  async act(
    id: string,
    action: string,
    body: Record<string, unknown> = {},
    key: string = randomUUID(),
  ) {
    const current = await this.get(id);
    assert.equal(current.statusCode, 200, current.body);
    return this.actAt(id, action, current.data.version, body, key);
  }

  actAt(
    id: string,
    action: string,
    version: number,
    body: Record<string, unknown> = {},
    key: string = randomUUID(),
  ) {
    return call(this.app, {
      method: 'POST',
      url: `/api/v1/applications/${id}/actions/${action}`,
      headers: { ...bearer(this.token), 'idempotency-key': key },
      payload: { version, ...body },
    });
  }

  worklist(box: string) {
    return call(this.app, {
      method: 'GET',
      url: `/api/v1/worklist?box=${box}&limit=200`,
      headers: bearer(this.token),
    });
  }
}

export async function signIn(
  app: FastifyInstance,
  username: string,
  password = 'yimen-demo',
): Promise<CaseClient> {
  const res = await call(app, {
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { username, password, tokenType: 'bearer' },
  });
  assert.equal(res.statusCode, 200, res.body);
  return new CaseClient(app, res.data.token);
}

export async function residentByName(
  app: FastifyInstance,
  client: CaseClient,
  name: string,
  within: string,
): Promise<string> {
  const res = await call(app, {
    method: 'GET',
    url: `/api/v1/residents?q=${encodeURIComponent(name)}&within=${within}`,
    headers: bearer(client.token),
  });
  assert.equal(res.statusCode, 200, res.body);
  const hit = res.data.items.find((r: { name: string }) => r.name === name);
  assert.ok(hit, `${name} in ${within}`);
  return hit.id;
}

/** A demo villager as an applicant: the resident's id and the ID number on record. */
export interface Applicant {
  id: string;
  name: string;
  village: string;
  idNumber: string;
}

export async function demoApplicant(
  env: { app: FastifyInstance; db: Db },
  client: CaseClient,
  name: string,
  village: string,
): Promise<Applicant> {
  const id = await residentByName(env.app, client, name, village);
  const row = await env.db
    .selectFrom('resident')
    .select('id_number_cipher')
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  return { id, name, village, idNumber: TEST_KEYS.personalData.decrypt(row.id_number_cipher) };
}

/**
 * The body of an elderly allowance (高龄津贴, 4309-MZ-JF-005) applied for at the counter,
 * every required material uploaded first (or none, with `withMaterials` false); `over`
 * replaces top-level fields (the channel, the applicant…).
 */
export async function allowanceBody(
  c: CaseClient,
  a: Applicant,
  over: Record<string, unknown> = {},
  withMaterials = true,
) {
  return {
    itemCode: '4309-MZ-JF-005',
    channel: 'counter',
    applicantId: a.id,
    formData: {
      applicantName: a.name,
      idNumber: a.idNumber,
      residenceVillage: a.village,
      ageGroup: '80-89',
      payoutAccountType: 'one_card',
      contactName: a.name,
      mobile: '13800000005',
    },
    materials: withMaterials
      ? [
          { key: 'idCard', sha256: await c.upload() },
          { key: 'householdRegister', sha256: await c.upload() },
          { key: 'payoutAccount', sha256: await c.upload() },
        ]
      : [],
    ...over,
  };
}
