import { makeTestIdNumber } from '@yimen/core';
import { birthDate, GIVEN, SURNAMES } from '../lib/chains.ts';
import type { Applicant } from './catalog.ts';
import type { Actor, TimedClient } from './client.ts';
import { VILLAGE_SLOTS } from './model.ts';
import type { Village } from './plan.ts';
import type { Recorder } from './record.ts';
import type { SmsInbox } from './sms.ts';

/**
 * The villagers. Each is a number: the village's place in the city's list and the
 * villager's place in the village, from which their name, a valid synthetic ID number and a
 * mobile follow, the same in every run. A villager is registered (POST /api/v1/residents by
 * the village's agent, timed as `register`) the first time they turn up, and signs in as a
 * citizen by SMS code (`smsCode`, `signIn`) the first time they need to act themselves:
 * to apply online, answer a correction notice or rate.
 */

/** Day 0 of the birth dates: 1940-01-01 is 10,957 days before 1970-01-01. */
const BIRTH_DAY0 = -10_957;

export interface Villager extends Applicant {
  key: number;
}

export function villager(v: Village, index: number): Villager {
  const key = v.ordinal * VILLAGE_SLOTS + index;
  // 1,000 sequence numbers per birth date: unique across the city for 21.7 M keys.
  const idNumber = makeTestIdNumber(
    v.code.slice(0, 6),
    birthDate(BIRTH_DAY0 + Math.floor(key / 1000)),
    String(key % 1000).padStart(3, '0'),
  );
  return {
    key,
    name: `${SURNAMES[key % SURNAMES.length]}${GIVEN[Math.floor(key / 7) % GIVEN.length]}`,
    idNumber,
    mobile: `13${String(key).padStart(9, '0')}`,
    village: v.code,
  };
}

/** A phone's address, one per villager (keys stay below 2^25, so none is shared). */
function phoneIp(key: number): string {
  return `${11 + (key >>> 24)}.${(key >>> 16) & 255}.${(key >>> 8) & 255}.${key & 255}`;
}

export class People {
  /** Resident ids once known; the promise while a registration is in flight. */
  private readonly residents = new Map<number, string | Promise<string>>();
  private readonly citizens = new Map<number, Actor | Promise<Actor>>();

  constructor(
    private readonly client: TimedClient,
    private readonly sms: SmsInbox | null,
    private readonly recorder: Recorder,
  ) {}

  /** The villager's resident id, registering them at their village station first if need be. */
  async resident(who: Villager, agent: Actor): Promise<string> {
    const known = this.residents.get(who.key);
    if (known !== undefined) return known;
    const registering = this.register(who, agent);
    this.residents.set(who.key, registering);
    try {
      const id = await registering;
      this.residents.set(who.key, id);
      return id;
    } catch (err) {
      this.residents.delete(who.key);
      throw err;
    }
  }

  private async register(who: Villager, agent: Actor): Promise<string> {
    const body = {
      name: who.name,
      idNumber: who.idNumber,
      mobile: who.mobile,
      regionCode: who.village,
    };
    const created = await this.client.send<{ id?: string }>('register', agent, {
      status: 201,
      orStatus: 409,
      method: 'POST',
      path: '/api/v1/residents',
      body,
    });
    if (created.id) {
      this.recorder.count('villagers registered');
      return created.id;
    }
    // Registered by an earlier run against the same server: the agent looks them up.
    const found = await this.client.send<{ items: { id: string }[] }>('register', agent, {
      status: 200,
      method: 'GET',
      path: `/api/v1/residents?idNumber=${who.idNumber}`,
    });
    if (!found.items[0]) throw new Error(`resident ${who.key} taken but not found`);
    return found.items[0].id;
  }

  /** The villager signed in on their phone, signing in by SMS code the first time. */
  async citizen(who: Villager): Promise<Actor> {
    const known = this.citizens.get(who.key);
    if (known !== undefined) return known;
    const signing = this.signIn(who);
    this.citizens.set(who.key, signing);
    try {
      const actor = await signing;
      this.citizens.set(who.key, actor);
      return actor;
    } catch (err) {
      this.citizens.delete(who.key);
      throw err;
    }
  }

  private async signIn(who: Villager): Promise<Actor> {
    if (!this.sms) throw new Error('citizens cannot sign in without --sms-log');
    const phone: Actor = { token: null, ip: phoneIp(who.key) };
    await this.client.send('smsCode', phone, {
      status: 202,
      method: 'POST',
      path: '/api/v1/auth/sms-code',
      body: { mobile: who.mobile },
    });
    const code = await this.sms.take(who.mobile, 'login');
    const session = await this.client.send<{ token: string }>('signIn', phone, {
      status: 200,
      method: 'POST',
      path: '/api/v1/auth/sms-login',
      body: { mobile: who.mobile, code, tokenType: 'bearer' },
    });
    this.recorder.count('citizens signed in');
    return { token: session.token, ip: phone.ip };
  }
}
