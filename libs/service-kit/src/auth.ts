// Authentication (JWT bearer) and authorisation by role, the same in the gateway and in every service: services check
// the token the gateway forwards, so no internal endpoint trusts its caller blindly.
import { CanActivate, createParamDecorator, ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { createSecretKey, KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { z } from 'zod';
import { EventMeta, Role, ROLES } from '@agdar/contracts';
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

const claimsSchema = z.object({
  sub: z.string().min(1).max(200),
  tenant: z.string().regex(/^[A-Z][A-Z0-9]{1,15}$/),
  roles: z.array(z.enum(ROLES)).min(1),
});

export interface TokenVerifier {
  verify(token: string): AuthUser | Promise<AuthUser>;
}

export const unauthenticated = (reason: string) =>
  new DomainError('UNAUTHENTICATED', `The bearer token ${reason}; sign in again.`);

/** The caller a verified token names; its claims must be complete and well-formed. */
export function claimsOf(payload: unknown, token: string): AuthUser {
  const claims = claimsSchema.safeParse(payload);
  if (!claims.success)
    throw new DomainError('UNAUTHENTICATED', 'The bearer token lacks the sub, tenant or roles claims.');
  return { ...claims.data, token };
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
      payload = jwt.verify(token, this.key, { algorithms: ['HS256'] });
    } catch (error) {
      throw unauthenticated((error as Error).name === 'TokenExpiredError' ? 'has expired' : 'is not valid');
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
