/**
 * The one way the web app talks to the server: the public API under /api/v1, with the session
 * cookie, the CSRF header on every write, the UI's language, and errors turned into ApiError.
 * Links, images, frames and event streams take their address from apiUrl.
 */
import type { ErrorBody } from '@yimen/core';

export type FieldError = NonNullable<ErrorBody['error']['fields']>[number];

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly fields: FieldError[];
  readonly requestId?: string;
  constructor(
    status: number,
    code: string,
    message: string,
    fields: FieldError[] = [],
    rid?: string,
  ) {
    super(message);
    this.status = status;
    this.code = code;
    this.fields = fields;
    this.requestId = rid;
  }
}

let language = 'zh-CN';
export function setApiLanguage(lang: 'zh' | 'en'): void {
  language = lang === 'en' ? 'en' : 'zh-CN';
}

let onUnauthorized: (() => void) | undefined;
export function setUnauthorizedHandler(fn: () => void): void {
  onUnauthorized = fn;
}

let onWrite: (() => void) | undefined;
/** Called after every write the server accepted (what was read before may have changed). */
export function setWriteHandler(fn: () => void): void {
  onWrite = fn;
}

function csrfToken(): string | undefined {
  const m = /(?:^|;\s*)yimen_csrf=([^;]+)/.exec(document.cookie);
  return m?.[1] ? decodeURIComponent(m[1]) : undefined;
}

/** Where an API path is: for a link, an image, a frame, a download or an event stream. */
export function apiUrl(path: string): string {
  return `/api/v1${path}`;
}

export function newIdempotencyKey(): string {
  return `web-${crypto.randomUUID()}`;
}

export interface RequestOptions {
  method?: string;
  body?: unknown;
  /** Raw bytes (a file) sent with its own content type. */
  file?: Blob;
  idempotencyKey?: string;
  signal?: AbortSignal;
}

const RETRYABLE = new Set([502, 503, 504]);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const methodOf = (opts: RequestOptions) =>
  opts.method ?? (opts.body !== undefined || opts.file ? 'POST' : 'GET');

/**
 * One request, answered with whatever status came back; throws only when no answer came.
 * A write that carries an Idempotency-Key is retried on a lost connection or a gateway error
 * with the same key, so the server answers the retry with the first answer.
 */
export async function request(path: string, opts: RequestOptions = {}): Promise<Response> {
  const method = methodOf(opts);
  const headers: Record<string, string> = {
    accept: 'application/json',
    'accept-language': language,
  };
  if (method !== 'GET' && method !== 'HEAD') {
    const csrf = csrfToken();
    if (csrf) headers['x-csrf-token'] = csrf;
  }
  if (opts.idempotencyKey) headers['idempotency-key'] = opts.idempotencyKey;
  let body: BodyInit | undefined;
  if (opts.file) {
    body = opts.file;
    headers['content-type'] = opts.file.type || 'application/octet-stream';
  } else if (opts.body !== undefined) {
    body = JSON.stringify(opts.body);
    headers['content-type'] = 'application/json';
  }
  const attempts = opts.idempotencyKey ? 3 : 1;
  let res: Response | undefined;
  for (let i = 0; i < attempts; i++) {
    try {
      res = await fetch(apiUrl(path), {
        method,
        headers,
        body,
        credentials: 'same-origin',
        signal: opts.signal,
      });
      if (!RETRYABLE.has(res.status) || i === attempts - 1) break;
    } catch (err) {
      if (opts.signal?.aborted || i === attempts - 1) throw networkError(err);
    }
    await sleep(500 * 2 ** i);
  }
  if (!res) throw networkError(undefined);
  return res;
}

/** A request whose answer is JSON: the parsed body, or the API's refusal as an ApiError. */
export async function api<T>(path: string, opts: RequestOptions = {}): Promise<T> {
  const res = await request(path, opts);
  if (res.ok && !['GET', 'HEAD'].includes(methodOf(opts))) onWrite?.();
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let data: unknown;
  try {
    data = text ? JSON.parse(text) : undefined;
  } catch {
    data = text;
  }
  if (!res.ok) {
    // A gateway's error page is not the API's error body: hence the optional chain.
    const e = (data as Partial<ErrorBody> | undefined)?.error;
    if (res.status === 401 && onUnauthorized) onUnauthorized();
    throw new ApiError(
      res.status,
      e?.code ?? 'HTTP_ERROR',
      e?.message ?? `${res.status} ${res.statusText}`,
      e?.fields ?? [],
      e?.requestId,
    );
  }
  return data as T;
}

function networkError(cause: unknown): ApiError {
  const msg =
    language === 'en'
      ? 'The connection failed. Check the network and try again; nothing is sent twice.'
      : '网络连接失败，请检查网络后重试；重试不会重复提交。';
  const e = new ApiError(0, 'NETWORK', msg);
  (e as { cause?: unknown }).cause = cause;
  return e;
}

/** `body.formData.wifeName` → ['wifeName']; `body.recipient.idNumber` → ['recipient','idNumber']. */
export function fieldPath(field: string): (string | number)[] {
  const stripped = field.replace(/^body\.formData\./, '').replace(/^(body|query|params)\./, '');
  return stripped.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}
