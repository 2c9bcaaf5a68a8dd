// When a service behind the gateway is down or hangs, callers get a 503 problem that says which service and what to
// do, within the upstream deadline, and the gateway's readiness turns red. An Idempotency-Key is freed for a retry when
// the request never reached the service, and kept when the service may have carried it out without answering.
import { createServer, Server, Socket } from 'node:net';
import { randomUUID } from 'node:crypto';
import { ApiClient, daysFromToday, freePort, StartedService } from '@agdar/testing';
import { startGateway } from './support/platform';

describe('the gateway when a service is down or silent', () => {
  let gateway: StartedService;
  let silent: Server;
  const sockets = new Set<Socket>();
  /** Every line the silent service was sent. */
  const received: string[] = [];
  let api: ApiClient;

  beforeAll(async () => {
    // Accepts connections and never answers, like a service stuck on a lock.
    silent = createServer((socket) => {
      sockets.add(socket);
      socket.on('data', (chunk) => received.push(...chunk.toString('latin1').split('\r\n')));
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    gateway = await startGateway(
      {
        scheduling: `http://127.0.0.1:${await freePort()}`, // nothing listens there
        participant: `http://127.0.0.1:${(silent.address() as { port: number }).port}`,
        billing: `http://127.0.0.1:${await freePort()}`,
        notification: `http://127.0.0.1:${await freePort()}`,
      },
      { UPSTREAM_TIMEOUT_MS: '300' },
    );
    api = new ApiClient(`${gateway.url}/api`);
  });
  afterAll(async () => {
    await gateway?.dispose();
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => silent?.close(resolve));
  });

  it('answers 503 SERVICE_UNAVAILABLE naming a service that is not reachable', async () => {
    const response = await api.asRole('AGDAR', 'reception').get('/sessions');
    expect(response.status).toBe(503);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(response.body).toMatchObject({
      code: 'SERVICE_UNAVAILABLE',
      detail: 'The scheduling service is not reachable right now; try again shortly.',
    });
  });

  // Bounded by the test's own timeout (8 s) rather than a wall-clock assertion: the 300 ms deadline answers long
  // before it, the 10 s default or a hang never would.
  it('answers 503 within the deadline when a service does not answer', async () => {
    const response = await api.asRole('AGDAR', 'reception').get('/patients?q=adam');
    expect(response.status).toBe(503);
    expect(response.body).toMatchObject({
      code: 'SERVICE_UNAVAILABLE',
      detail: 'The participant service did not answer in time; try again shortly.',
    });
  }, 8000);

  it('answers a change to a service that is not reachable with 503 telling the caller to retry with its key', async () => {
    const reception = api.asRole('AGDAR', 'reception');
    const body = {
      sessionType: 'GROUP',
      maxCapacity: 8,
      providerId: randomUUID(),
      clinicId: randomUUID(),
      roomId: randomUUID(),
      serviceTypeId: randomUUID(),
      scheduledDate: daysFromToday(60),
      scheduledTime: '10:00',
      durationMinutes: 60,
    };
    const response = await reception.post('/sessions', body, { 'idempotency-key': 'refused-upstream' });
    expect(response.body).toMatchObject({
      code: 'SERVICE_UNAVAILABLE',
      detail: 'The scheduling service is not reachable right now; retry with the same Idempotency-Key.',
    });
  });

  it('never re-sends a change on its own: a POST to a silent service reaches it once', async () => {
    received.length = 0;
    const reception = api.asRole('AGDAR', 'reception');
    const body = { firstNameEn: 'Adam', lastNameEn: 'Saleh', dateOfBirth: '2016-05-05', email: 'adam@example.com' };
    const first = await reception.post('/patients', body, { 'idempotency-key': 'timed-out' });
    expect(first.body).toMatchObject({
      code: 'SERVICE_UNAVAILABLE',
      detail: 'The participant service did not answer in time; retry with the same Idempotency-Key.',
    });
    expect(received.filter((line) => line.startsWith('POST /patients '))).toHaveLength(1);
  });

  it('reports itself not ready, naming both services but not where they are or what failed', async () => {
    const response = await fetch(`${gateway.url}/health/ready`);
    const text = await response.text();
    const body = JSON.parse(text) as { checks: Record<string, string> };
    expect(response.status).toBe(503);
    expect(text).not.toMatch(/127\.0\.0\.1|localhost|:\d{2,5}\b|ECONN|fetch failed/);
    expect(body.checks).toMatchObject({
      redis: 'up',
      scheduling: 'down',
      participant: 'down',
    });
  });
});
