import { SIM_SYSTEMS, type SimSystemConfig, type Simulator, startSimulator } from './simulator.ts';

/**
 * `yimen dept-sim`: runs the simulated department systems until stopped and, with
 * --register, registers (or updates) them as connectors on a running platform through the
 * admin API, so `npm start` plus `yimen dept-sim --register` is the whole demo.
 */
export interface DeptSimOptions {
  port: number;
  host: string;
  platform: string;
  systems: string[];
  set: string[];
  register: boolean;
  adminUser: string;
  adminPassword: string;
}

const NUMBER_KEYS = new Set(['latencyMs', 'errorRate', 'laterMs']);

/** `hrss.answer=later`, `*.latencyMs=200`, `public-security.down=true`. */
export function parseSettings(
  sets: string[],
  keys: string[],
): Map<string, Partial<SimSystemConfig>> {
  const out = new Map<string, Partial<SimSystemConfig>>(keys.map((k) => [k, {}]));
  for (const s of sets) {
    const m = /^([a-z*][a-z0-9_-]*)\.([A-Za-z]+)=(.*)$/.exec(s);
    if (!m) throw new Error(`--set ${s}: expected <system>.<setting>=<value>`);
    const [, who, setting, raw] = m as unknown as [string, string, string, string];
    const value: unknown = NUMBER_KEYS.has(setting)
      ? Number(raw)
      : setting === 'down'
        ? raw === 'true' || raw === '1'
        : raw;
    if (typeof value === 'number' && Number.isNaN(value))
      throw new Error(`--set ${s}: not a number`);
    for (const k of who === '*' ? keys : [who]) {
      if (!out.has(k)) throw new Error(`--set ${s}: no system ${k}`);
      Object.assign(out.get(k)!, { [setting]: value });
    }
  }
  return out;
}

async function adminToken(platform: string, user: string, password: string): Promise<string> {
  const res = await fetch(`${platform}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: user, password, tokenType: 'bearer' }),
  });
  const body = (await res.json()) as { token?: string; error?: { message: string } };
  if (!res.ok || !body.token) throw new Error(`sign-in as ${user} failed: ${body.error?.message}`);
  return body.token;
}

/** Creates or updates one connector per simulated system, pointing at the simulator. */
export async function registerConnectors(
  sim: Simulator,
  keys: string[],
  o: { platform: string; adminUser: string; adminPassword: string },
): Promise<string[]> {
  const token = await adminToken(o.platform, o.adminUser, o.adminPassword);
  const api = (path: string, method: string, body?: unknown) =>
    fetch(`${o.platform}/api/v1/integrations${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const listed = (await (await api('/systems', 'GET')).json()) as {
    items: { id: string; code: string }[];
  };
  const done: string[] = [];
  for (const key of keys) {
    const c = sim.config(key);
    const code = `${key}-sim`;
    const common = {
      name: c.name,
      department: SIM_SYSTEMS.find((s) => s.key === key)?.department ?? key,
      baseUrl: sim.baseUrlOf(key),
      auth: { kind: 'hmac', secret: c.secret },
      timeoutMs: Math.max(5_000, c.latencyMs * 2 + 1_000),
      active: true,
    };
    const existing = listed.items.find((s) => s.code === code);
    const res = existing
      ? await api(`/systems/${existing.id}`, 'PATCH', common)
      : await api('/systems', 'POST', { ...common, code, systemKey: key, clientId: c.clientId });
    if (!res.ok) throw new Error(`registering ${code}: ${res.status} ${await res.text()}`);
    done.push(`${code} → ${sim.baseUrlOf(key)}`);
  }
  return done;
}

export async function runDeptSim(o: DeptSimOptions): Promise<Simulator> {
  const keys = o.systems.length ? o.systems : SIM_SYSTEMS.map((s) => s.key);
  const settings = parseSettings(o.set, keys);
  const sim = await startSimulator({
    port: o.port,
    host: o.host,
    platformUrl: o.platform,
    systems: keys.map((key) => ({ key, ...settings.get(key) })),
    log: (line) => console.log(`[dept-sim] ${line}`),
  });
  console.log(`\n  yimen dept-sim: simulated department systems at ${sim.url}`);
  for (const key of keys) {
    const c = sim.config(key);
    console.log(
      `    ${key.padEnd(18)} ${sim.baseUrlOf(key)}  client ${c.clientId}  answer ${c.answer}` +
        `${c.latencyMs ? `  latency ${c.latencyMs} ms` : ''}${c.errorRate ? `  errors ${c.errorRate}` : ''}${c.down ? '  DOWN' : ''}`,
    );
  }
  console.log(`  control: GET ${sim.url}/_sim/state, POST ${sim.url}/_sim/<system>/config`);
  if (o.register) {
    for (const line of await registerConnectors(sim, keys, o)) console.log(`  registered ${line}`);
  } else {
    console.log('  (--register to register these connectors on the platform)');
  }
  console.log('');
  return sim;
}
