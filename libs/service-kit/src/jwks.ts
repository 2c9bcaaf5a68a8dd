// Production tokens: signed by the identity provider with an asymmetric key and verified, with jose, against the
// public keys it publishes at a JWKS URL (docs/api-guide.md). Keys are cached; a token signed with a key not seen yet
// (the provider rotated) makes the verifier fetch the set again, at most once per refresh interval, so junk tokens
// cannot turn the gateway into a load generator against the provider.
import { createLocalJWKSet, decodeProtectedHeader, JSONWebKeySet, jwtVerify } from 'jose';
import { AuthUser, claimsOf, CLOCK_SKEW_SECONDS, TokenVerifier, unauthenticated } from './auth';
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

/** The provider's asymmetric algorithms: an HS256 or "none" token can never pass for one of its tokens. */
const ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512'];

/**
 * Verifying a token is jose's (`jwtVerify` against a local key set: picking the key by id and algorithm, importing it,
 * the signature, exp, nbf, iss and aud). Fetching the set is ours, because of what jose's remote set does not do: keep
 * serving known keys while the provider is down after they went stale, and say why it has none.
 */
export class JwksTokenVerifier implements TokenVerifier {
  private keySet: ReturnType<typeof createLocalJWKSet> | null = null;
  private kids = new Set<string>();
  private fetchedAt = 0;
  private lastAttempt = 0;
  private lastMissFetch = 0;
  private fetching: Promise<void> | null = null;
  private lastError: string | null = null;

  constructor(private readonly options: JwksOptions) {}

  async verify(token: string): Promise<AuthUser> {
    let kid: unknown;
    try {
      kid = decodeProtectedHeader(token).kid;
    } catch {
      throw unauthenticated('is not a well-formed JWT');
    }
    if (typeof kid !== 'string') throw unauthenticated('has no key id (kid header)');
    await this.keysFor(kid);
    if (!this.kids.has(kid)) throw unauthenticated('is signed with a key the identity provider does not publish');
    let verified: Awaited<ReturnType<typeof jwtVerify>>;
    try {
      verified = await jwtVerify(token, this.keySet!, {
        algorithms: ALGORITHMS,
        issuer: this.options.issuer,
        audience: this.options.audience,
        clockTolerance: CLOCK_SKEW_SECONDS,
      });
    } catch (error) {
      throw refusalOfJose(error);
    }
    if (isIdToken(verified.protectedHeader, verified.payload))
      throw unauthenticated('is an ID token, which says who signed in; send an access token issued for this API');
    return claimsOf(verified.payload, token);
  }

  /** Fetches the key set now; the services call it at start-up so the first request does not wait for it. */
  async refresh(): Promise<void> {
    this.fetching ??= this.fetchKeys().finally(() => (this.fetching = null));
    return this.fetching;
  }

  /**
   * Without keys, every request waits for the (shared) fetch. Otherwise stale keys are fetched again, and a key id not
   * seen yet (the provider rotated) fetches the set, each at most once per interval; meanwhile stale keys keep serving
   * and unknown key ids are refused.
   */
  private async keysFor(kid: string): Promise<void> {
    const known = this.kids.has(kid);
    const now = Date.now();
    if (known && now - this.fetchedAt < (this.options.maxAgeMs ?? 600_000)) return;
    const interval = this.options.minRefreshIntervalMs ?? 30_000;
    const mayFetch =
      this.fetching !== null ||
      !this.kids.size ||
      (known ? now - this.lastAttempt >= interval : now - this.lastMissFetch >= interval);
    if (mayFetch) {
      if (!known && this.kids.size) this.lastMissFetch = now;
      await this.refresh().catch((error: Error) => (this.lastError = error.message));
    }
    if (!this.kids.size) {
      throw new DomainError(
        'SERVICE_UNAVAILABLE',
        `The identity provider's keys could not be fetched (${this.lastError ?? 'not yet'}); try again shortly.`,
      );
    }
  }

  private async fetchKeys(): Promise<void> {
    this.lastAttempt = Date.now();
    const response = await fetch(this.options.url, {
      signal: AbortSignal.timeout(this.options.fetchTimeoutMs ?? 3000),
    });
    if (!response.ok) throw new Error(`JWKS ${this.options.url} answered ${response.status}`);
    const set = (await response.json()) as Partial<JSONWebKeySet>;
    // Signing keys with an id only: jose picks among them by id, type and algorithm (and skips `use: enc` keys).
    const keys = (set.keys ?? []).filter((k) => typeof k.kid === 'string' && k.use !== 'enc');
    this.keySet = createLocalJWKSet({ keys });
    this.kids = new Set(keys.map((k) => k.kid!));
    this.fetchedAt = Date.now();
    this.lastError = null;
  }
}

/** jose's refusals as the platform words them (the same words as for the platform's own HMAC tokens). */
function refusalOfJose(error: unknown): DomainError {
  const { code, claim } = error as { code?: string; claim?: string };
  if (code === 'ERR_JWT_EXPIRED') return unauthenticated('has expired (exp claim)');
  if (code === 'ERR_JWT_CLAIM_VALIDATION_FAILED') {
    if (claim === 'nbf') return unauthenticated('is not valid yet (nbf claim)');
    if (claim === 'aud') return unauthenticated('is for another audience (aud claim)');
    if (claim === 'iss') return unauthenticated('is from another issuer (iss claim)');
  }
  if (code === 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED') return unauthenticated('has an invalid signature');
  if (code === 'ERR_JOSE_ALG_NOT_ALLOWED')
    return unauthenticated('is signed with an algorithm this platform does not accept');
  if (code === 'ERR_JWKS_NO_MATCHING_KEY')
    return unauthenticated('is signed with a key the identity provider does not publish');
  return unauthenticated('is not a well-formed JWT');
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
