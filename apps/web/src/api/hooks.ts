import type { FormInstance } from 'antd';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api, fieldPath, newIdempotencyKey, type RequestOptions } from './client.ts';

export interface Loaded<T> {
  data: T | undefined;
  error: ApiError | undefined;
  loading: boolean;
  reload: () => void;
}

/** GETs `path` (null: nothing yet) and keeps the answer, the error and a loading flag. */
export function useApi<T>(path: string | null): Loaded<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<ApiError>();
  const [loading, setLoading] = useState(path !== null);
  const [tick, setTick] = useState(0);
  // The server answers in the UI's language: a switch fetches again.
  const lang = useTranslation().i18n.language;
  // biome-ignore lint/correctness/useExhaustiveDependencies: tick and lang ask for a reload
  useEffect(() => {
    if (path === null) return;
    const ctl = new AbortController();
    setLoading(true);
    setError(undefined);
    api<T>(path, { signal: ctl.signal })
      .then((d) => {
        setData(d);
        setLoading(false);
      })
      .catch((e: unknown) => {
        if (ctl.signal.aborted) return;
        setError(e instanceof ApiError ? e : new ApiError(0, 'CLIENT', String(e)));
        setLoading(false);
      });
    return () => ctl.abort();
  }, [path, tick, lang]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data, error, loading, reload };
}

/**
 * A write with an Idempotency-Key that lives as long as the submission it belongs to: a
 * second press after a lost answer, or the client's own retry, sends the same key and gets
 * the first answer; the key is renewed only after a success.
 */
export function useIdempotentSubmit<T>() {
  const key = useRef<string>(newIdempotencyKey());
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<ApiError>();
  const run = useCallback(async (path: string, opts: Omit<RequestOptions, 'idempotencyKey'>) => {
    setPending(true);
    setError(undefined);
    try {
      const res = await api<T>(path, { ...opts, idempotencyKey: key.current });
      key.current = newIdempotencyKey();
      return res;
    } catch (e) {
      const err = e instanceof ApiError ? e : new ApiError(0, 'CLIENT', String(e));
      setError(err);
      throw err;
    } finally {
      setPending(false);
    }
  }, []);
  return { run, pending, error, setError };
}

/**
 * Puts each of the error's fields next to the form field it names; returns the messages
 * that belong to no field of this form, to be shown above it.
 */
export function showFieldErrors(
  form: FormInstance,
  err: ApiError,
  rename: (path: (string | number)[]) => (string | number)[] = (p) => p,
): string[] {
  const registered = new Set(form.getFieldsError().map((f) => f.name.join('.')));
  const known: { name: (string | number)[]; errors: string[] }[] = [];
  const rest: string[] = [];
  for (const f of err.fields) {
    const name = rename(fieldPath(f.field));
    if (registered.has(name.join('.'))) known.push({ name, errors: [f.message] });
    else rest.push(`${f.field.replace(/^body\./, '')}: ${f.message}`);
  }
  if (known.length) form.setFields(known as never);
  return rest;
}
