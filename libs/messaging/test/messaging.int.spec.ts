// The messaging backbone against a real PostgreSQL and Kafka, with real process kills at the worst moments.
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Kafka, Partitioners } from 'kafkajs';
import { MikroORM } from '@mikro-orm/postgresql';
import { buildEnvelope, addToOutbox, createKafka, ensureTopics, EventConsumer } from '../src';
import { deadLetterTopicOf } from '@agdar/contracts';
import {
  dropDatabase,
  eventually,
  KafkaReader,
  repoRoot,
  sql,
  TcpProxy,
  testEnv,
  uniqueDatabaseUrl,
} from '@agdar/testing';
import { ensureDatabase } from '@agdar/service-kit';
import { applyNote, noteEvent, noteTablesSql, openOrm } from './fixtures/note-events';

const quiet = { log: () => undefined, warn: () => undefined, error: () => undefined };

/** Worker processes still running: killed after each test, so a failed test leaves no process behind. */
const workers = new Set<ChildProcess>();
afterEach(() => {
  for (const child of workers) child.kill('SIGKILL');
  workers.clear();
});

function spawnWorker(env: Record<string, string>, output: 'pipe' | 'inherit'): ChildProcess {
  const child = spawn(
    process.execPath,
    ['-r', join(repoRoot, 'tools/register.js'), join(__dirname, 'fixtures/messaging-worker.ts')],
    { env: { ...process.env, ...env }, stdio: ['ignore', output, output] },
  );
  workers.add(child);
  child.on('exit', () => workers.delete(child));
  return child;
}

/** Runs a worker to its end (or its planned crash), with what it printed. */
function runWorker(
  env: Record<string, string>,
): Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawnWorker(env, 'pipe');
    let output = '';
    child.stdout!.on('data', (d) => (output += d));
    child.stderr!.on('data', (d) => (output += d));
    child.on('exit', (code, signal) => resolve({ code, signal, output }));
  });
}

function startWorker(env: Record<string, string>) {
  const child = spawnWorker(env, 'inherit');
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  return { stop: async () => (child.kill('SIGTERM'), exited) };
}

