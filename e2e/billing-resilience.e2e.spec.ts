// Billing as deployed: two replicas in processes of their own on one database, one of them SIGKILLed while bookings
// pour in, a payment whose answer is lost with its process, and the participants topic replayed from offset 0. The
// invoice numbers stay 1..n with no gap and no duplicate, and nothing is recorded twice.
import { randomBytes } from 'node:crypto';
import { Kafka } from 'kafkajs';
import { Topics } from '@agdar/contracts';
import { consumerLag, dataServiceEnv, eventually, freePort, sql, testEnv } from '@agdar/testing';
import { Platform, startPlatform } from './support/platform';
import { ClinicFixture, createSession, registerPatients, setUpClinic } from './support/clinic';
import { invoiceOf, priceServiceType } from './support/billing';
import { AnswerCutter } from './support/answer-cutter';
import { ChildService } from './support/child-service';

describe('billing replicas killed, restarted and replayed', () => {
  const env = dataServiceEnv('billing');
  const db = env.DATABASE_URL!;
  let first: ChildService; // behind the answer cutter: the one the gateway calls
  let second: ChildService;
  let cutter: AnswerCutter;
  let platform: Platform;
  let clinic: ClinicFixture;

  beforeAll(async () => {
    const port = await freePort();
    cutter = await AnswerCutter.start(() => port);
    first = await ChildService.start('billing', env, port);
    second = await ChildService.start('billing', env);
    platform = await startPlatform({}, {}, { billing: { url: `http://127.0.0.1:${cutter.port}`, databaseUrl: db } });
    clinic = await setUpClinic(platform);
    await priceServiceType(clinic, '250.00');
  }, 180000);
  afterAll(async () => {
    await platform?.stop();
    await second?.kill();
    await first?.dispose();
    await cutter?.stop();
  });

  const issuedNumbers = async () =>
    (
      await sql<{ number: string }>(db, `select number from invoices where tenant = $1 and number is not null`, [
        clinic.tenant,
      ])
    ).map((r) => Number(r.number.split('-').pop()));

  it('records a payment once when its billing process dies after the commit and the retry carries the same key', async () => {
    const [patientId] = await registerPatients(platform, clinic, 1);
    const session = await createSession(clinic);
    const booked = await clinic.reception.post(`/sessions/${session.id}/add-patient`, { patientId });
    const invoice = await invoiceOf(clinic, booked.body.appointmentNumber, 'ISSUED');
    const key = { 'idempotency-key': `pay-${randomBytes(4).toString('hex')}` };
    const body = { amount: '287.50', method: 'CARD', reference: 'slip 1' };
    const killed = new Promise<void>((resolve) => {
      cutter.onAnswer = () => void first.kill().then(resolve);
      cutter.armed = true;
    });

    const lost = await clinic.billing.post(`/invoices/${invoice.id}/payments`, body, key);
    expect(lost.status).toBe(503);
    await killed;
    const recorded = await sql<{ id: string }>(db, 'select id from payments where invoice_id = $1', [invoice.id]);
    expect(recorded).toHaveLength(1); // committed before the process died

    await first.restart();
    const retry = await clinic.billing.post(`/invoices/${invoice.id}/payments`, body, key);
    expect({ status: retry.status, id: retry.body.id, replayed: retry.headers.get('idempotent-replayed') }).toEqual({
      status: 201,
      id: recorded[0].id,
      replayed: 'true',
    });
    expect(retry.body.invoice).toMatchObject({ status: 'PAID', paid: '287.50' });
    expect(await sql(db, 'select id from payments where invoice_id = $1', [invoice.id])).toHaveLength(1);
    const again = await clinic.billing.post(`/invoices/${invoice.id}/payments`, body, {
      'idempotency-key': `pay-${randomBytes(4).toString('hex')}`,
    });
    expect({ status: again.status, code: again.body.code }).toEqual({ status: 409, code: 'INVOICE_SETTLED' });
  }, 120000);

  it('issues exactly one invoice per accepted booking, numbered without gap, with a replica SIGKILLed mid-burst', async () => {
    const before = (await issuedNumbers()).length;
    const patients = await registerPatients(platform, clinic, 205);
    const sessions: { id: string }[] = [];
    for (let i = 0; i < 10; i++) sessions.push(await createSession(clinic));
    // 25 patients want the first session's 20 seats: 200 bookings are accepted and 5 refused, whatever the order.
    const bookings = patients.map((patientId, i) => ({
      sessionId: sessions[i < 200 ? Math.floor(i / 20) : 0].id,
      patientId,
    }));
    bookings.sort((a, b) => (patients.indexOf(a.patientId) % 20) - (patients.indexOf(b.patientId) % 20));

    let killedAt = -1;
    let burstOver = false;
    const killer = (async () => {
      while (!burstOver && (await issuedNumbers()).length - before < 40) await new Promise((r) => setTimeout(r, 20));
      killedAt = (await issuedNumbers()).length - before;
      await first.kill('SIGKILL');
      await new Promise((r) => setTimeout(r, 500));
      await first.restart();
    })();
    const answers: { status: number; body: any }[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (next < bookings.length) {
          const { sessionId, patientId } = bookings[next++];
          answers.push(await clinic.reception.post(`/sessions/${sessionId}/add-patient`, { patientId }));
        }
      }),
    );
    burstOver = true;
    await killer;

    const accepted = answers.filter((a) => a.status === 201).map((a) => a.body.id as string);
    const refused = answers.filter((a) => a.status !== 201).map((a) => `${a.status} ${a.body.code}`);
    expect(accepted).toHaveLength(200);
    expect(refused).toEqual(Array.from({ length: 5 }, () => '409 SESSION_FULL'));
    expect(killedAt).toBeGreaterThanOrEqual(0);
    expect(killedAt).toBeLessThan(200); // the replica died with invoices still to issue

    await eventually(
      async () => (await issuedNumbers()).length - before === 200,
      '200 invoices issued after the replica restarted',
      90000,
    ).catch(async (error: Error) => {
      // What a stuck run looks like, for whoever reads the failure: how far billing got, and what it has not read.
      const issued = (await issuedNumbers()).length - before;
      const lag = await consumerLag('billing', Topics.participants.name);
      const drafts = await sql(db, `select appointment_number from invoices where tenant = $1 and status = 'DRAFT'`, [
        clinic.tenant,
      ]);
      throw new Error(
        `${error.message} (issued ${issued}, ${drafts.length} waiting as DRAFT; billing's lag per partition ` +
          `${JSON.stringify(lag)})`,
      );
    });
    const numbers = (await issuedNumbers()).sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: before + 200 }, (_, i) => i + 1));
    const invoiced = await sql<{ participant_id: string }>(
      db,
      `select participant_id from invoices where tenant = $1 and participant_id = any($2)`,
      [clinic.tenant, accepted],
    );
    expect(invoiced.map((r) => r.participant_id).sort()).toEqual([...accepted].sort());
    const [{ n }] = await sql<{ n: string }>(db, `select count(*) as n from invoices where tenant = $1`, [
      clinic.tenant,
    ]);
    expect(Number(n)).toBe(before + 200); // nothing for the refused bookings
    const [{ chained }] = await sql<{ chained: string }>(
      db,
      `select count(distinct previous_hash) as chained from invoices where tenant = $1 and number is not null`,
      [clinic.tenant],
    );
    expect(Number(chained)).toBe(before + 200); // one chain: no two documents cite the same predecessor
  }, 300000);

  it('creates nothing new when the participants topic is replayed from offset 0', async () => {
    const snapshot = () =>
      sql(
        db,
        `select (select count(*) from invoices where tenant = $1) as invoices,
                (select count(*) from credit_notes where tenant = $1) as credit_notes,
                (select count(*) from payments where tenant = $1) as payments,
                (select coalesce(sum(last_number), 0) from document_counters where tenant = $1) as numbers,
                (select last_hash from document_chains where tenant = $1) as chain`,
        [clinic.tenant],
      );
    const before = await snapshot();
    // Both replicas leave the group cleanly, so its offsets can be moved back to the start of the topic.
    await Promise.all([first.kill('SIGTERM'), second.kill('SIGTERM')]);
    const kafka = new Kafka({ clientId: 'test-replay', brokers: testEnv().kafkaBrokers, logLevel: 0 });
    const admin = kafka.admin();
    await admin.connect();
    try {
      await admin.resetOffsets({ groupId: 'billing', topic: Topics.participants.name, earliest: true });
      await first.restart();
      const end = await admin.fetchTopicOffsets(Topics.participants.name);
      await eventually(
        async () => {
          const [committed] = await admin.fetchOffsets({ groupId: 'billing', topics: [Topics.participants.name] });
          return end.every((p) => committed.partitions.find((c) => c.partition === p.partition)?.offset === p.high);
        },
        'billing to consume the whole participants topic again',
        120000,
      );
    } finally {
      await admin.disconnect();
    }
    expect(await snapshot()).toEqual(before);
  }, 240000);
});
