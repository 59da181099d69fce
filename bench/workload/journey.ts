import { randomBytes } from 'node:crypto';
import { SCAN_BYTES } from '../lib/cases.ts';
import { fillForm, requiredMaterials, type WorkloadItem } from './catalog.ts';
import { type Actor, StepFailed, type TimedClient } from './client.ts';
import { type People, type Villager, villager } from './people.ts';
import type { PlannedCase } from './plan.ts';
import type { Recorder } from './record.ts';
import type { SmsInbox } from './sms.ts';
import type { Station, World } from './world.ts';

/**
 * One case as the people involved would take it, each request timed (client.ts):
 *
 *   a visitor searches the catalogue · the villager is registered at their station if new ·
 *   online: they sign in, search, upload the scans and apply; at the counter or by proxy the
 *   agent of the receiving station uploads them (by proxy with the villager's consent: an SMS
 *   code they read out) and submits · the agent accepts (online: from the worklist) · the
 *   township approver opens the worklist and the case · a correction: one notice, the
 *   villager opens the case on the phone, uploads the missing scan and resubmits, the
 *   approver opens it again · deny, or approve and issue · the receiving station's agent
 *   opens the worklist and the case and hands the result over, checking the ID number ·
 *   a bank verifies the e-certificate · the villager rates · now and then the leader reads
 *   the figures.
 */

export interface CaseEnv {
  client: TimedClient;
  world: World;
  people: People;
  sms: SmsInbox | null;
  recorder: Recorder;
}

interface Detail {
  id: string;
  version: number;
  status: string;
  certificateNo: string | null;
}

const scan = () => Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(SCAN_BYTES - 9)]);

/** Someone on the internet: a visitor searching, a bank verifying a certificate. */
const visitor = (seq: number): Actor => ({
  token: null,
  ip: `198.18.${(seq >>> 8) & 255}.${seq & 255}`,
});

async function upload(env: CaseEnv, who: Actor): Promise<string> {
  const file = await env.client.send<{ sha256: string }>('upload', who, {
    status: 201,
    method: 'POST',
    path: '/api/v1/files',
    body: scan(),
    contentType: 'application/pdf',
  });
  return file.sha256;
}

async function search(env: CaseEnv, who: Actor, item: WorkloadItem): Promise<void> {
  const q = encodeURIComponent(item.content.shortName ?? item.name.slice(0, 4));
  await env.client.send('search', who, {
    status: 200,
    method: 'GET',
    path: `/api/v1/catalog/items?q=${q}&limit=20`,
  });
}

const worklist = (env: CaseEnv, who: Actor, box: string) =>
  env.client.send('worklist', who, {
    status: 200,
    method: 'GET',
    path: `/api/v1/worklist?box=${box}`,
  });

const open = (env: CaseEnv, who: Actor, id: string) =>
  env.client.send<Detail>('open', who, {
    status: 200,
    method: 'GET',
    path: `/api/v1/applications/${id}`,
  });

function act(
  env: CaseEnv,
  who: Actor,
  id: string,
  action: 'accept' | 'requestCorrection' | 'resubmit' | 'approve' | 'deny' | 'issue' | 'handOver',
  body: Record<string, unknown>,
): Promise<Detail> {
  return env.client.send<Detail>(action, who, {
    status: 200,
    method: 'POST',
    path: `/api/v1/applications/${id}/actions/${action}`,
    body,
    idempotent: true,
  });
}

/** The villager's consent to a proxy application: the code sent to their phone, or a signed form. */
async function proxyConsent(env: CaseEnv, agent: Actor, applicantId: string, who: Villager) {
  if (!env.sms) return { method: 'signedScan', sha256: await upload(env, agent) };
  await env.client.send('consent', agent, {
    status: 202,
    method: 'POST',
    path: '/api/v1/applications/proxy-consent',
    body: { applicantId },
  });
  return { method: 'sms', code: await env.sms.take(who.mobile, 'consent') };
}

async function submit(
  env: CaseEnv,
  c: PlannedCase,
  item: WorkloadItem,
  who: Villager,
  applicantId: string,
  station: Station,
): Promise<Detail> {
  const online = c.channel === 'online';
  const submitter = online ? await env.people.citizen(who) : station.agent;
  if (online) await search(env, submitter, item);
  const materials: { key: string; sha256: string }[] = [];
  for (const key of requiredMaterials(item.content))
    materials.push({ key, sha256: await upload(env, submitter) });
  // The login code's 60 s resend limit counts the consent code too (both are sms_code rows
  // of one mobile): a villager who will rate or answer a notice later in this compressed day
  // signs in on the phone before the agent asks for consent, as they would have days before.
  if (c.channel === 'proxy' && (c.rating !== null || c.correction)) await env.people.citizen(who);
  const consent =
    c.channel === 'proxy' ? await proxyConsent(env, station.agent, applicantId, who) : undefined;
  return env.client.send<Detail>('submit', submitter, {
    status: 201,
    method: 'POST',
    path: '/api/v1/applications',
    idempotent: true,
    body: {
      itemCode: item.code,
      channel: c.channel,
      ...(online ? {} : { applicantId }),
      formData: fillForm(item.content, who),
      materials,
      ...(consent ? { proxyConsent: consent } : {}),
    },
  });
}

