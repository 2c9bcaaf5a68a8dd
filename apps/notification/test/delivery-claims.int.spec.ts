// The send queue's claims against the real database: a claim owns its rows, marks only what it holds, never gives a
// row that was handed to the provider to another sender (UNCERTAIN instead), and lets the messages that tell one seat
// a time go one at a time. Senders are played by the test, so each step happens exactly when the test says.
import { randomUUID } from 'node:crypto';
import { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { messagingEntities } from '@agdar/messaging';
import { ensureDatabase, initOrm, migrate } from '@agdar/service-kit';
import { dropDatabase, sql, uniqueDatabaseUrl } from '@agdar/testing';
import { DeliveriesRepository, NewDelivery } from '../src/messages/deliveries.repository';
import { SendingRepository } from '../src/messages/sending.repository';
import { notificationMigrations } from '../src/migrations';

describe('claims on the send queue', () => {
  const url = uniqueDatabaseUrl('notification');
  let orm: MikroORM;
  let deliveries: DeliveriesRepository;
  let sending: SendingRepository;
  const tenant = 'CLAIMS';

  beforeAll(async () => {
    await ensureDatabase(url);
    orm = (await initOrm({ url, entities: [...messagingEntities], migrations: notificationMigrations })) as MikroORM;
    await migrate(orm, url);
    deliveries = new DeliveriesRepository(orm);
    sending = new SendingRepository(orm);
  });
  afterAll(async () => {
    await orm?.close(true);
    await dropDatabase(url);
  });
  beforeEach(() => sql(url, `delete from deliveries`));

  const queue = async (rows: Partial<NewDelivery>[]) => {
    await (orm.em.fork() as EntityManager).transactional((em) =>
      deliveries.insert(
        em,
        rows.map((r) => ({
          tenant,
          dedupeKey: randomUUID(),
          kind: 'BOOKING_CONFIRMATION',
          channel: 'email',
          urgent: false,
          participantId: randomUUID(),
          patientId: randomUUID(),
          sessionId: randomUUID(),
          appointmentNumber: 'APT-CLAIMS-1',
          recipient: 'family@example.com',
          language: 'en',
          facts: {},
          status: 'QUEUED',
          reason: null,
          notBefore: new Date(Date.now() - 1000),
          correlationId: 'claims',
          ...r,
        })),
      ),
    );
  };
  const statusOf = async (id: string) =>
    (
      await sql<{ status: string; claim_id: string }>(url, 'select status, claim_id from deliveries where id = $1', [
        id,
      ])
    )[0];
  const leaseRunsOut = (id: string) =>
    sql(url, `update deliveries set lease_until = now() - interval '1 second' where id = $1`, [id]);
  const accepted = { messageId: '<1@sink>', providerAnswer: '250 OK' };

  it('never hands a row that was handed to the provider to another sender, even when its lease ran out mid-send', async () => {
    await queue([{}]);
    const [mine] = await sending.claimDue(10, 30);
    expect(await sending.markHanded(mine, 5, {})).toBe(true);
    await leaseRunsOut(mine.id); // a slow SMTP server: the send outlives the lease
    expect(await sending.claimDue(10, 30)).toEqual([]);
    expect((await statusOf(mine.id)).status).toBe('UNCERTAIN');
    // The first sender hears the answer after all: it knows, so it records it.
    await (orm.em.fork() as EntityManager).transactional((em) => sending.markSent(em, mine, accepted));
    expect((await statusOf(mine.id)).status).toBe('SENT');
  });

  it('marks a row only by the claim that holds it: a sender whose lease ran out before it handed the row over sends nothing', async () => {
    await queue([{}]);
    const [stale] = await sending.claimDue(10, 30);
    await leaseRunsOut(stale.id);
    const [taken] = await sending.claimDue(10, 30);
    expect(taken.id).toBe(stale.id);
    expect(taken.claimId).not.toBe(stale.claimId);
    expect(await sending.markHanded(stale, 5, {})).toBe(false);
    await sending.markRetry(stale, new Date(), 'late', null);
    await sending.markEnded(stale, 'FAILED', 'late');
    await (orm.em.fork() as EntityManager).transactional((em) => sending.markSent(em, stale, accepted));
    expect(await statusOf(stale.id)).toEqual({ status: 'SENDING', claim_id: taken.claimId });
    expect(await sending.markHanded(taken, 5, {})).toBe(true);
  });

  it('puts a row back when too little of its lease is left to finish the send', async () => {
    await queue([{}]);
    const [row] = await sending.claimDue(10, 2);
    expect(await sending.markHanded(row, 5, {})).toBe(false);
    expect((await statusOf(row.id)).status).toBe('QUEUED');
  });

  it('lets the messages that tell one seat a time go one at a time per channel', async () => {
    const participantId = randomUUID();
    await queue([
      { participantId, kind: 'BOOKING_CONFIRMATION', notBefore: new Date(Date.now() - 3000) },
      { participantId, kind: 'SESSION_RESCHEDULED', notBefore: new Date(Date.now() - 2000) },
      { participantId, kind: 'SESSION_RESCHEDULED', channel: 'sms', recipient: '+966500000001' },
      { participantId, kind: 'PARTICIPANT_CANCELLED' },
    ]);
    const first = await sending.claimDue(10, 30);
    expect(first.map((r) => `${r.kind}/${r.channel}`).sort()).toEqual([
      'BOOKING_CONFIRMATION/email',
      'PARTICIPANT_CANCELLED/email',
      'SESSION_RESCHEDULED/sms',
    ]);
    expect(await sending.claimDue(10, 30)).toEqual([]); // the email move waits for the confirmation
    const confirmation = first.find((r) => r.kind === 'BOOKING_CONFIRMATION')!;
    await (orm.em.fork() as EntityManager).transactional((em) => sending.markSent(em, confirmation, accepted));
    expect((await sending.claimDue(10, 30)).map((r) => `${r.kind}/${r.channel}`)).toEqual([
      'SESSION_RESCHEDULED/email',
    ]);
  });
});
