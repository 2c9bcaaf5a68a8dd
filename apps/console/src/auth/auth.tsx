// The signed-in user for the whole console: their token for the API, their roles for what the screens show, and sign
// out (also when the gateway answers 401: the token has expired or was refused).
import { createContext, ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import type { Role } from '@agdar/contracts/browser';
import { onSignedOut } from '../api/client';
import { mayCall, OperationId } from '../api/endpoints';
import { loadSession, saveSession, SignedIn } from './session';

interface AuthValue {
  user: SignedIn | null;
  signIn(session: SignedIn): void;
  signOut(): void;
  /** Whether the user's roles allow the operation: the console offers only what the API would accept. */
  can(operation: OperationId): boolean;
  hasRole(...roles: Role[]): boolean;
}

const AuthContext = createContext<AuthValue | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<SignedIn | null>(() => loadSession());
  const signIn = useCallback((session: SignedIn) => {
    saveSession(session);
    setUser(session);
  }, []);
  const signOut = useCallback(() => {
    saveSession(null);
    setUser(null);
  }, []);
  // Set while rendering, before any screen below asks the API for anything.
  onSignedOut(signOut);
  useEffect(() => {
    if (!user) return;
    const timer = setTimeout(signOut, Math.max(0, user.exp * 1000 - Date.now()));
    return () => clearTimeout(timer);
  }, [user, signOut]);
  const value = useMemo<AuthValue>(
    () => ({
      user,
      signIn,
      signOut,
      can: (operation) => !!user && mayCall(user.roles, operation),
      hasRole: (...roles) => !!user && roles.some((r) => user.roles.includes(r)),
    }),
    [user, signIn, signOut],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthValue {
  const value = useContext(AuthContext);
  if (!value) throw new Error('useAuth outside AuthProvider');
  return value;
}
