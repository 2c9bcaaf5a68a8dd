// The gateway limits requests per caller per minute and says when to come back.
import { Platform, startPlatform, uniqueTenant } from './support/platform';

describe('rate limits', () => {
  let platform: Platform;
  beforeAll(async () => (platform = await startPlatform({ RATE_LIMIT_PER_MINUTE: '3' })));
  afterAll(async () => platform?.stop());

  it('answers 429 with Retry-After past the limit, for that caller only', async () => {
    // The limit counts per clock minute: start early in one, so the four requests cannot straddle two windows.
    const secondsLeft = 60 - (Math.floor(Date.now() / 1000) % 60);
    if (secondsLeft < 10) await new Promise((r) => setTimeout(r, secondsLeft * 1000 + 100));
    const tenant = uniqueTenant();
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
});
