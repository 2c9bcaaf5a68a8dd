// The database goes away mid-flow and comes back: readiness follows it, requests meanwhile get a 503 problem that
// says to retry (never a 500, never a hang), nothing half-written remains, and the service recovers by itself: what
// it stored before and after is published, with no restart.
import {
  announceTenant,
  ApiClient,
  dataServiceEnv,
  eventually,
  KafkaReader,
  sql,
  StartedService,
  startService,
  TcpProxy,
  testEnv,
  untilReadiness,
} from '@agdar/testing';
import { Topics } from '@agdar/contracts';
import { startParticipantService } from '../src/participant-service';

describe('participant service while its database restarts', () => {
  let proxy: TcpProxy;
  let service: StartedService;
  let directUrl: string;
  let api: ApiClient;

  beforeAll(async () => {
    const env = dataServiceEnv('participant');
    directUrl = env.DATABASE_URL!;
    const server = new URL(testEnv().postgresUrl);
    proxy = await TcpProxy.start({ host: server.hostname, port: Number(server.port || 5432) });
    const proxied = new URL(directUrl);
    proxied.hostname = '127.0.0.1';
    proxied.port = String(proxy.port);
    service = await startService(startParticipantService, { ...env, DATABASE_URL: proxied.toString() });
    await announceTenant('DBOUTAGE', service.url);
    api = new ApiClient(service.url).asRole('DBOUTAGE', 'reception');
  });
  afterAll(async () => {
    proxy?.restore();
    await service?.dispose();
    await proxy?.stop();
  });

  const patient = (name: string) => ({
    firstNameEn: name,
    lastNameEn: 'Outage',
    dateOfBirth: '2015-06-06',
    email: `${name.toLowerCase()}@example.com`,
  });

  it('answers 503 while the database is away, and recovers without a restart when it is back', async () => {
    const reader = await KafkaReader.start([Topics.patients.name]);
    const before = await api.post('/patients', patient('Before'));
    expect(before.status).toBe(201);

    proxy.cut();
    const down = await untilReadiness(service.url, false);
    expect(down.body.checks.database).toMatch(/^down/);
    expect(down.body.checks.kafka).toBe('up');

    const during = await api.post('/patients', patient('During'));
    expect({ status: during.status, code: during.body.code }).toEqual({ status: 503, code: 'SERVICE_UNAVAILABLE' });
    expect(during.body.detail).toContain('try again');
    expect((await api.get('/patients')).status).toBe(503);

    proxy.restore();
    await untilReadiness(service.url, true, 30000);
    const after = await api.post('/patients', patient('After'));
    expect(after.status).toBe(201);

    const stored = await sql<{ first_name_en: string }>(
      directUrl,
      `select first_name_en from patients where tenant = 'DBOUTAGE' order by created_at`,
    );
    expect(stored.map((r) => r.first_name_en)).toEqual(['Before', 'After']);
    // The relay publishes at least once: a cut between Kafka's ack and marking the row sent publishes it again, with
    // the same event id, which consumers skip. What must hold is that both events are published, each under one id.
    const events = () => {
      const byId = new Map<string, string>();
      for (const m of reader.messages.filter((m) => m.value?.tenant === 'DBOUTAGE'))
        byId.set(m.value.id, m.value.data.firstNameEn);
      return byId;
    };
    await eventually(async () => events().size >= 2, 'both events to be published');
    await reader.stop();
    expect([...events().values()].sort()).toEqual(['After', 'Before']); // two keys: two partitions, no order between them
    await eventually(async () => {
      const [{ pending }] = await sql<{ pending: string }>(
        directUrl,
        'select count(*) as pending from outbox_messages where published_at is null',
      );
      return pending === '0' || undefined;
    }, 'the outbox to be empty');
  });
});