/** The approver's notice, and the villager answering it from the phone. */
async function correctionRound(
  env: CaseEnv,
  item: WorkloadItem,
  who: Villager,
  approver: Actor,
  seen: Detail,
): Promise<Detail> {
  const noticed = await act(env, approver, seen.id, 'requestCorrection', {
    version: seen.version,
    missing: [{ item: '材料扫描件不清晰', detail: '请重新上传清晰的扫描件' }],
  });
  const phone = await env.people.citizen(who);
  const mine = await open(env, phone, noticed.id);
  const key = requiredMaterials(item.content)[0];
  const materials = key ? [{ key, sha256: await upload(env, phone) }] : [];
  await act(env, phone, mine.id, 'resubmit', { version: mine.version, materials });
  env.recorder.count('corrected');
  return open(env, approver, seen.id);
}

async function decideAndDeliver(
  env: CaseEnv,
  c: PlannedCase,
  who: Villager,
  approver: Actor,
  station: Station,
  seen: Detail,
): Promise<void> {
  if (c.deny) {
    await act(env, approver, seen.id, 'deny', {
      version: seen.version,
      reasons: '经审查，申请人不符合办理条件',
      legalBasis: '依据该事项办事指南所列受理条件',
    });
    env.recorder.count('denied');
    return;
  }
  const approved = await act(env, approver, seen.id, 'approve', { version: seen.version });
  const issued = await act(env, approver, seen.id, 'issue', { version: approved.version });
  await worklist(env, station.agent, 'to_hand_over');
  const back = await open(env, station.agent, seen.id);
  await act(env, station.agent, seen.id, 'handOver', {
    version: back.version,
    recipient: { name: who.name, idNumber: who.idNumber, relation: 'self' },
  });
  env.recorder.count('approved and handed over');
  if (issued.certificateNo) {
    env.recorder.count('e-certificates');
    if (c.verify) {
      await env.client.send('verify', visitor(c.seq), {
        status: 200,
        method: 'GET',
        path: `/api/v1/verify/${encodeURIComponent(issued.certificateNo)}`,
      });
    }
  }
}

async function afterwards(env: CaseEnv, c: PlannedCase, who: Villager, id: string): Promise<void> {
  if (c.rating !== null) {
    const phone = await env.people.citizen(who);
    await env.client.send('rate', phone, {
      status: 201,
      method: 'POST',
      path: `/api/v1/applications/${id}/rating`,
      body: { grade: c.rating },
    });
    env.recorder.count('rated');
  }
  const leader = env.world.leader;
  if (c.figures && leader) {
    await env.client.send('figures', leader, {
      status: 200,
      method: 'GET',
      path: '/api/v1/stats/overview',
    });
  }
}

/** Runs one planned case to its end; false when a step failed (recorded with its reason). */
export async function runCase(env: CaseEnv, c: PlannedCase): Promise<boolean> {
  const { world, recorder } = env;
  const home = world.stations[c.village]!;
  const station = c.receivedAt === null ? home : world.stations[c.receivedAt]!;
  const item = world.items[c.item]!;
  const who = villager(home.village, c.resident);
  const approver = world.approvers.get(home.village.township)!;
  try {
    await search(env, visitor(c.seq), item);
    const applicantId = await env.people.resident(who, home.agent);
    const submitted = await submit(env, c, item, who, applicantId, station);
    recorder.count(c.channel);
    if (c.receivedAt !== null) recorder.count('cross-region');
    if (c.channel === 'online') await worklist(env, station.agent, 'to_accept');
    await act(env, station.agent, submitted.id, 'accept', { version: submitted.version });
    await worklist(env, approver, 'to_decide');
    let seen = await open(env, approver, submitted.id);
    if (c.correction) seen = await correctionRound(env, item, who, approver, seen);
    await decideAndDeliver(env, c, who, approver, station, seen);
    await afterwards(env, c, who, submitted.id);
    recorder.casesDone++;
    return true;
  } catch (err) {
    recorder.casesFailed++;
    if (!(err instanceof StepFailed) && recorder.errorSamples.size < 8)
      recorder.errorSamples.add(String(err));
    return false;
  }
}
