// Production tokens: signed by the identity provider with an asymmetric key and verified against the public keys it
// publishes at a JWKS URL (docs/api-guide.md). Keys are cached; a token signed with a key not seen yet (the provider
// rotated) makes the verifier fetch the set again, at most once per refresh interval, so junk tokens cannot turn the
// gateway into a load generator against the provider.
import { createPublicKey, JsonWebKey, KeyObject } from 'node:crypto';
import jwt, { Algorithm } from 'jsonwebtoken';
import { AuthUser, claimsOf, CLOCK_SKEW_SECONDS, refusalOf, TokenVerifier, unauthenticated } from './auth';
import { DomainError } from './problems';

export interface JwksOptions {
  url: string;
  /** The `iss` and `aud` claims every token must carry: the provider's issuer and this API's audience. */
  issuer: string;
  audience: string;
  /** Keys older than this are fetched again on the next token (default 10 minutes). */
  maxAgeMs?: number;
  /** At most one fetch per this interval for unknown key ids, and one for stale keys (default 30 s). */
  minRefreshIntervalMs?: number;
  fetchTimeoutMs?: number;
}

interface SigningKey {
  key: KeyObject;
  algorithms: Algorithm[];
}

const ALGORITHMS_OF: Record<string, Algorithm[]> = {
  RSA: ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512'],
  EC: ['ES256', 'ES384', 'ES512'],
};

export class JwksTokenVerifier implements TokenVerifier {
  private keys = new Map<string, SigningKey>();
  private fetchedAt = 0;
  private lastAttempt = 0;
  private lastMissFetch = 0;
  private fetching: Promise<void> | null = null;
  private lastError: string | null = null;

  constructor(private readonly options: JwksOptions) {}

  async verify(token: string): Promise<AuthUser> {
    const decoded = jwt.decode(token, { complete: true });
    const kid = decoded?.header.kid;
    if (!decoded) throw unauthenticated('is not a well-formed JWT');
    if (typeof kid !== 'string') throw unauthenticated('has no key id (kid header)');
    const key = await this.keyFor(kid);
    if (!key) throw unauthenticated('is signed with a key the identity provider does not publish');
    let payload: unknown;
    try {
      // Only the algorithms of that key: an HS256 or "none" token can never pass for one of the provider's.
      payload = jwt.verify(token, key.key, {
        algorithms: key.algorithms,
        issuer: this.options.issuer,
        audience: this.options.audience,
        clockTolerance: CLOCK_SKEW_SECONDS,
      });
    } catch (error) {
      throw refusalOf(error);
    }
    if (isIdToken(decoded.header, payload))
      throw unauthenticated('is an ID token, which says who signed in; send an access token issued for this API');
    return claimsOf(payload, token);
  }

  /** Fetches the key set now; the services call it at start-up so the first request does not wait for it. */
  async refresh(): Promise<void> {
    this.fetching ??= this.fetchKeys().finally(() => (this.fetching = null));
    return this.fetching;
  }

  private async keyFor(kid: string): Promise<SigningKey | undefined> {
    const known = this.keys.get(kid);
    const now = Date.now();
    if (known && now - this.fetchedAt < (this.options.maxAgeMs ?? 600_000)) return known;
    // Without keys, every request waits for the (shared) fetch. Otherwise stale keys are fetched again, and a key id
    // not
    // seen yet (the provider rotated) fetches the set, each at most once per interval; meanwhile stale keys keep
    // serving and unknown key ids are refused.
    const interval = this.options.minRefreshIntervalMs ?? 30_000;
    const mayFetch =
      this.fetching !== null ||
      !this.keys.size ||
      (known ? now - this.lastAttempt >= interval : now - this.lastMissFetch >= interval);
    if (mayFetch) {
      if (!known && this.keys.size) this.lastMissFetch = now;
      await this.refresh().catch((error: Error) => (this.lastError = error.message));
    }
    if (!this.keys.size) {
      throw new DomainError(
        'SERVICE_UNAVAILABLE',
        `The identity provider's keys could not be fetched (${this.lastError ?? 'not yet'}); try again shortly.`,
      );
    }
    return this.keys.get(kid);
  }

  private async fetchKeys(): Promise<void> {
    this.lastAttempt = Date.now();
    const response = await fetch(this.options.url, {
      signal: AbortSignal.timeout(this.options.fetchTimeoutMs ?? 3000),
    });
    if (!response.ok) throw new Error(`JWKS ${this.options.url} answered ${response.status}`);
    const set = (await response.json()) as { keys?: (JsonWebKey & { kid?: string; use?: string; alg?: string })[] };
    const keys = new Map<string, SigningKey>();
    for (const jwk of set.keys ?? []) {
      const algorithms = ALGORITHMS_OF[jwk.kty ?? ''];
      if (!jwk.kid || !algorithms || jwk.use === 'enc') continue;
      try {
        keys.set(jwk.kid, {
          key: createPublicKey({ key: jwk, format: 'jwk' }),
          algorithms: jwk.alg ? algorithms.filter((a) => a === jwk.alg) : algorithms,
        });
      } catch {
        // a key this runtime cannot read is skipped; the others still serve
      }
    }
    this.keys = keys;
    this.fetchedAt = Date.now();
    this.lastError = null;
  }
}

/**
 * An OpenID Connect ID token rather than an access token: one typed as an access token (RFC 9068 `at+jwt`) never is;
 * otherwise the claims only ID tokens carry (`nonce`, `at_hash`, `c_hash`, or Keycloak's `typ: "ID"`) give it away.
 */
export function isIdToken(header: { typ?: string }, payload: unknown): boolean {
  if (header.typ?.toLowerCase() === 'at+jwt') return false;
  const claims = (payload && typeof payload === 'object' ? payload : {}) as Record<string, unknown>;
  return claims.typ === 'ID' || 'nonce' in claims || 'at_hash' in claims || 'c_hash' in claims;
}
