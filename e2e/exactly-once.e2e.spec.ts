// Retries are exactly once at the root: the service records the Idempotency-Key with the change in one transaction.
// A service SIGKILLed after its commit and before its answer reached the gateway, restarted, gets the retry and
// answers with the first answer; a booking whose answer was lost gets its own 201 again, not ALREADY_ENROLLED; and
// two copies of one request racing get one change and the same answer.
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createConnection, createServer, Server, Socket } from 'node:net';
import { join } from 'node:path';
import {
  announceTenant,
  ApiClient,
  dataServiceEnv,
  dropDatabase,
  eventually,
  freePort,
  readinessOf,
  repoRoot,
  sql,
  StartedService,
} from '@agdar/testing';
import { Platform, startGateway, startPlatform } from './support/platform';
import { createSession, registerPatients, setUpClinic } from './support/clinic';

/**
 * A TCP proxy in front of a service that, while `armed`, lets the request through and cuts the connection the moment
 * the service starts answering, after calling `onAnswer` (which may SIGKILL the service): the change is committed, the
 * answer never reaches the gateway.
 */
class AnswerCutter {
  armed = false;
  onAnswer: () => void = () => undefined;
  private readonly sockets = new Set<Socket>();
  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  static async start(targetPort: () => number): Promise<AnswerCutter> {
    let cutter: AnswerCutter;
    const server = createServer((client) => {
      const upstream = createConnection({ host: '127.0.0.1', port: targetPort() });
      for (const socket of [client, upstream]) {
        cutter.sockets.add(socket);
        socket.on('close', () => cutter.sockets.delete(socket));
        socket.on('error', () => undefined);
      }
      client.on('data', (chunk) => upstream.write(chunk));
      upstream.on('data', (chunk) => {
        if (!cutter.armed) return void client.write(chunk);
        cutter.armed = false;
        cutter.onAnswer();
        client.destroy();
        upstream.destroy();
      });
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cutter = new AnswerCutter(server, (server.address() as { port: number }).port);
    return cutter;
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

describe('a participant service killed between its commit and its answer', () => {
  let child: ChildProcess | null = null;
  let cutter: AnswerCutter;
  let gateway: StartedService;
  let servicePort: number;
  const env = dataServiceEnv('participant');

  const startChild = async () => {
    child = spawn(
      process.execPath,
      ['-r', join(repoRoot, 'tools/register.js'), join(repoRoot, 'apps/participant/src/main.ts')],
      {
        env: { ...process.env, ...env, PORT: String(servicePort) },
        stdio: 'ignore',
      },
    );
    await eventually(
      async () => (await readinessOf(`http://127.0.0.1:${servicePort}`).catch(() => ({ status: 0 }))).status === 200,
      'the participant service to be ready',
      60000,
    );
  };

  beforeAll(async () => {
    servicePort = await freePort();
    cutter = await AnswerCutter.start(() => servicePort);
    await startChild();
    await announceTenant('EXACTLY', `http://127.0.0.1:${servicePort}`);
    gateway = await startGateway({
      scheduling: `http://127.0.0.1:${await freePort()}`,
      participant: `http://127.0.0.1:${cutter.port}`,
      billing: `http://127.0.0.1:${await freePort()}`,
    });
  });
  afterAll(async () => {
    await gateway?.dispose();
    child?.kill('SIGKILL');
    await cutter?.stop();
    await dropDatabase(env.DATABASE_URL!);
  });

  it('answers the retry with the first answer, and registered the patient once', async () => {
    const reception = new ApiClient(`${gateway.url}/api`).asRole('EXACTLY', 'reception');
    const body = { firstNameEn: 'Rakan', lastNameEn: 'Otaibi', dateOfBirth: '2015-02-02', email: 'rakan@example.com' };
    const key = { 'idempotency-key': `kill-${randomBytes(4).toString('hex')}` };
    const killed = new Promise<void>((resolve) => {
      cutter.onAnswer = () => {
        child!.once('exit', () => resolve());
        child!.kill('SIGKILL');
      };
    });
    cutter.armed = true;

    const first = await reception.post('/patients', body, key);
    expect(first.status).toBe(503);
    await killed;
    const rows = await sql<{ id: string }>(env.DATABASE_URL!, 'select id from patients where tenant = $1', ['EXACTLY']);
    expect(rows).toHaveLength(1); // committed before the kill

    await startChild();
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
    const killed = new Promise<void>((resolve) => {
      cutter.onAnswer = () => {
        child!.once('exit', () => resolve());
        child!.kill('SIGKILL');
      };
    });
    cutter.armed = true;
    const first = await Promise.all(requests.map((r) => reception.post('/patients', r.body, r.key)));
    await killed;
    expect(first.filter((r) => r.status >= 500).length).toBeGreaterThan(0); // the kill cut some of them

    await startChild();
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
