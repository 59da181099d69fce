import http from 'node:http';

/**
 * A small JSON client for the yimen API over node:http keep-alive connections, as a real
 * API client would talk to it: bearer token, Idempotency-Key on case writes, bodies read in
 * full. Used to set benchmarks up and by the lifecycle case-workers, which time each call.
 * Plain GET load with exact percentiles goes through load.ts instead.
 */
export interface ApiResponse<T = unknown> {
  status: number;
  body: T;
  /** Wall time from sending the request to having read the whole response body. */
  ms: number;
}

export interface RequestOptions {
  token?: string;
  /** A JS value sent as JSON, or raw bytes sent with `contentType`. */
  body?: unknown;
  contentType?: string;
  headers?: Record<string, string>;
  timeoutMs?: number;
}

export class ApiClient {
  private readonly agent: http.Agent;
  private readonly url: URL;

  constructor(baseUrl: string, maxSockets = 64) {
    this.url = new URL(baseUrl);
    this.agent = new http.Agent({ keepAlive: true, maxSockets });
  }

  request<T = unknown>(
    method: string,
    path: string,
    opts: RequestOptions = {},
  ): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { accept: 'application/json', ...opts.headers };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    let payload: Buffer | undefined;
    if (Buffer.isBuffer(opts.body)) {
      payload = opts.body;
      headers['content-type'] = opts.contentType ?? 'application/octet-stream';
    } else if (opts.body !== undefined) {
      payload = Buffer.from(JSON.stringify(opts.body));
      headers['content-type'] = 'application/json';
    }
    if (payload) headers['content-length'] = String(payload.length);
    const timeout = opts.timeoutMs ?? 30_000;
    return new Promise((resolve, reject) => {
      const t0 = performance.now();
      const req = http.request(
        {
          host: this.url.hostname,
          port: this.url.port,
          method,
          path,
          headers,
          agent: this.agent,
          timeout,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', reject);
          res.on('end', () => {
            const ms = performance.now() - t0;
            const text = Buffer.concat(chunks).toString('utf8');
            let body: unknown = text;
            if ((res.headers['content-type'] ?? '').includes('json') && text) {
              try {
                body = JSON.parse(text);
              } catch {
                // keep the text: the caller reports it
              }
            }
            resolve({ status: res.statusCode ?? 0, body: body as T, ms });
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error(`timed out after ${timeout} ms`)));
      req.on('error', reject);
      req.end(payload);
    });
  }

  get<T = unknown>(path: string, token?: string) {
    return this.request<T>('GET', path, token ? { token } : {});
  }

  /** Answers the body when the status is the expected one, throws with the body otherwise. */
  async expect<T = unknown>(
    status: number,
    method: string,
    path: string,
    opts: RequestOptions = {},
  ): Promise<T> {
    const res = await this.request<T>(method, path, opts);
    if (res.status !== status) {
      const text = typeof res.body === 'string' ? res.body : JSON.stringify(res.body);
      throw new Error(`${method} ${path}: HTTP ${res.status} ${text.slice(0, 500)}`);
    }
    return res.body;
  }

  /** Signs a staff account in for a bearer token (argon2: tens of ms, done once per account). */
  async login(username: string, password: string): Promise<string> {
    const body = await this.expect<{ token: string }>(200, 'POST', '/api/v1/auth/login', {
      body: { username, password, tokenType: 'bearer' },
    });
    return body.token;
  }

  close(): void {
    this.agent.destroy();
  }
}

/** The demo accounts' password (apps/server/src/seed/demo-accounts.ts). */
export const DEMO_PASSWORD = 'yimen-demo';
