// Tokens of an identity provider, verified against the keys it publishes: a real HTTP JWKS endpoint in this process,
// real RSA and EC keys, tokens signed by jsonwebtoken as a provider would sign them.
import { createServer, Server } from 'node:http';
import { generateKeyPairSync, KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { JwksTokenVerifier } from '../src';

const claims = { sub: 'user-1', tenant: 'AGDAR', roles: ['reception'] };
const ISSUER = 'https://id.agdar.example';
const AUDIENCE = 'agdar-api';
const verifierAt = (url: string, options: { minRefreshIntervalMs?: number; maxAgeMs?: number } = {}) =>
  new JwksTokenVerifier({ url, issuer: ISSUER, audience: AUDIENCE, ...options });

function keyPair(kid: string, type: 'rsa' | 'ec') {
  const { publicKey, privateKey } =
    type === 'rsa'
      ? generateKeyPairSync('rsa', { modulusLength: 2048 })
      : generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return {
    kid,
    privateKey,
    jwk: { ...publicKey.export({ format: 'jwk' }), kid, use: 'sig' },
    algorithm: (type === 'rsa' ? 'RS256' : 'ES256') as jwt.Algorithm,
  };
}
const sign = (
  key: { kid: string; privateKey: KeyObject; algorithm: jwt.Algorithm },
  extra: object = {},
  options: jwt.SignOptions = {},
) =>
  jwt.sign({ ...claims, ...extra }, key.privateKey, {
    algorithm: key.algorithm,
    keyid: key.kid,
    expiresIn: 300,
    issuer: ISSUER,
    audience: AUDIENCE,
    ...options,
  });

describe('verifying tokens against a JWKS URL', () => {
  const first = keyPair('key-1', 'rsa');
  const second = keyPair('key-2', 'ec');
  let published = [first.jwk];
  let available = true;
  let fetches = 0;
  let server: Server;
  let url: string;

  beforeAll(async () => {
    server = createServer((_req, res) => {
      fetches++;
      if (!available) return void res.writeHead(503).end();
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: published }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}/.well-known/jwks.json`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));
  beforeEach(() => {
    published = [first.jwk];
    available = true;
    fetches = 0;
  });

  const refusal = async (verifier: JwksTokenVerifier, token: string) => {
    try {
      await verifier.verify(token);
      return 'accepted';
    } catch (error) {
      return `${(error as { code: string }).code}: ${(error as Error).message}`;
    }
  };

  it('accepts a token signed with a published key, fetching the keys once', async () => {
    const verifier = verifierAt(url);
    const token = sign(first);
    expect(await verifier.verify(token)).toEqual({ ...claims, token });
    await verifier.verify(sign(first));
    expect(fetches).toBe(1);
  });

  it('follows a key rotation: a token with a new key id fetches the keys again', async () => {
    const verifier = verifierAt(url);
    await verifier.verify(sign(first));
    published = [first.jwk, second.jwk];
    expect(await verifier.verify(sign(second))).toMatchObject(claims);
    expect(fetches).toBe(2);
  });

  it('refuses a key id the provider does not publish, fetching the keys once more but not for every such token', async () => {
    const verifier = verifierAt(url);
    await verifier.verify(sign(first));
    const stranger = keyPair('key-9', 'rsa');
    for (let i = 0; i < 5; i++) {
      expect(await refusal(verifier, sign(stranger))).toBe(
        'UNAUTHENTICATED: The bearer token is signed with a key the identity provider does not publish; sign in again.',
      );
    }
    // the first unknown key id looked again; within the interval the others are refused from the cache
    expect(fetches).toBe(2);
  });

  it.each([
    [
      'an HS256 token signed with the public key as its secret',
      () => jwt.sign(claims, JSON.stringify(first.jwk), { algorithm: 'HS256', keyid: 'key-1' }),
    ],
    ['an unsigned token', () => jwt.sign(claims, '', { algorithm: 'none', keyid: 'key-1' } as jwt.SignOptions)],
    ['a token without a key id', () => jwt.sign(claims, first.privateKey, { algorithm: 'RS256' })],
    ['an expired token (past the clock-skew allowance)', () => sign(first, {}, { expiresIn: -3600 })],
    ['a token without exp', () => jwt.sign(claims, first.privateKey, { algorithm: 'RS256', keyid: 'key-1' })],
    ['a token whose signature was tampered with', () => sign(first).replace(/\.[^.]+$/, '.AAAA')],
    ['a token without roles', () => sign(first, { roles: [] })],
  ])('refuses %s', async (_label, token) => {
    expect(await refusal(verifierAt(url), token())).toMatch(/^UNAUTHENTICATED: /);
  });

  it('refuses ID tokens and tokens of another application of the same provider', async () => {
    const verifier = verifierAt(url);
    const idToken = sign(first, { nonce: 'n-0S6_WzA2Mj', at_hash: 'HK6E_P6Dh8Y93mRNtsDB1Q' });
    expect(await refusal(verifier, idToken)).toBe(
      'UNAUTHENTICATED: The bearer token is an ID token, which says who signed in; send an access token issued for this API; sign in again.',
    );
    expect(await refusal(verifier, sign(first, { typ: 'ID' }))).toMatch(/is an ID token/);
    // An RFC 9068 access token is one whatever its claims.
    expect(
      await verifier.verify(sign(first, { nonce: 'x' }, { header: { alg: 'RS256', typ: 'at+jwt' } })),
    ).toMatchObject(claims);
    expect(await refusal(verifier, sign(first, {}, { audience: 'the-mobile-app' }))).toMatch(/another audience/);
  });

  it('checks the issuer and the audience on every token', async () => {
    const verifier = verifierAt(url);
    expect(
      await verifier.verify(sign(first, {}, { issuer: 'https://id.agdar.example', audience: 'agdar-api' })),
    ).toMatchObject(claims);
    expect(await refusal(verifier, sign(first, {}, { issuer: 'https://evil.example', audience: 'agdar-api' }))).toMatch(
      /^UNAUTHENTICATED/,
    );
    expect(
      await refusal(verifier, sign(first, {}, { issuer: 'https://id.agdar.example', audience: 'another-api' })),
    ).toMatch(/^UNAUTHENTICATED/);
  });

  it('answers 503 while it has no keys because the provider is down, and keeps verifying with known keys when it goes down later', async () => {
    available = false;
    const verifier = verifierAt(url, { minRefreshIntervalMs: 0, maxAgeMs: 0 });
    expect(await refusal(verifier, sign(first))).toMatch(
      /^SERVICE_UNAVAILABLE: The identity provider's keys could not be fetched \(JWKS .* answered 503\)/,
    );
    available = true;
    await verifier.verify(sign(first));
    available = false;
    expect(await verifier.verify(sign(first))).toMatchObject(claims); // stale keys, fetch failed: still served
  });
});
