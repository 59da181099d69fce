import { keepPreviousData, QueryClient, useMutation, useQuery } from '@tanstack/react-query';
import type { FormInstance } from 'antd';
import { useCallback, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  ApiError,
  api,
  fieldPath,
  newIdempotencyKey,
  type RequestOptions,
  setWriteHandler,
} from './client.ts';

declare module '@tanstack/react-query' {
  interface Register {
    // Every query and mutation goes through api(), which throws nothing else (see asApiError).
    defaultError: ApiError;
  }
}

const asApiError = (e: unknown) =>
  e instanceof ApiError ? e : new ApiError(0, 'CLIENT', String(e));

/** The app's one cache of API answers. */
export const queryClient = new QueryClient({
  defaultOptions: {
    // Always ask, even when the browser thinks it is offline (it is often wrong on a village
    // network): a failed request says so in words (ApiError NETWORK) instead of waiting.
    mutations: { networkMode: 'always' },
    queries: {
      networkMode: 'always',
      // A 4xx is the server's verdict (no such case, not yours, signed out): asking again
      // gives the same answer. A lost connection or a 5xx is tried twice more.
      retry: (failures, error) => failures < 2 && !(error.status >= 400 && error.status < 500),
      // Coming back to the tab (to read an SMS code, a scan) must not reload the page under a
      // half-filled form; a reconnect still refetches.
      refetchOnWindowFocus: false,
    },
  },
});

// After a write, answers kept for screens not on show may be out of date: the next visit
// asks again instead of showing them. The screen on show reloads what it needs itself.
setWriteHandler(() => queryClient.removeQueries({ type: 'inactive' }));

/**
 * GETs `path` (null: nothing yet) and keeps the answer. The server answers in the UI's
 * language, so the language is part of the key: a switch fetches again. The last answer
 * stays on show while the next one (another page, another language) is on its way.
 */
export function useApi<T>(path: string | null) {
  const lang = useTranslation().i18n.language;
  return useQuery({
    queryKey: [path, lang],
    queryFn: ({ signal }) =>
      api<T>(path ?? '', { signal }).catch((e: unknown) => {
        throw asApiError(e);
      }),
    enabled: path !== null,
    placeholderData: keepPreviousData,
  });
}

/**
 * A write with an Idempotency-Key that lives as long as the submission it belongs to: a
 * second press after a lost answer, or the client's own retry, sends the same key and gets
 * the first answer; the key is renewed only after a success.
 */
export function useIdempotentSubmit<T>() {
  const key = useRef<string>(newIdempotencyKey());
  const mutation = useMutation({
    mutationFn: (req: { path: string; opts: Omit<RequestOptions, 'idempotencyKey'> }) =>
      api<T>(req.path, { ...req.opts, idempotencyKey: key.current }).catch((e: unknown) => {
        throw asApiError(e);
      }),
    onSuccess: () => {
      key.current = newIdempotencyKey();
    },
  });
  const { mutateAsync } = mutation;
  const run = useCallback(
    (path: string, opts: Omit<RequestOptions, 'idempotencyKey'>) => mutateAsync({ path, opts }),
    [mutateAsync],
  );
  return { run, pending: mutation.isPending, error: mutation.error ?? undefined };
}

/**
 * A form sent to the API: `run(send)` is true when the server took it; on a refusal each
 * field error goes beside its field and `error` holds what is left to say above the form.
 */
export function useFormSubmit(form: FormInstance) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const run = async (send: () => Promise<unknown>): Promise<boolean> => {
    setBusy(true);
    setError(undefined);
    try {
      await send();
      return true;
    } catch (e) {
      if (e instanceof ApiError) {
        const rest = showFieldErrors(form, e);
        if (!e.fields.length || rest.length) setError([e.message, ...rest].join('；'));
      } else setError(String(e));
      return false;
    } finally {
      setBusy(false);
    }
  };
  return { run, busy, error };
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
