import type { DisplayEvent, DisplayState } from '@yimen/core';
import { useEffect, useRef, useState } from 'react';
import { ApiError, api, apiUrl } from '../../api/client.ts';

export type StreamStatus = 'connecting' | 'live' | 'reconnecting';

/** The server pings every 15 s; three missed pings mean the connection died silently. */
const SILENCE_MS = 45_000;

/**
 * The hall display's live state: the JSON for first paint, then server-sent events. The
 * browser's EventSource reconnects by itself after a dropped connection (sending
 * Last-Event-ID, so missed calls are replayed). We also start again ourselves, resuming from
 * the last id, when it gives up (the server answered with an error or was down), when the
 * device reports it went offline and back, and when the pings stop (a connection that died
 * without closing, common on a hall's Wi-Fi).
 */
export function useHallStream(code: string | undefined, onMessage?: (m: DisplayEvent) => void) {
  const [state, setState] = useState<DisplayState>();
  const [status, setStatus] = useState<StreamStatus>('connecting');
  const [error, setError] = useState<number>();
  const handler = useRef(onMessage);
  handler.current = onMessage;

  useEffect(() => {
    if (!code) return;
    const display = `/hall/service-points/${encodeURIComponent(code)}/display`;
    const firstPaint = new AbortController();
    let es: EventSource | null = null;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let watchdog: ReturnType<typeof setTimeout> | undefined;
    let attempt = 0;
    let lastId: string | null = null;
    let stopped = false;
    setStatus('connecting');
    setError(undefined);
    api<DisplayState>(display, { signal: firstPaint.signal })
      .then((s) => {
        if (!stopped) setState((prev) => prev ?? s);
      })
      .catch((e: unknown) => {
        // The server's refusal (404: no such hall) is shown; without an answer the stream
        // brings the state when it connects.
        if (!stopped && e instanceof ApiError && e.status > 0) setError(e.status);
      });

    const drop = () => {
      es?.close();
      es = null;
      clearTimeout(watchdog);
      clearTimeout(retry);
      if (!stopped) setStatus('reconnecting');
    };
    const later = () => {
      clearTimeout(retry);
      retry = setTimeout(connect, Math.min(15_000, 1000 * 2 ** attempt++));
    };
    const alive = () => {
      clearTimeout(watchdog);
      watchdog = setTimeout(() => {
        drop();
        later();
      }, SILENCE_MS);
    };
    function connect() {
      if (stopped) return;
      const source = new EventSource(
        apiUrl(lastId ? `${display}/stream?lastEventId=${lastId}` : `${display}/stream`),
      );
      es = source;
      alive();
      source.onopen = () => {
        attempt = 0;
        alive();
        setStatus('live');
      };
      source.addEventListener('ping', alive);
      source.addEventListener('hall', (ev) => {
        const m = JSON.parse((ev as MessageEvent<string>).data) as DisplayEvent;
        lastId = (ev as MessageEvent<string>).lastEventId || lastId;
        alive();
        setState(m.state);
        setStatus('live');
        setError(undefined);
        handler.current?.(m);
      });
      source.onerror = () => {
        if (stopped || es !== source) return;
        setStatus('reconnecting');
        if (source.readyState === EventSource.CLOSED) {
          drop();
          later();
        }
      };
    }
    const offline = () => {
      drop();
      later();
    };
    const online = () => {
      attempt = 0;
      drop();
      connect();
    };
    window.addEventListener('offline', offline);
    window.addEventListener('online', online);
    connect();
    return () => {
      stopped = true;
      firstPaint.abort();
      window.removeEventListener('offline', offline);
      window.removeEventListener('online', online);
      drop();
    };
  }, [code]);
  return { state, status, error };
}
