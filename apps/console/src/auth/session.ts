// Who is signed in: the token, kept for this browser tab only (sessionStorage), and the claims the console reads from
// it to decide what to show. The gateway checks the token on every call; these claims only shape the screens.
import type { Role } from '@agdar/contracts/browser';

export interface SignedIn {
  token: string;
  sub: string;
  tenant: string;
  roles: Role[];
  /** Seconds since the epoch. */
  exp: number;
  name: string | null;
  nameAr: string | null;
}

const KEY = 'agdar.console.session';

export function claimsOf(token: string): Pick<SignedIn, 'sub' | 'tenant' | 'roles' | 'exp'> | null {
  const [, payload] = token.split('.');
  if (!payload) return null;
  try {
    const json = atob(
      payload
        .replace(/-/g, '+')
        .replace(/_/g, '/')
        .padEnd(Math.ceil(payload.length / 4) * 4, '='),
    );
    const claims = JSON.parse(new TextDecoder().decode(Uint8Array.from(json, (c) => c.charCodeAt(0))));
    if (typeof claims.sub !== 'string' || typeof claims.exp !== 'number' || !Array.isArray(claims.roles)) return null;
    return { sub: claims.sub, tenant: String(claims.tenant ?? ''), roles: claims.roles, exp: claims.exp };
  } catch {
    return null;
  }
}

export function sessionFrom(token: string, names: { name?: string | null; nameAr?: string | null } = {}) {
  const claims = claimsOf(token);
  return claims ? { token, ...claims, name: names.name ?? null, nameAr: names.nameAr ?? null } : null;
}

export function loadSession(now = Date.now()): SignedIn | null {
  const raw = sessionStorage.getItem(KEY);
  if (!raw) return null;
  try {
    const session = JSON.parse(raw) as SignedIn;
    return session.exp * 1000 > now ? session : null;
  } catch {
    return null;
  }
}

export function saveSession(session: SignedIn | null): void {
  if (session) sessionStorage.setItem(KEY, JSON.stringify(session));
  else sessionStorage.removeItem(KEY);
}
