// The gateway limits requests per caller per minute and says when to come back.
import { Platform, registerTenant, startPlatform } from './support/platform';

/** The limits count per clock minute: start early in one, so a test's requests cannot straddle two windows. */
async function earlyInAMinute() {
  const secondsLeft = 60 - (Math.floor(Date.now() / 1000) % 60);
  if (secondsLeft < 10) await new Promise((r) => setTimeout(r, secondsLeft * 1000 + 100));
}

describe('rate limits', () => {
  let platform: Platform;
  beforeAll(
    async () =>
      (platform = await startPlatform({ RATE_LIMIT_PER_MINUTE: '3', RATE_LIMIT_UNAUTHENTICATED_PER_MINUTE: '3' })),
  );
  afterAll(async () => platform?.stop());

  it('answers 429 with Retry-After past the limit, for that caller only', async () => {
    await earlyInAMinute();
    const tenant = await registerTenant(platform);
    const caller = platform.api.asRole(tenant, 'reception');
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await caller.get('/patients'));
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 429]);
    expect(answers[3].body.code).toBe('RATE_LIMITED');
    expect(Number(answers[3].headers.get('retry-after'))).toBeGreaterThan(0);
    expect(answers[0].headers.get('ratelimit-remaining')).toBe('2');

    const someoneElse = platform.api.asRole(tenant, 'admin');
    expect((await someoneElse.get('/patients')).status).toBe(200);
  }, 75000);

  it('limits requests that fail authentication per client address, then refuses only its failing requests', async () => {
    const tenant = await registerTenant(platform);
    await earlyInAMinute();
    const stranger = platform.api.as('not-a-token');
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await stranger.get('/clinics'));
    expect(answers.map((r) => r.status)).toEqual([401, 401, 401, 429]);
    expect(answers[0].headers.get('ratelimit-limit')).toBe('3');
    expect(answers[3].body.code).toBe('RATE_LIMITED');
    expect(Number(answers[3].headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await platform.api.as('another-bad-token').get('/clinics')).status).toBe(429);
    // Staff signed in on the same network are not locked out by a neighbour's bad tokens.
    const signedIn = await platform.api.asRole(tenant, 'admin').get('/clinics');
    expect(signedIn.status).toBe(200);
  }, 75000);

  it('counts each client behind a trusted proxy by its own address', async () => {
    const proxied = await startPlatform({ RATE_LIMIT_UNAUTHENTICATED_PER_MINUTE: '2', TRUST_PROXY: '1' });
    try {
      await earlyInAMinute();
      const from = (address: string) => proxied.api.as('not-a-token').get('/clinics', { 'x-forwarded-for': address });
      const first = [await from('203.0.113.7'), await from('203.0.113.7'), await from('203.0.113.7')];
      expect(first.map((r) => r.status)).toEqual([401, 401, 429]);
      expect((await from('198.51.100.9')).status).toBe(401); // another client behind the same proxy keeps its budget
    } finally {
      await proxied.stop();
    }
  }, 90000);
});
