import type { Me } from '@yimen/core';
import { createContext, type ReactNode, useCallback, useContext, useEffect, useState } from 'react';
import { ApiError, api, setUnauthorizedHandler } from '../api/client.ts';
import { queryClient } from '../api/hooks.ts';

interface Auth {
  me: Me | null;
  /** false until the first /me answer: routes wait rather than bounce to sign-in. */
  ready: boolean;
  signedIn: (me: Me) => void;
  signOut: () => Promise<void>;
}

const AuthContext = createContext<Auth | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<Me | null>(null);
  const [ready, setReady] = useState(false);
  useEffect(() => {
    setUnauthorizedHandler(() => setMe(null));
    api<Me>('/me')
      .then(setMe)
      .catch((e: unknown) => {
        if (!(e instanceof ApiError) || e.status !== 401) console.warn(e);
      })
      .finally(() => setReady(true));
  }, []);
  const signOut = useCallback(async () => {
    try {
      await api('/auth/logout', { method: 'POST', body: {} });
    } finally {
      // Nothing the last user read stays in memory for the next one at this computer.
      queryClient.clear();
      setMe(null);
    }
  }, []);
  return (
    <AuthContext.Provider value={{ me, ready, signedIn: setMe, signOut }}>
      {children}
    </AuthContext.Provider>
  );
}

export function useAuth(): Auth {
  const a = useContext(AuthContext);
  if (!a) throw new Error('useAuth outside AuthProvider');
  return a;
}

export const isStaff = (me: Me | null) => me?.kind === 'staff';
export const hasRole = (me: Me | null, ...roles: string[]) =>
  !!me?.roles.some((r) => roles.includes(r.role));
/** Where a signed-in user starts: the window for counter staff, the desk for deciders. */
export function homeOf(me: Me | null): string {
  if (!me) return '/';
  if (me.kind === 'citizen') return '/me/cases';
  if (hasRole(me, 'village_agent')) return '/window';
  if (hasRole(me, 'township_clerk', 'township_approver', 'department_officer')) return '/desk';
  if (hasRole(me, 'county_admin', 'city_admin', 'system_admin')) return '/admin';
  if (hasRole(me, 'leader')) return '/leader';
  return '/desk';
}
