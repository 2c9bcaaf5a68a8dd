// Retries are exactly once at the root: the service records the Idempotency-Key with the change in one transaction.
// A service SIGKILLed after its commit and before its answer reached the gateway, restarted, gets the retry and
// answers with the first answer; a booking whose answer was lost gets its own 201 again, not ALREADY_ENROLLED; and
// two copies of one request racing get one change and the same answer.
import { randomBytes } from 'node:crypto';
import { announceTenant, ApiClient, dataServiceEnv, freePort, sql, StartedService } from '@agdar/testing';
import { Platform, startGateway, startPlatform } from './support/platform';
import { createSession, registerPatients, setUpClinic } from './support/clinic';
import { AnswerCutter } from './support/answer-cutter';
import { ChildService } from './support/child-service';

describe('a participant service killed between its commit and its answer', () => {
  let service: ChildService;
  let cutter: AnswerCutter;
  let gateway: StartedService;
  const env = dataServiceEnv('participant');
  /** Arms the cutter to SIGKILL the service the moment it starts answering; resolves once it is gone. */
  const killOnAnswer = () =>
    new Promise<void>((resolve) => {
      cutter.onAnswer = () => void service.kill().then(resolve);
      cutter.armed = true;
    });

  beforeAll(async () => {
    const servicePort = await freePort();
    cutter = await AnswerCutter.start(() => servicePort);
    service = await ChildService.start('participant', env, servicePort);
    await announceTenant('EXACTLY', service.url);
    gateway = await startGateway({
      scheduling: `http://127.0.0.1:${await freePort()}`,
      participant: `http://127.0.0.1:${cutter.port}`,
      billing: `http://127.0.0.1:${await freePort()}`,
      notification: `http://127.0.0.1:${await freePort()}`,
    });
  });
  afterAll(async () => {
    await gateway?.dispose();
    await service?.dispose();
    await cutter?.stop();
  });

  it('answers the retry with the first answer, and registered the patient once', async () => {
    const reception = new ApiClient(`${gateway.url}/api`).asRole('EXACTLY', 'reception');
    const body = { firstNameEn: 'Rakan', lastNameEn: 'Otaibi', dateOfBirth: '2015-02-02', email: 'rakan@example.com' };
    const key = { 'idempotency-key': `kill-${randomBytes(4).toString('hex')}` };
    const killed = killOnAnswer();

    const first = await reception.post('/patients', body, key);
    expect(first.status).toBe(503);
    await killed;
    const rows = await sql<{ id: string }>(env.DATABASE_URL!, 'select id from patients where tenant = $1', ['EXACTLY']);
    expect(rows).toHaveLength(1); // committed before the kill

    await service.restart();
    const retry = await reception.post('/patients', body, key);
    expect({ status: retry.status, id: retry.body.id, replayed: retry.headers.get('idempotent-replayed') }).toEqual({
      status: 201,
      id: rows[0].id,
      replayed: 'true',
    });
    expect(await sql(env.DATABASE_URL!, 'select id from patients where tenant = $1', ['EXACTLY'])).toHaveLength(1);
  }, 120000);

  it('under load: 16 registrations in flight when the service is killed, retried with their keys, make 16 patients', async () => {
    const reception = new ApiClient(`${gateway.url}/api`).asRole('EXACTLY', 'reception');
    const before = (await sql(env.DATABASE_URL!, 'select id from patients where tenant = $1', ['EXACTLY'])).length;
    const requests = Array.from({ length: 16 }, (_, i) => ({
      body: { firstNameEn: `Load${i}`, lastNameEn: 'Test', dateOfBirth: '2015-02-02', email: `load${i}@example.com` },
      key: { 'idempotency-key': `load-${i}-${randomBytes(3).toString('hex')}` },
    }));
    const killed = killOnAnswer();
    const first = await Promise.all(requests.map((r) => reception.post('/patients', r.body, r.key)));
    await killed;
    expect(first.filter((r) => r.status >= 500).length).toBeGreaterThan(0); // the kill cut some of them

    await service.restart();
    const retries = await Promise.all(requests.map((r) => reception.post('/patients', r.body, r.key)));
    expect(retries.map((r) => r.status)).toEqual(requests.map(() => 201));
    const rows = await sql<{ id: string }>(env.DATABASE_URL!, 'select id from patients where tenant = $1', ['EXACTLY']);
    expect(rows.length - before).toBe(16);
    const answered = new Set(retries.map((r) => r.body.id));
    expect(answered.size).toBe(16);
    for (const id of answered) expect(rows.map((r) => r.id)).toContain(id);
  }, 120000);
});

describe('a booking whose answer was lost, and racing copies of one request', () => {
  let platform: Platform;
  let cutter: AnswerCutter;
  let gateway: StartedService;

  beforeAll(async () => {
    platform = await startPlatform();
    cutter = await AnswerCutter.start(() => Number(new URL(platform.scheduling.url).port));
    gateway = await startGateway({
      scheduling: `http://127.0.0.1:${cutter.port}`,
      participant: platform.participant.url,
      billing: platform.billing.url,
      notification: platform.notification.url,
    });
  });
  afterAll(async () => {
    await gateway?.dispose();
    await cutter?.stop();
    await platform?.stop();
  });

  it('gets its own 201 on retry, not ALREADY_ENROLLED, and one seat', async () => {
    const clinic = await setUpClinic(platform);
    const [patientId] = await registerPatients(platform, clinic, 1);
    const session = await createSession(clinic);
    const reception = new ApiClient(`${gateway.url}/api`).asRole(clinic.tenant, 'reception');
    const key = { 'idempotency-key': `book-${session.id}` };
    cutter.armed = true;
    const lost = await reception.post(`/sessions/${session.id}/add-patient`, { patientId }, key);
    expect(lost.status).toBe(503);

    const retry = await reception.post(`/sessions/${session.id}/add-patient`, { patientId }, key);
    expect({ status: retry.status, replayed: retry.headers.get('idempotent-replayed') }).toEqual({
      status: 201,
      replayed: 'true',
    });
    const roster = (await clinic.reception.get(`/sessions/${session.id}`)).body.participants;
    expect(roster.map((p: { id: string }) => p.id)).toEqual([retry.body.id]);
  });

  it('carries out two racing copies of one request once, and answers both alike', async () => {
    const clinic = await setUpClinic(platform);
    const key = { 'idempotency-key': `race-${randomBytes(4).toString('hex')}` };
    const body = { firstNameEn: 'Twin', lastNameEn: 'Request', dateOfBirth: '2016-06-06', email: 'twin@example.com' };
    const answers = await Promise.all(Array.from({ length: 5 }, () => clinic.reception.post('/patients', body, key)));
    expect(answers.map((a) => a.status)).toEqual([201, 201, 201, 201, 201]);
    expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
    expect((await clinic.reception.get('/patients')).body.total).toBe(1);
  });
});
