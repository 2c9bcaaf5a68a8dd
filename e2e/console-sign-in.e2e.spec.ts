// Production sign-in of the console, in a real browser against a real OpenID Connect provider (panva's oidc-provider,
// its own process): the console sends the user to the provider with a PKCE challenge, the provider's login form signs
// them in, the console exchanges the code for tokens, and the provider's JWT access token opens the API, verified by
// the gateway and the services against the provider's JWKS. There is no development sign-in on this platform.
import { ChildProcess, spawn } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { join } from 'node:path';
import jwt from 'jsonwebtoken';
import { Browser } from 'playwright-core';
import { eventually, freePort } from '@agdar/testing';
import { en } from '../apps/console/src/i18n/messages';
import { Platform, startPlatform, uniqueTenant } from './support/platform';
import { accessibilityProblems, buildConsole, launchBrowser } from './support/browser';

/** The API as a resource server: resource indicators are absolute URIs, and the tokens' audience. */
const RESOURCE = 'https://api.agdar.example';

describe('the console signing in through an identity provider', () => {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const signingJwk = { ...privateKey.export({ format: 'jwk' }), kid: 'idp-1', use: 'sig', alg: 'RS256' };
  const tenant = uniqueTenant();
  let issuer: string;
  let identityProvider: ChildProcess;
  let platform: Platform;
  let browser: Browser;
  let base: string;

  /** A token as the provider would issue it, for arranging the tenant through the API. */
  const providerToken = (code: string, roles: string[]) =>
    jwt.sign({ sub: `setup-${roles[0]}`, tenant: code, roles }, privateKey, {
      algorithm: 'RS256',
      keyid: 'idp-1',
      issuer,
      audience: RESOURCE,
      expiresIn: 300,
    });

  beforeAll(async () => {
    buildConsole();
    const [providerPort, gatewayPort] = [await freePort(), await freePort()];
    issuer = `http://127.0.0.1:${providerPort}`;
    base = `http://127.0.0.1:${gatewayPort}`;
    identityProvider = spawn(process.execPath, [join(__dirname, 'support', 'identity-provider.mjs')], {
      env: {
        ...process.env,
        PORT: String(providerPort),
        REDIRECT_URI: `${base}/auth/callback`,
        TENANT: tenant,
        RESOURCE,
        SIGNING_JWK: JSON.stringify(signingJwk),
        NODE_ENV: 'test',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((resolve, reject) => {
      identityProvider.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && resolve());
      identityProvider.once('exit', (code) => reject(new Error(`the identity provider exited ${code}`)));
    });
    const verification = { JWKS_URL: `${issuer}/jwks`, JWT_ISSUER: issuer, JWT_AUDIENCE: RESOURCE };
    platform = await startPlatform(
      {
        ...verification,
        PORT: String(gatewayPort),
        OIDC_ISSUER: issuer,
        OIDC_CLIENT_ID: 'agdar-console',
        OIDC_SCOPE: 'openid profile api',
      },
      verification,
    );
    const created = await platform.api
      .as(providerToken('PLATFORM', ['platform-admin']))
      .post('/tenants', { code: tenant, name: 'IdP clinic', timezone: 'Asia/Riyadh', currency: 'SAR', vatRate: 0.15 });
    expect(created.status).toBe(201);
    const admin = platform.api.as(providerToken(tenant, ['admin']));
    await eventually(
      async () => (await admin.post('/clinics', { name: 'Olaya', timezone: 'Asia/Riyadh' })).status === 201,
      'the clinic to be created',
    );
    browser = await launchBrowser();
  }, 180000);

  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
    identityProvider?.kill();
  });

  it('signs reception in with the authorization code and PKCE, and the access token opens the API', async () => {
    const context = await browser.newContext({ locale: 'en-GB' });
    await context.addInitScript(`localStorage.setItem('agdar.console.language', 'en')`);
    const page = await context.newPage();
    const authorizations: URL[] = [];
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.origin === issuer && url.pathname === '/auth') authorizations.push(url);
    });

    await page.goto(`${base}/patients`);
    await page.getByRole('button', { name: en['signIn.oidc'] }).click();
    await page.waitForURL((url) => url.origin === issuer);
    await page.locator('input[name="login"]').fill('reception');
    await page.locator('input[name="password"]').fill('any password');
    await page.locator('button[type="submit"]').click();

    // Back at the console, signed in, on the page first asked for: patients come from the participant service.
    await page.waitForURL(`${base}/patients`);
    expect(await page.getByTestId('signed-in-as').textContent()).toBe('Reception (identity provider)');
    await page.getByRole('searchbox').waitFor();
    await page.waitForLoadState('networkidle');
    expect(await page.getByTestId('problem').count()).toBe(0);
    expect(await accessibilityProblems(page)).toEqual([]);

    expect(authorizations).toHaveLength(1);
    expect(authorizations[0].searchParams.get('response_type')).toBe('code');
    expect(authorizations[0].searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorizations[0].searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const stored = JSON.parse((await page.evaluate(`sessionStorage.getItem('agdar.console.session')`)) as string);
    const claims = jwt.decode(stored.token) as Record<string, unknown>;
    expect(claims).toMatchObject({ iss: issuer, aud: RESOURCE, sub: 'reception', tenant, roles: ['reception'] });

    // The roles the provider gave decide the menu: reception reads invoices but does not set prices.
    expect(await page.getByTestId('nav-/billing/invoices').count()).toBe(1);
    expect(await page.getByTestId('nav-/billing/prices').count()).toBe(0);
    expect(await page.getByTestId('nav-/patients').count()).toBe(1);
    const settings = await (await fetch(`${base}/console-settings.json`)).json();
    expect(settings).toEqual({
      signIn: 'oidc',
      authority: issuer,
      clientId: 'agdar-console',
      scope: 'openid profile api',
    });
    expect((await fetch(`${base}/api/dev/token`, { method: 'POST' })).status).toBe(404);
    await context.close();
  }, 120000);
});
