// Authentication (JWT bearer) and authorisation by role, the same in the gateway and in every service: services check
// the token the gateway forwards, so no internal endpoint trusts its caller blindly.
import { CanActivate, createParamDecorator, ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { createSecretKey, KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { EventMeta, Role, ROLES, TENANT_CODE } from '@agdar/contracts';
import { DomainError } from './problems';
import { currentContext } from './request-context';

export { ROLES, STAFF } from '@agdar/contracts';
export type { Role } from '@agdar/contracts';

export interface AuthUser {
  sub: string;
  tenant: string;
  roles: Role[];
  token: string;
}

export interface TokenVerifier {
  verify(token: string): AuthUser | Promise<AuthUser>;
}

export const unauthenticated = (reason: string) =>
  new DomainError('UNAUTHENTICATED', `The bearer token ${reason}; sign in again.`);

/** Allowance for clocks that differ between the identity provider and us: seconds, for exp, nbf and iat. */
export const CLOCK_SKEW_SECONDS = 60;

/**
 * The caller a verified token names. Each claim is checked and the answer names the one that is wrong: `exp` is
 * required (a token that never expires is refused), `iat` may not lie in the future, `tenant` is a tenant code,
 * `roles` a list; roles this platform does not know are ignored, and a token left with none is 403.
 */
export function claimsOf(payload: unknown, token: string, nowSeconds = Date.now() / 1000): AuthUser {
  const claims = (payload && typeof payload === 'object' ? payload : {}) as Record<string, unknown>;
  if (typeof claims.exp !== 'number') throw unauthenticated('has no expiry (exp claim)');
  if (typeof claims.iat === 'number' && claims.iat > nowSeconds + CLOCK_SKEW_SECONDS) {
    throw unauthenticated('was issued in the future (iat claim)');
  }
  if (typeof claims.sub !== 'string' || !claims.sub || claims.sub.length > 200) {
    throw unauthenticated('has no sub claim naming the user (1-200 characters)');
  }
  if (typeof claims.tenant !== 'string') throw unauthenticated('has no tenant claim');
  if (!TENANT_CODE.test(claims.tenant)) {
    throw unauthenticated('has a tenant claim that is not a tenant code (2-16 capital letters or digits, like AGDAR)');
  }
  if (!Array.isArray(claims.roles) || !claims.roles.length) {
    throw unauthenticated("has no roles claim listing the user's roles");
  }
  const roles = claims.roles.filter((r): r is Role => (ROLES as readonly unknown[]).includes(r));
  if (!roles.length) {
    throw new DomainError('FORBIDDEN', `The token names no role this platform knows (${ROLES.join(', ')}).`);
  }
  return { sub: claims.sub, tenant: claims.tenant, roles: [...new Set(roles)], token };
}

/** Why jsonwebtoken refused a token, in words that name the claim or part at fault. */
export function refusalOf(error: unknown): DomainError {
  const { name, message } = error as Error;
  if (name === 'TokenExpiredError') return unauthenticated('has expired (exp claim)');
  if (name === 'NotBeforeError') return unauthenticated('is not valid yet (nbf claim)');
  if (/signature/.test(message)) return unauthenticated('has an invalid signature');
  if (/audience/.test(message)) return unauthenticated('is for another audience (aud claim)');
  if (/issuer/.test(message)) return unauthenticated('is from another issuer (iss claim)');
  if (/algorithm/.test(message)) return unauthenticated('is signed with an algorithm this platform does not accept');
  return unauthenticated('is not a well-formed JWT');
}

export class HmacTokenVerifier implements TokenVerifier {
  // A KeyObject, not the string: given a string, jsonwebtoken first tries (and fails) to parse it as a public key on
  // every call, which cost a seventh of the gateway's CPU under load.
  private readonly key: KeyObject;

  constructor(secret: string) {
    this.key = createSecretKey(Buffer.from(secret, 'utf8'));
  }

  verify(token: string): AuthUser {
    let payload: unknown;
    try {
      payload = jwt.verify(token, this.key, { algorithms: ['HS256'], clockTolerance: CLOCK_SKEW_SECONDS });
    } catch (error) {
      throw refusalOf(error);
    }
    return claimsOf(payload, token);
  }
}

/** Signs a token: for development, the demo seed and tests. Production tokens come from the identity provider. */
export function signToken(
  secret: string,
  claims: { sub: string; tenant: string; roles: Role[] },
  expiresInSeconds = 3600,
): string {
  return jwt.sign(claims, secret, { algorithm: 'HS256', expiresIn: expiresInSeconds });
}

const ROLES_KEY = 'agdar:roles';
const PUBLIC_KEY = 'agdar:public';

/** Who may call an endpoint. Endpoints without it are refused: nothing is open by accident. */
export const Roles = (...roles: readonly Role[]) => SetMetadata(ROLES_KEY, roles);
export const Public = () => SetMetadata(PUBLIC_KEY, true);

export const TOKEN_VERIFIER = Symbol('TOKEN_VERIFIER');

@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly verifier: TokenVerifier,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const request = context.switchToHttp().getRequest();
    const header: unknown = request.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer ([A-Za-z0-9._~+/=-]+)$/.exec(header) : null;
    if (!match) throw new DomainError('UNAUTHENTICATED', 'Send an Authorization: Bearer <token> header.');
    const user = await this.verifier.verify(match[1]);
    request.user = user;
    const allowed = this.reflector.getAllAndOverride<readonly Role[]>(ROLES_KEY, targets);
    if (!allowed || !user.roles.some((r) => allowed.includes(r))) {
      throw new DomainError('FORBIDDEN', `This needs one of the roles: ${(allowed ?? []).join(', ') || 'none'}.`);
    }
    return true;
  }
}

export const CurrentUser = createParamDecorator((_data: unknown, context: ExecutionContext): AuthUser => {
  return context.switchToHttp().getRequest().user;
});

/** The metadata of events caused by this caller's request. */
export function metaOf(user: AuthUser): EventMeta {
  return {
    tenant: user.tenant,
    actor: user.sub,
    correlationId: currentContext()?.correlationId ?? 'none',
    causationId: null,
  };
}

/** The roles an endpoint handler admits, as its guard reads them. */
export function rolesOf(handler: Function): readonly Role[] | undefined {
  return Reflect.getMetadata(ROLES_KEY, handler);
}
