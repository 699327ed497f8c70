import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { get, post, setCsrfToken } from '../../api/client';
import { ApiError } from '../../api/errors';
import type { Me, Role } from '../../api/types';

export interface Session {
  status: 'loading' | 'anonymous' | 'user';
  me: Me | null;
  error: unknown;
  login(username: string, password: string, totp?: string): Promise<Me>;
  logout(): Promise<void>;
  hasRole(...roles: Role[]): boolean;
}

const SessionContext = createContext<Session | null>(null);

/**
 * The console's session: the httpOnly cookie is invisible to scripts, so the session is known by
 * asking /auth/me, which also hands back the CSRF token every write must echo.
 */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<Me | null>(null);
  const [status, setStatus] = useState<Session['status']>('loading');
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    let live = true;
    get<Me>('/api/v1/auth/me').then(
      (r) => {
        if (!live) return;
        setCsrfToken(r.csrfToken);
        setMe(r);
        setStatus('user');
      },
      (err: unknown) => {
        if (!live) return;
        if (!(err instanceof ApiError && err.status === 401)) setError(err);
        setStatus('anonymous');
      },
    );
    return () => {
      live = false;
    };
  }, []);

  const login = useCallback(async (username: string, password: string, totp?: string) => {
    const r = await post<Me>('/api/v1/auth/login', { username, password, ...(totp ? { totp } : {}) });
    setCsrfToken(r.csrfToken);
    setMe(r);
    setStatus('user');
    setError(null);
    return r;
  }, []);

  const logout = useCallback(async () => {
    try {
      await post('/api/v1/auth/logout');
    } finally {
      setCsrfToken(null);
      setMe(null);
      setStatus('anonymous');
    }
  }, []);

  const value = useMemo<Session>(
    () => ({
      status,
      me,
      error,
      login,
      logout,
      hasRole: (...roles) => !!me && me.user.roles.some((r) => roles.includes(r)),
    }),
    [status, me, error, login, logout],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside SessionProvider');
  return s;
}