describe('messaging backbone', () => {
  let databaseUrl: string;
  let orm: MikroORM;
  let kafka: Kafka;
  let topic: string;
  let NoteRecorded: ReturnType<typeof noteEvent>;
  const createdTopics: string[] = [];

  beforeAll(async () => {
    databaseUrl = uniqueDatabaseUrl('messaging');
    await ensureDatabase(databaseUrl);
    for (const statement of noteTablesSql) await sql(databaseUrl, statement);
    orm = await openOrm(databaseUrl);
    kafka = createKafka({ brokers: testEnv().kafkaBrokers, clientId: 'messaging-test' }, quiet);
  });

  beforeEach(async () => {
    topic = `test.notes${randomBytes(4).toString('hex')}.v1`;
    NoteRecorded = noteEvent(topic);
    await ensureTopics(kafka, [NoteRecorded.topic, { ...NoteRecorded.topic, name: deadLetterTopicOf(topic) }]);
    createdTopics.push(topic, deadLetterTopicOf(topic));
  });

  afterAll(async () => {
    await orm.close();
    await dropDatabase(databaseUrl);
    // A broker named by KAFKA_BROKERS outlives the run: leave it without this file's topics.
    const admin = kafka.admin();
    await admin.connect();
    await admin.deleteTopics({ topics: createdTopics }).finally(() => admin.disconnect());
  });

  const meta = { tenant: 'TEST', actor: 'messaging-test', correlationId: 'corr-1' };
  const processedRows = async (groupId: string, eventId: string) =>
    Number(
      (
        await sql<{ n: string }>(
          databaseUrl,
          'select count(*) as n from processed_messages where consumer_group = $1 and message_id = $2',
          [groupId, eventId],
        )
      )[0].n,
    );
  const appliedCount = async (eventId: string) =>
    Number(
      (
        await sql<{ n: string }>(databaseUrl, 'select count(*) as n from applied_notes where event_id = $1', [eventId])
      )[0].n,
    );

  async function produceRaw(value: string, key: string = randomUUID()) {
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    await producer.send({ topic, acks: -1, messages: [{ key, value }] });
    await producer.disconnect();
  }

  it('publishes again after the relay is killed between publish and mark, and the consumer applies it once', async () => {
    const noteId = randomUUID();
    const envelope = await orm.em
      .fork()
      .transactional(async (em) => await addToOutbox(em, NoteRecorded, { noteId, text: 'hello' }, meta));
    const reader = await KafkaReader.start([topic]);
    const env = { DATABASE_URL: databaseUrl, KAFKA_BROKERS: testEnv().kafkaBrokers.join(','), MODE: 'relay' };

    const crashed = await runWorker({ ...env, CRASH_AFTER_PUBLISH: '1' });
    expect(crashed.signal).toBe('SIGKILL');
    await reader.waitFor((m) => m.value.id === envelope.id, 1);
    const [pending] = await sql(databaseUrl, 'select published_at from outbox_messages where id = $1', [envelope.id]);
    expect(pending.published_at).toBeNull();

    const recovered = await runWorker(env);
    expect(recovered.code).toBe(0);
    const copies = await reader.waitFor((m) => m.value.id === envelope.id, 2);
    expect(copies).toHaveLength(2);
    const [marked] = await sql(databaseUrl, 'select published_at from outbox_messages where id = $1', [envelope.id]);
    expect(marked.published_at).not.toBeNull();
    await reader.stop();

    const dlq = await KafkaReader.start([deadLetterTopicOf(topic)]);
    const consumer = new EventConsumer(kafka, orm, quiet, { groupId: `g-${topic}` }).on(NoteRecorded, (em, e) =>
      applyNote(em, e.id, e.data.noteId),
    );
    await consumer.start();
    const admin = kafka.admin();
    await admin.connect();
    await eventually(async () => {
      const [offsets] = await admin.fetchOffsets({ groupId: `g-${topic}`, topics: [topic] });
      return offsets.partitions.every((p) => Number(p.offset) >= 2);
    }, 'the consumer to commit past both copies');
    await admin.disconnect();
    await consumer.stop();
    expect(await appliedCount(envelope.id)).toBe(1);
    // The copy was recognised as applied, not refused: nothing went to the dead-letter topic.
    await dlq.catchUp();
    expect(dlq.messages).toEqual([]);
    expect(await processedRows(`g-${topic}`, envelope.id)).toBe(1);
  });

  it('sees a message again after the consumer is killed before committing its offset, and applies it once', async () => {
    const envelope = buildEnvelope(NoteRecorded, { noteId: randomUUID(), text: 'once' }, meta);
    await produceRaw(JSON.stringify(envelope), envelope.data.noteId);
    const groupId = `g-${topic}`;
    const env = {
      DATABASE_URL: databaseUrl,
      KAFKA_BROKERS: testEnv().kafkaBrokers.join(','),
      MODE: 'consume',
      TOPIC: topic,
      GROUP_ID: groupId,
    };

    const dlq = await KafkaReader.start([deadLetterTopicOf(topic)]);
    const crashed = await runWorker({ ...env, CRASH_BEFORE_COMMIT: '1' });
    expect(crashed.signal).toBe('SIGKILL');
    expect(await appliedCount(envelope.id)).toBe(1);
    const admin = kafka.admin();
    await admin.connect();
    const committed = async () =>
      Number((await admin.fetchOffsets({ groupId, topics: [topic] }))[0].partitions[0].offset);
    expect(await committed()).toBe(-1);

    const worker = startWorker(env);
    await eventually(
      async () => (await committed()) === 1,
      'the restarted consumer to process the message again and commit',
      45000,
    );
    await worker.stop();
    await admin.disconnect();
    expect(await appliedCount(envelope.id)).toBe(1);
    await dlq.catchUp();
    expect(dlq.messages).toEqual([]);
    expect(await processedRows(groupId, envelope.id)).toBe(1);
  });

  it('sends a message that fails its schema to the dead-letter topic with the reason, and later messages still flow', async () => {
    const bad = buildEnvelope(NoteRecorded, { noteId: randomUUID(), text: 'valid for now' }, meta);
    (bad.data as Record<string, unknown>).text = 42;
    const good = buildEnvelope(NoteRecorded, { noteId: randomUUID(), text: 'fine' }, meta);
    await produceRaw(JSON.stringify(bad));
    await produceRaw('this is not json');
    await produceRaw(JSON.stringify(good));
    const dlq = await KafkaReader.start([deadLetterTopicOf(topic)]);

    const consumer = new EventConsumer(kafka, orm, quiet, { groupId: `g-${topic}` }).on(NoteRecorded, (em, e) =>
      applyNote(em, e.id, e.data.noteId),
    );
    await consumer.start();
    await eventually(
      async () => (await appliedCount(good.id)) === 1,
      'the valid message after the poison ones to be applied',
    );
    const deadLetters = await dlq.waitFor(() => true, 2);
    await consumer.stop();
    await dlq.stop();

    const schemaFailure = deadLetters.find((m) => m.value?.id === bad.id)!;
    expect(schemaFailure.headers['dlq-reason']).toContain('text');
    expect(schemaFailure.headers['dlq-original-topic']).toBe(topic);
    expect(deadLetters.find((m) => m.value === 'this is not json')!.headers['dlq-reason']).toContain('not JSON');
    expect(await appliedCount(bad.id)).toBe(0);
  });

  it('retries a failure that may pass with backoff and dead-letters it after the last attempt, dead-letters a deterministic one at once, then moves on', async () => {
    const flaky = buildEnvelope(NoteRecorded, { noteId: randomUUID(), text: 'flaky' }, meta);
    const broken = buildEnvelope(NoteRecorded, { noteId: randomUUID(), text: 'broken' }, meta);
    const poison = buildEnvelope(NoteRecorded, { noteId: randomUUID(), text: 'poison' }, meta);
    const after = buildEnvelope(NoteRecorded, { noteId: randomUUID(), text: 'after' }, meta);
    for (const e of [flaky, broken, poison, after]) await produceRaw(JSON.stringify(e), 'same-key');
    const attempts = new Map<string, number>();
    const dlq = await KafkaReader.start([deadLetterTopicOf(topic)]);
    /** What PostgreSQL throws when two transactions deadlock: it may pass on another try. */
    const deadlock = (n: number) => Object.assign(new Error(`deadlock detected on attempt ${n}`), { code: '40P01' });

    const consumer = new EventConsumer(kafka, orm, quiet, {
      groupId: `g-${topic}`,
      maxAttempts: 3,
      initialBackoffMs: 20,
    }).on(NoteRecorded, async (em, e) => {
      const n = (attempts.get(e.id) ?? 0) + 1;
      attempts.set(e.id, n);
      await applyNote(em, e.id, e.data.noteId);
      if (e.id === broken.id || (e.id === flaky.id && n < 3)) throw deadlock(n);
      if (e.id === poison.id) throw new Error(`the tenant's settings make every booking fail (attempt ${n})`);
    });
    await consumer.start();
    await eventually(
      async () => (await appliedCount(after.id)) === 1,
      'the message after the broken one to be applied',
    );
    const deadLetters = await dlq.waitFor((m) => m.value?.id === broken.id || m.value?.id === poison.id, 2);
    await consumer.stop();
    await dlq.stop();

    expect(attempts.get(flaky.id)).toBe(3);
    expect(await appliedCount(flaky.id)).toBe(1);
    expect(attempts.get(broken.id)).toBe(3);
    expect(await appliedCount(broken.id)).toBe(0);
    expect(deadLetters.find((m) => m.value?.id === broken.id)!.headers['dlq-reason']).toContain('attempt 3');
    expect(attempts.get(poison.id)).toBe(1);
    expect(await appliedCount(poison.id)).toBe(0);
    expect(deadLetters.find((m) => m.value?.id === poison.id)!.headers['dlq-reason']).toContain('(attempt 1)');
  });

  it("dead-letters a database refusal without the statement's values: SQLSTATE and constraint, never the patient's text", async () => {
    await sql(
      databaseUrl,
      `create table if not exists unique_emails (email text constraint unique_emails_email unique)`,
    );
    const secret = `patient-${randomBytes(4).toString('hex')}@example.com`;
    const clash = buildEnvelope(NoteRecorded, { noteId: randomUUID(), text: secret }, meta);
    await produceRaw(JSON.stringify(clash));
    const dlq = await KafkaReader.start([deadLetterTopicOf(topic)]);
    const logged: string[] = [];
    const capturing = {
      log: () => undefined,
      warn: (m: string) => logged.push(m),
      error: (m: string) => logged.push(m),
    };

    const consumer = new EventConsumer(kafka, orm, capturing, { groupId: `g-${topic}` }).on(
      NoteRecorded,
      async (em, e) => {
        await em.execute('insert into unique_emails (email) values (?)', [e.data.text]);
        await em.execute('insert into unique_emails (email) values (?)', [e.data.text]);
      },
    );
    await consumer.start();
    const [dead] = await dlq.waitFor((m) => m.value?.id === clash.id, 1);
    await consumer.stop();
    await dlq.stop();

    const reason = dead.headers['dlq-reason'];
    expect(reason).toBe(
      'UniqueConstraintViolationException (SQLSTATE 23505, constraint unique_emails_email, table unique_emails)',
    );
    expect(logged.join('\n')).toContain('SQLSTATE 23505');
    expect(logged.join('\n')).not.toContain(secret);
  });

  describe('while the database is away', () => {
    let proxy: TcpProxy;
    let proxiedOrm: MikroORM;
    beforeEach(async () => {
      const server = new URL(testEnv().postgresUrl);
      proxy = await TcpProxy.start({ host: server.hostname, port: Number(server.port || 5432) });
      const proxied = new URL(databaseUrl);
      proxied.hostname = '127.0.0.1';
      proxied.port = String(proxy.port);
      proxiedOrm = await openOrm(proxied.toString());
    });
    afterEach(async () => {
      proxy.restore();
      await proxiedOrm.close(true);
      await proxy.stop();
    });
    const noteConsumer = () =>
      new EventConsumer(kafka, proxiedOrm, quiet, { groupId: `g-${topic}`, maxAttempts: 2, initialBackoffMs: 20 }).on(
        NoteRecorded,
        (em, e) => applyNote(em, e.id, e.data.noteId),
      );

    it('holds a message far longer than its retries allow, never dead-letters it, and applies it once the database is back', async () => {
      const event = buildEnvelope(NoteRecorded, { noteId: randomUUID(), text: 'during the outage' }, meta);
      const dlq = await KafkaReader.start([deadLetterTopicOf(topic)]);
      const consumer = noteConsumer();
      try {
        proxy.cut();
        await consumer.start();
        await produceRaw(JSON.stringify(event));
        await new Promise((r) => setTimeout(r, 3000)); // two attempts 20 ms apart would have given up long ago
        expect(await appliedCount(event.id)).toBe(0);

        proxy.restore();
        await eventually(
          async () => (await appliedCount(event.id)) === 1,
          'the message to be applied after the database is back',
          20000,
        );
        await new Promise((r) => setTimeout(r, 500));
        expect(dlq.messages).toHaveLength(0);
      } finally {
        await consumer.stop();
        await dlq.stop();
      }
    });

    it('stops while retrying, without committing: the next consumer of the group applies the message once', async () => {
      const event = buildEnvelope(NoteRecorded, { noteId: randomUUID(), text: 'stopped mid-retry' }, meta);
      const first = noteConsumer();
      proxy.cut();
      await first.start();
      await produceRaw(JSON.stringify(event));
      await new Promise((r) => setTimeout(r, 1000));
      await first.stop(); // bounded by the test's timeout: a stop that waited for the database would never return

      proxy.restore();
      const second = noteConsumer();
      try {
        await second.start();
        await eventually(
          async () => (await appliedCount(event.id)) === 1,
          'the next consumer to apply the message',
          30000,
        );
      } finally {
        await second.stop();
      }
      expect(await appliedCount(event.id)).toBe(1);
    });
  });
});
