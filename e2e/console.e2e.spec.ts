// The staff console in a real browser against the real platform, once in English and once in Arabic: reception signs
// in, creates a group session of capacity 3 and adds four patients (the fourth is refused inline, with other sessions
// offered), billing records a payment, reception checks that patient in, the provider marks a no-show and completes
// the session, and the roster shows ATTENDED and NO_SHOW with the reasons. Each screen passes axe-core (no serious or
// critical violation); a provider sees no billing and billing no add-patient action.
import { Browser, Page } from 'playwright-core';
import { ApiClient, clinicDateTime, eventually, letSessionBegin, tokenFor } from '@agdar/testing';
import { ar, en } from '../apps/console/src/i18n/messages';
import { Platform, registerTenant, startPlatform, uniqueTenant } from './support/platform';
import { createSession, setUpClinic, untilSchedulingKnows } from './support/clinic';
import { accessibilityProblems, buildConsole, choose, launchBrowser, rosterRow, screenshot } from './support/browser';

type Language = 'en' | 'ar';
type Words = typeof en;

interface Patient {
  id: string;
  en: string;
  ar: string;
}

const PATIENTS: Record<Language, [string, string][]> = {
  en: [
    ['Lina Haddad', 'لينا حداد'],
    ['Omar Nasser', 'عمر ناصر'],
    ['Yara Saleh', 'يارا صالح'],
    ['Adam Fahad', 'آدم فهد'],
  ],
  ar: [
    ['Sami Karim', 'سامي كريم'],
    ['Noor Adel', 'نور عادل'],
    ['Hala Zaid', 'هلا زيد'],
    ['Rami Tariq', 'رامي طارق'],
  ],
};

