// The fault suite: the whole pipeline through one fault at a time. Each run books FAULT_BOOKINGS participants (200 by
// default) across group sessions through the gateway while the fault happens, moves two sessions, cancels two seats,
// takes ten payments, and then compares every database and both sinks with what the clinic was told (ledger.ts).
// One table at the end: fault × accepted, invoices, confirmations, reminders, uncertain, duplicates, lost, wrong time,
// overbooked, 5xx. A run fails on any duplicate, loss, wrong time, overbooking or 5xx, and on more UNCERTAIN messages
// than the README promises (at most the sends in flight at the moment of the fault: SENDER_CONCURRENCY, 32).
import { Kafka, Partitioners } from 'kafkajs';
import { Topics } from '@agdar/contracts';
import { consumerLag, eventually, TcpProxy } from '@agdar/testing';
import { FaultPlatform, FaultService } from './support/fault-platform';
import { FaultRow, measure, settle, tableOf } from './support/ledger';
import { arrange, Hooks, runHistory } from './support/workload';

const BOOKINGS = Number(process.env.FAULT_BOOKINGS ?? 200);
const IN_FLIGHT = 32;
const CONSUMER_GROUPS: Partial<Record<FaultService, string>> = {
  scheduling: 'scheduling.patients',
  participant: 'participant.tenants',
  billing: 'billing',
  notification: 'notification',
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('the pipeline through one fault at a time', () => {
  let platform: FaultPlatform;
  const rows: FaultRow[] = [];

  beforeAll(async () => {
    platform = await FaultPlatform.start();
  }, 240_000);
  afterAll(async () => {
    process.stdout.write(`\nfault suite: ${BOOKINGS} bookings a run\n${tableOf(rows)}\n`);
    await platform?.stop();
  }, 120_000);

  /** Back in: seconds from the restart to ready, and to consuming again (its group stable with one member). */
  let backIn: string | null = null;
  const kill = (service: FaultService) => async () => {
    await platform.services[service].kill('SIGKILL');
    const restarted = Date.now();
    await platform.services[service].restart();
    const ready = (Date.now() - restarted) / 1000;
    const group = CONSUMER_GROUPS[service];
    const consuming = group ? (await untilConsuming(group)) - restarted : null;
    backIn =
      `ready ${ready.toFixed(1)} s` + (consuming === null ? '' : `, consuming ${(consuming / 1000).toFixed(1)} s`);
  };

  /** When the group is stable again with one member: the restarted process has its partitions. */
  async function untilConsuming(groupId: string): Promise<number> {
    const admin = new Kafka({ clientId: 'fault-groups', brokers: platform.kafka.brokers, logLevel: 0 }).admin();
    await admin.connect();
    try {
      await eventually(
        async () => {
          const { groups } = await admin.describeGroups([groupId]);
          return groups[0]?.state === 'Stable' && groups[0].members.length === 1;
        },
        `${groupId} to consume again`,
        60_000,
      );
      return Date.now();
    } finally {
      await admin.disconnect();
    }
  }
  /** Takes the proxied server away for `ms`, or slows what reaches it by `delay` a packet for `ms`. */
  const cut = (proxy: () => TcpProxy, ms: number) => async () => {
    proxy().cut();
    await sleep(ms);
    proxy().restore();
  };
  const slow = (proxy: () => TcpProxy, delay: number, ms: number) => async () => {
    proxy().slow(delay);
    await sleep(ms);
    proxy().slow(0);
  };
  const stopped: FaultService[] = ['notification', 'billing'];
  const stop = (signal: NodeJS.Signals) => Promise.all(stopped.map((s) => platform.services[s].kill(signal)));
  const start = () => Promise.all(stopped.map((s) => platform.services[s].restart()));

  const faults: [string, Hooks][] = [
    ['none', {}],
    ...(['gateway', 'scheduling', 'participant', 'billing', 'notification'] as const).map((s): [string, Hooks] => [
      `SIGKILL ${s}`,
      { during: kill(s) },
    ]),
    ['Kafka stopped 8 s', { during: async () => (platform.kafka.stop(), await sleep(8000), platform.kafka.restart()) }],
    ['PostgreSQL cut 6 s', { during: cut(() => platform.postgres, 6000) }],
    ['PostgreSQL slowed (+150 ms a packet) 8 s', { during: slow(() => platform.postgres, 150, 8000) }],
    ['Redis restarted empty', { during: async () => (await platform.redis.kill(), await platform.redis.restart()) }],
    ['SMTP sink down 8 s', { during: cut(() => platform.smtp, 8000) }],
    ['SMTP sink slow (+1 s a packet) 8 s', { during: slow(() => platform.smtp, 1000, 8000) }],
    ['SMS sink down 8 s', { during: cut(() => platform.sms, 8000) }],
    ['SMS sink slow (+1 s a packet) 8 s', { during: slow(() => platform.sms, 1000, 8000) }],
    [
      'notification and billing stopped through the history',
      { before: async () => void (await stop('SIGTERM')), after: async () => void (await start()) },
    ],
    ['a poison message on every topic', { before: poisonEveryTopic }],
  ];

  /** One run: arrange, the history with its fault, (what happens after it settles), the ledger; fails if unclean. */
  async function run(fault: string, bookings: number, hooks: Hooks, afterwards?: () => Promise<void>) {
    const startedAt = Date.now();
    const work = await runHistory(await arrange(platform, bookings), hooks);
    await settle(platform, work);
    if (afterwards) {
      await afterwards();
      await settle(platform, work);
    }
    const row = await measure(platform, work, fault, startedAt);
    row.backIn = backIn;
    backIn = null;
    rows.push(row);
    expectClean(row);
  }

  it.each(faults)('%s', (fault, hooks) => run(fault, BOOKINGS, hooks), 600_000);

  it('every topic replayed from offset 0 to billing and notification: nothing is done twice', async () => {
    await run('every topic replayed from offset 0', BOOKINGS, {}, async () => {
      await stop('SIGTERM');
      const admin = new Kafka({ clientId: 'fault-replay', brokers: platform.kafka.brokers, logLevel: 0 }).admin();
      await admin.connect();
      try {
        for (const groupId of stopped)
          for (const topic of (await admin.fetchOffsets({ groupId })).map((t) => t.topic))
            await admin.resetOffsets({ groupId, topic, earliest: true });
      } finally {
        await admin.disconnect();
      }
      await start();
      for (const groupId of stopped)
        for (const topic of [Topics.sessions, Topics.participants].map((t) => t.name))
          await eventually(
            async () =>
              Object.values(await consumerLag(groupId, topic, platform.kafka.brokers)).every((lag) => lag === 0),
            `${groupId} to read ${topic} again to its end`,
            180_000,
          );
    });
  }, 600_000);

  it('a notification SIGKILLed mid-burst, ten times: no second email or SMS for any seat and channel', async () => {
    for (let round = 1; round <= 10; round++) {
      // Once sends are in flight: the crash falls between handing messages over and recording them.
      const during = async () => (await sleep(300), await kill('notification')());
      await run(`SIGKILL notification, round ${round} of 10`, 60, { during });
    }
  }, 1_200_000);

  function expectClean(row: FaultRow) {
    const { fault, duplicates, lost, wrongTime, overbooked, serverErrors, problems } = row;
    expect({ fault, duplicates, lost, wrongTime, overbooked, serverErrors, problems }).toEqual({
      fault,
      duplicates: 0,
      lost: 0,
      wrongTime: 0,
      overbooked: 0,
      serverErrors: 0,
      problems: [],
    });
    expect(row.uncertain).toBeLessThanOrEqual(IN_FLIGHT);
    expect(row.accepted + row.refused).toBeGreaterThan(0);
  }

  /** Unreadable bytes and an envelope of an unknown tenant with broken data, on every topic the services read. */
  async function poisonEveryTopic() {
    const producer = new Kafka({ clientId: 'fault-poison', brokers: platform.kafka.brokers, logLevel: 0 }).producer({
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    await producer.connect();
    try {
      for (const topic of Object.values(Topics).map((t) => t.name)) {
        await producer.send({
          topic,
          acks: -1,
          messages: [
            { key: 'poison', value: 'this is not an event' },
            {
              key: 'poison',
              value: JSON.stringify({ id: 'not-a-uuid', type: 'ParticipantBooked', tenant: 'NOBODY', data: { x: 1 } }),
            },
          ],
        });
      }
    } finally {
      await producer.disconnect();
    }
  }
});
