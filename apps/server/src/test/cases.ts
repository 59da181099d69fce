import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { bearer } from './factories.ts';
import { call } from './harness.ts';

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
