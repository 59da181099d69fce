import { H, PLATFORM_SYSTEM_ID, type SigningKey, signedHeaders } from './signing.ts';

/** One HTTP exchange as the hub saw it: what went, what came back, how long it took. */
export interface HttpExchange {
  method: string;
  url: string;
  requestHeaders: Record<string, string>;
  requestBody: string;
  statusCode: number | null;
  responseHeaders: Record<string, string>;
  responseBody: string;
  error: string | null;
  startedAt: Date;
  durationMs: number;
}

/**
 * POSTs a signed JSON body: the platform's signature over method, path, timestamp, nonce and
 * body hash, the message id to deduplicate on, a request id and the case number. Network
 * failures and timeouts come back as an exchange with `error`, never as a throw.
 */
export async function postSigned(p: {
  url: string;
  body: string;
  key: SigningKey;
  messageId: string;
  requestId: string;
  applicationNo?: string | null;
  timeoutMs: number;
}): Promise<HttpExchange> {
  const target = new URL(p.url);
  const requestHeaders: Record<string, string> = {
    'content-type': 'application/json',
    [H.requestId]: p.requestId,
    ...(p.applicationNo ? { [H.applicationNo]: p.applicationNo } : {}),
    ...signedHeaders({
      system: PLATFORM_SYSTEM_ID,
      key: p.key,
      method: 'POST',
      path: `${target.pathname}${target.search}`,
      body: p.body,
      messageId: p.messageId,
    }),
  };
  const startedAt = new Date();
  const t0 = performance.now();
  try {
    const res = await fetch(target, {
      method: 'POST',
      headers: requestHeaders,
      body: p.body,
      signal: AbortSignal.timeout(p.timeoutMs),
    });
    const responseBody = await res.text();
    return {
      method: 'POST',
      url: p.url,
      requestHeaders,
      requestBody: p.body,
      statusCode: res.status,
      responseHeaders: Object.fromEntries(res.headers),
      responseBody,
      error: null,
      startedAt,
      durationMs: performance.now() - t0,
    };
  } catch (err) {
    const e = err as Error & { cause?: { code?: string } };
    const error =
      e.name === 'TimeoutError'
        ? `timed out after ${p.timeoutMs} ms`
        : `${e.message}${e.cause?.code ? ` (${e.cause.code})` : ''}`;
    return {
      method: 'POST',
      url: p.url,
      requestHeaders,
      requestBody: p.body,
      statusCode: null,
      responseHeaders: {},
      responseBody: '',
      error,
      startedAt,
      durationMs: performance.now() - t0,
    };
  }
}

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