describe('staff console in a browser', () => {
  let platform: Platform;
  let browser: Browser;
  let tenant: string;
  let base: string;
  // Each journey books its own room and provider, picked by the name its layout shows (Arabic in Arabic).
  const rooms: Record<Language, string> = { en: 'Room 1', ar: 'غرفة 2' };
  const providers: Record<Language, string> = { en: 'Dr. Huda', ar: 'د. فيصل' };
  const patients: Record<Language, Patient[]> = { en: [], ar: [] };
  let otherSessionNumber: string;

  beforeAll(async () => {
    buildConsole();
    tenant = uniqueTenant();
    platform = await startPlatform({ DEV_SIGN_IN_TENANT: tenant });
    base = platform.gateway.url;
    await registerTenant(platform, tenant, 1440);
    const admin = platform.api.asRole(tenant, 'admin');
    const created = async (answer: Promise<{ status: number; body: any }>) => {
      const response = await answer;
      if (response.status !== 201 && response.status !== 200) throw new Error(JSON.stringify(response.body));
      return response.body;
    };
    const clinic = await created(admin.post('/clinics', { name: 'Olaya', nameAr: 'العليا', timezone: 'Asia/Riyadh' }));
    const roomIds = [];
    for (const [name, nameAr] of [
      ['Room 1', 'غرفة 1'],
      ['Room 2', 'غرفة 2'],
      ['Room 3', 'غرفة 3'],
    ])
      roomIds.push((await created(admin.post('/rooms', { clinicId: clinic.id, name, nameAr }))).id);
    const providerIds = [];
    for (const [name, nameAr] of [
      ['Dr. Huda', 'د. هدى'],
      ['Dr. Faisal', 'د. فيصل'],
      ['Dr. Reem', 'د. ريم'],
    ])
      providerIds.push((await created(admin.post('/providers', { name, nameAr, clinicId: clinic.id }))).id);
    const type = await created(
      admin.post('/service-types', {
        name: 'Group OT',
        nameAr: 'علاج وظيفي جماعي',
        code: 'OT_GROUP',
        defaultDurationMinutes: 45,
      }),
    );
    // Billing learns of the service type from scheduling's event, a moment later.
    const billing = platform.api.asRole(tenant, 'billing');
    await eventually(
      async () =>
        (await billing.put(`/billing/prices/${type.id}`, { amount: '150.00', currency: 'SAR' })).status === 200,
      'billing to price the service type',
    );
    // Another group of the same service next week, with free spots: what a refused booking offers instead.
    const other = await created(
      platform.api.asRole(tenant, 'reception').post('/sessions', {
        sessionType: 'GROUP',
        maxCapacity: 6,
        providerId: providerIds[2],
        clinicId: clinic.id,
        roomId: roomIds[2],
        serviceTypeId: type.id,
        ...clinicDateTime(new Date(Date.now() + 7 * 86400000)),
        durationMinutes: 45,
      }),
    );
    otherSessionNumber = other.sessionNumber;
    const reception = platform.api.asRole(tenant, 'reception');
    for (const language of ['en', 'ar'] as const) {
      for (const [nameEn, nameAr] of PATIENTS[language]) {
        const [firstNameEn, lastNameEn] = nameEn.split(' ');
        const [firstNameAr, lastNameAr] = nameAr.split(' ');
        const body = await created(
          reception.post('/patients', {
            firstNameEn,
            lastNameEn,
            firstNameAr,
            lastNameAr,
            dateOfBirth: '2017-03-04',
            email: `${firstNameEn.toLowerCase()}@example.com`,
            preferredLanguage: language,
          }),
        );
        patients[language].push({ id: body.id, en: nameEn, ar: nameAr });
      }
    }
    await untilSchedulingKnows(
      platform,
      [...patients.en, ...patients.ar].map((p) => p.id),
    );
    browser = await launchBrowser();
  }, 180000);

  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  });

  async function newPage(language: Language): Promise<Page> {
    const context = await browser.newContext({
      locale: language === 'ar' ? 'ar-SA' : 'en-GB',
      viewport: { width: 1400, height: 900 },
    });
    const page = await context.newPage();
    // The language is the user's choice, kept in the browser: set before the first screen renders.
    await page.addInitScript(`localStorage.setItem('agdar.console.language', '${language}')`);
    return page;
  }

  async function signIn(page: Page, role: 'reception' | 'billing' | 'provider') {
    await page.goto(`${base}/sign-in`);
    await page.getByTestId(`sign-in-${role}`).click();
    await page.getByTestId('signed-in-as').waitFor();
  }

  /** Signs a page in with a token of any tenant, as the console keeps one for its tab after a sign-in. */
  async function signInAs(page: Page, token: string) {
    const claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());
    const session = { token, ...claims, name: null, nameAr: null };
    await page.addInitScript(
      `sessionStorage.setItem('agdar.console.session', ${JSON.stringify(JSON.stringify(session))})`,
    );
  }

  async function signOut(page: Page) {
    await page.getByTestId('sign-out').click();
    await page.getByTestId('sign-in-reception').waitFor();
  }

  async function expectAccessible(page: Page, screen: string) {
    await page.waitForLoadState('networkidle');
    // Ant Design's lists close with an animation; axe looks at the page once they have.
    await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)').waitFor({ state: 'hidden' });
    expect({ screen, problems: await accessibilityProblems(page) }).toEqual({ screen, problems: [] });
  }

  async function statusOf(page: Page, patient: Patient): Promise<string | null> {
    return rosterRow(page, patient.en).getByTestId('participant-status').getAttribute('data-status');
  }

  async function journey(language: Language) {
    const words: Words = language === 'ar' ? ar : en;
    const [first, second, third, fourth] = patients[language];
    const name = (p: Patient) => (language === 'ar' ? p.ar : p.en);
    const page = await newPage(language);
    const shot = (what: string) => (language === 'ar' ? screenshot(page, `ar-${what}`) : Promise.resolve());

    // Reception signs in.
    await page.goto(`${base}/`);
    await page.getByTestId('sign-in-reception').waitFor();
    expect(await page.evaluate('[document.documentElement.lang, document.documentElement.dir]')).toEqual(
      language === 'ar' ? ['ar', 'rtl'] : ['en', 'ltr'],
    );
    await expectAccessible(page, 'sign-in');
    await shot('sign-in');
    await page.getByTestId('sign-in-reception').click();
    await page.getByTestId('today-title').waitFor();
    await expectAccessible(page, 'today');

    // Creates a group session of capacity 3, starting in a little while.
    const startAt = new Date(Math.ceil((Date.now() + 20 * 60000) / 300000) * 300000);
    const when = clinicDateTime(startAt);
    await page.getByTestId('nav-/sessions/new').click();
    await page.getByLabel(words['create.capacity'], { exact: true }).fill('3');
    await choose(page, words['common.clinic'], language === 'ar' ? 'العليا' : 'Olaya');
    await choose(page, words['common.room'], rooms[language]);
    await choose(page, words['common.provider'], providers[language]);
    await choose(page, words['common.serviceType'], language === 'ar' ? 'علاج وظيفي جماعي' : 'Group OT');
    await page.getByLabel(words['common.date'], { exact: true }).fill(when.scheduledDate);
    await page.getByLabel(words['common.time'], { exact: true }).fill(when.scheduledTime);
    await expectAccessible(page, 'create session');
    await shot('create-session');
    await page.getByTestId('create-session').click();
    await page.waitForURL(/\/sessions\/[0-9a-f-]{36}$/);
    const sessionUrl = page.url();
    await page.getByTestId('capacity').first().waitFor();
    expect(await page.getByTestId('capacity').first().textContent()).toContain('0/3');

    // Adds four patients, searching by name in the run's script: the fourth is refused, inline, with another session.
    for (const patient of [first, second, third, fourth]) {
      await page.getByTestId('patient-search').click();
      await page.keyboard.type(language === 'ar' ? patient.ar.split(' ')[0] : patient.en.split(' ')[0]);
      await page
        .locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option')
        .filter({ hasText: name(patient) })
        .first()
        .click();
      await page.getByTestId('add-patient').click();
      if (patient !== fourth) await rosterRow(page, patient.en).waitFor();
    }
    const refusal = page.getByTestId('add-patient-problem');
    await refusal.waitFor();
    expect(await refusal.getAttribute('data-code')).toBe('SESSION_FULL');
    expect(await refusal.textContent()).toContain(language === 'ar' ? 'الجلسة مكتملة' : 'The session is full (3 of 3)');
    await page.getByTestId('alternatives').getByText(otherSessionNumber).waitFor();
    expect(await rosterRow(page, fourth.en).count()).toBe(0);
    expect(await page.getByTestId('capacity').first().textContent()).toContain(`3/3 · ${words['capacity.full']}`);
    expect(await rosterRow(page, first.en).getByTestId('check-in').isDisabled()).toBe(true);
    expect(
      await rosterRow(page, first.en)
        .locator('[data-blocker]')
        .evaluateAll((tags) => tags.map((t) => t.getAttribute('data-blocker'))),
    ).toEqual(['consent', 'payment']);
    expect(await rosterRow(page, first.en).textContent()).toContain(name(first));
    await expectAccessible(page, 'session');
    await shot('session-full');
    const appointment = (await rosterRow(page, first.en).getByTestId('appointment-number').textContent())!;

    // Reception records the first patient's treatment consent on their page.
    await page.getByTestId('nav-/patients').click();
    await page.getByRole('searchbox').fill(first.en.split(' ')[0]);
    await page.getByRole('searchbox').press('Enter');
    await page.getByRole('link', { name: new RegExp(name(first)) }).click();
    await page.getByLabel(words['patients.grantedBy'], { exact: true }).fill('Parent');
    await expectAccessible(page, 'patient');
    await page.getByTestId('record-consent').click();
    await page.getByText(words['patients.consentRecorded']).waitFor();
    await signOut(page);

    // Billing records the payment; billing sees the session but cannot add patients, and has no patients screen.
    await signIn(page, 'billing');
    await page.goto(sessionUrl);
    await rosterRow(page, first.en).waitFor();
    expect(await page.getByTestId('add-patient').count()).toBe(0);
    expect(await page.getByTestId('remove').count()).toBe(0);
    expect(await page.getByTestId('nav-/patients').count()).toBe(0);
    await page.goto(`${base}/billing/invoices?appointmentNumber=${encodeURIComponent(appointment)}`);
    // Billing invoices the booking from scheduling's event: reload until the list has it.
    await eventually(
      async () => {
        await page.waitForLoadState('networkidle');
        if (await page.getByTestId('invoice-link').count()) return true;
        await page.reload();
        return false;
      },
      'the appointment invoice in the list',
      60000,
    );
    await expectAccessible(page, 'invoices');
    await page.getByTestId('invoice-link').first().click();
    await page.getByTestId('record-payment').waitFor();
    expect(await page.getByTestId('payment-amount').inputValue()).toBe('172.50');
    await expectAccessible(page, 'invoice');
    await shot('invoice');
    // The first answer is lost on the way back (the payment was recorded); the second click replays it, because the
    // form kept its Idempotency-Key: the family pays once.
    let lost = 0;
    await page.route('**/api/invoices/*/payments', async (route) => {
      if (lost++ > 0) return route.continue();
      await route.fetch();
      await route.abort('connectionreset');
    });
    await page.getByTestId('record-payment').click();
    await page.locator('[data-code="NETWORK"]').first().waitFor();
    await page.getByTestId('record-payment').click();
    await page.locator('[data-testid="invoice-status"][data-status="PAID"]').first().waitFor();
    await page.unroute('**/api/invoices/*/payments');
    const billing = platform.api.asRole(tenant, 'billing');
    const listed = await billing.get(`/invoices?appointmentNumber=${encodeURIComponent(appointment)}`);
    expect(lost).toBe(2);
    expect((await billing.get(`/invoices/${listed.body.items[0].id}`)).body.payments).toHaveLength(1);
    await signOut(page);

    // Reception checks the patient in once scheduling has heard of the payment and the consent.
    await signIn(page, 'reception');
    await page.goto(sessionUrl);
    const checkIn = rosterRow(page, first.en).getByTestId('check-in');
    await eventually(() => checkIn.isEnabled(), 'check-in to be allowed', 60000);
    await checkIn.click();
    await eventually(async () => (await statusOf(page, first)) === 'ARRIVED', 'the patient to have arrived', 30000);
    await page.goto(`${base}/messages?appointmentNumber=${encodeURIComponent(appointment)}`);
    await page.getByTestId('delivery-status').first().waitFor();
    await expectAccessible(page, 'messages');
    await signOut(page);

    // The provider: no billing; starts the session, marks a no-show with its reason, completes it.
    await signIn(page, 'provider');
    expect(await page.getByTestId('nav-/billing/invoices').count()).toBe(0);
    await page.goto(`${base}/billing/invoices`);
    await page.getByText(words['common.notAllowed']).waitFor();
    await page.goto(sessionUrl);
    await page.getByTestId('start-session').click();
    await page.locator('[data-testid="session-status"][data-status="IN_PROGRESS"]').waitFor();
    // Started early, nobody is a no-show yet, and the session cannot be completed (it would make no-shows) until the
    // session's time and the grace after it have come: the server offers neither, so neither is shown.
    expect(await rosterRow(page, second.en).getByTestId('no-show').count()).toBe(0);
    expect(await page.getByTestId('complete-session').count()).toBe(0);
    await letSessionBegin(platform.scheduling.databaseUrl!, new URL(sessionUrl).pathname.split('/').pop()!);
    await page.reload();
    await rosterRow(page, second.en).getByTestId('no-show').click();
    await page.getByTestId('reason').fill('Family emergency');
    await page.getByTestId('reason-submit').click();
    await eventually(async () => (await statusOf(page, second)) === 'NO_SHOW', 'the no-show to be recorded', 30000);
    await page.getByTestId('complete-session').click();
    await eventually(async () => (await statusOf(page, first)) === 'ATTENDED', 'the session to be completed', 30000);
    expect(await statusOf(page, second)).toBe('NO_SHOW');
    expect(await statusOf(page, third)).toBe('NO_SHOW');
    expect(await rosterRow(page, second.en).getByTestId('no-show-reason').textContent()).toContain('Family emergency');
    expect(await rosterRow(page, third.en).getByTestId('no-show-reason').textContent()).toContain(
      words['roster.notCheckedIn'],
    );
    expect(await rosterRow(page, first.en).getByTestId('participant-status').textContent()).toBe(
      words['participantStatus.ATTENDED'],
    );
    await expectAccessible(page, 'completed session');
    await shot('session-completed');
    if (language === 'en') {
      for (const [path, screen] of [
        ['/sessions', 'sessions'],
        ['/calendar', 'calendar'],
      ]) {
        await page.goto(`${base}${path}`);
        await page.locator('h1').first().waitFor();
        await expectAccessible(page, screen);
      }
    }
    expect(await page.evaluate('document.documentElement.dir')).toBe(language === 'ar' ? 'rtl' : 'ltr');
    await page.context().close();
  }

  it('runs a group session day in English', () => journey('en'), 300000);

  it('runs a group session day in Arabic, mirrored right to left', () => journey('ar'), 300000);

  it("offers Start as each tenant's own early start allows: not 10 minutes ahead at 5 minutes, at 60 it does", async () => {
    for (const [earlyStartMinutes, offered] of [
      [5, false],
      [60, true],
    ] as const) {
      const clinic = await setUpClinic(platform, 1, 1, earlyStartMinutes);
      const startAt = new Date(Math.ceil((Date.now() + 10 * 60000) / 60000) * 60000);
      const session = await createSession(clinic, clinicDateTime(startAt));
      const page = await newPage('en');
      await signInAs(page, tokenFor(clinic.tenant, ['reception']));
      await page.goto(`${base}/sessions/${session.id}`);
      // The page has rendered the server's offers once Reschedule (offered for any scheduled session) shows.
      await page.getByRole('button', { name: en['session.reschedule'] }).waitFor();
      expect({ earlyStartMinutes, start: await page.getByTestId('start-session').count() }).toEqual({
        earlyStartMinutes,
        start: offered ? 1 : 0,
      });
      await page.context().close();
    }
  }, 120000);

  it('is served at / with its own routes, long-cached assets and a policy that loads nothing foreign', async () => {
    const page = await fetch(`${base}/sessions/00000000-0000-4000-8000-000000000000?tab=history`, {
      headers: { accept: 'text/html' },
    });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(page.headers.get('cache-control')).toBe('no-cache');
    const html = await page.text();
    const script = html.match(/src="(\/assets\/[^"]+\.js)"/)![1];
    const asset = await fetch(`${base}${script}`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect((await fetch(`${base}/assets/missing.js`)).status).toBe(404);
    const api = await fetch(`${base}/api/nothing-here`, { headers: { accept: 'text/html,application/json' } });
    expect(api.status).toBe(404);
    expect(api.headers.get('content-type')).toContain('application/problem+json');
  });

  it('has no development sign-in unless the platform runs in development mode', async () => {
    const production = await startPlatform();
    try {
      const response = await fetch(`${production.gateway.url}/api/dev/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ userId: 'demo-admin' }),
      });
      expect(response.status).toBe(404);
      const settings = await (await fetch(`${production.gateway.url}/console-settings.json`)).json();
      expect(settings).toEqual({ signIn: 'none' });
    } finally {
      await production.stop();
    }
  });

  it('signs demo users in with tokens the API accepts, and refuses anyone else', async () => {
    const signIn = (body: unknown) =>
      fetch(`${base}/api/dev/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const refused = await signIn({ userId: 'intruder' });
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { code: string }).code).toBe('VALIDATION_FAILED');
    const answer = (await (await signIn({ userId: 'demo-billing' })).json()) as { token: string };
    const api = new ApiClient(`${base}/api`, answer.token);
    const me = await api.get('/me');
    expect(me.body).toMatchObject({ sub: 'demo-billing', roles: ['billing'], tenant: { code: tenant } });
    expect((await api.get('/patients')).status).toBe(403);
  });
});
