// Notification's view of sessions and seats under disorder: the facts of one short history applied in every order
// (each order in its own session, each in one transaction as a consumer would apply it), then sent by the service's
// own sender to the run's mail sink. Every order must leave the same seats, the same reminders owed at the session's
// newest start, and the same messages sent with the same times: the sessions and participants topics are read in
// any interleaving, and a late fact must never tell a family an old time.
import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { MikroORM } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { Envelope } from '@agdar/contracts';
import { EventContext } from '@agdar/service-kit';
import {
  dataServiceEnv,
  eventually,
  HistoryStepName,
  MailInbox,
  notificationEnv,
  permutationsOf,
  sessionHistory,
  SessionHistory,
  sql,
  StartedService,
  startService,
  testEnv,
} from '@agdar/testing';
import { MessagesConsumer } from '../src/messages/messages.consumer';
import { startNotificationService } from '../src/notification-service';
import { formatWhen } from '../src/templates/templates';

const tenant = `N${randomUUID().slice(0, 6).toUpperCase()}`;
const serviceTypeId = randomUUID();
const DAY = 86400_000;

describe('notification applies every order of a session history alike', () => {
  let service: StartedService;
  let consumer: MessagesConsumer;
  let orm: MikroORM;
  const mail = new MailInbox(testEnv().mailWebUrl);
  const db = <T = Record<string, unknown>>(text: string, params: unknown[] = []) =>
    sql<T>(service.databaseUrl!, text, params);
  // Ten days ahead, on the hour, so both default reminders (24 h and 2 h) are owed; the move is a day later.
  const T1 = new Date(Math.ceil((Date.now() + 10 * DAY) / 3600_000) * 3600_000);
  const T2 = new Date(T1.getTime() + DAY);

  beforeAll(async () => {
    service = await startService(startNotificationService, dataServiceEnv('notification', notificationEnv()));
    consumer = service.app.get(MessagesConsumer);
    orm = service.runtime.orm!;
    await db(`insert into known_tenants (code, name, timezone) values ($1, 'Orders clinic', 'Asia/Riyadh')`, [tenant]);
    await db(`insert into service_types (id, tenant, name, name_ar) values ($1, $2, 'Group speech', 'نطق')`, [
      serviceTypeId,
      tenant,
    ]);
  }, 120000);
  afterAll(async () => {
    await service?.dispose();
  });

  const handlers: Record<string, (data: never, ctx: EventContext) => Promise<void>> = {
    ParticipantBooked: (d, c) => consumer.booked(d, c),
    ParticipantStatusChanged: (d, c) => consumer.statusChanged(d, c),
    ParticipantCancelled: (d, c) => consumer.cancelled(d, c),
    SessionRescheduled: (d, c) => consumer.rescheduled(d, c),
    SessionCancelled: (d, c) => consumer.sessionCancelled(d, c),
  };

  /** Each seat's patient, reachable by email at an address of its own. */
  async function arrangeContacts(history: SessionHistory) {
    for (const [label, seat] of Object.entries(history.seats)) {
      await db(
        `insert into contacts (patient_id, tenant, name_en, email, language, channels)
         values ($1, $2, $3, $4, 'en', '{email}')`,
        [seat.patientId, tenant, `Seat ${label}`, addressOf(history, label)],
      );
    }
  }
  const addressOf = (history: SessionHistory, label: string) =>
    `${label.toLowerCase()}.${history.sessionId.slice(0, 8)}.${tenant.toLowerCase()}@example.com`;

  /** Applies the events in this order, in one transaction, as the consumer applies each. */
  async function apply(events: Envelope[]) {
    await (orm.em.fork() as EntityManager).transactional(async (em) => {
      for (const event of events) await handlers[event.type](event.data as never, new EventContext([em, event]));
    });
  }

  /** What the order left: the session, the seats, the reminders owed, and the messages sent with their times. */
  async function outcomeOf(history: SessionHistory) {
    const label = new Map(Object.entries(history.seats).map(([l, s]) => [s.participantId, l]));
    const when = (at: string | Date) =>
      new Date(at).getTime() === T1.getTime() ? 'T1' : new Date(at).getTime() === T2.getTime() ? 'T2' : String(at);
    const [session] = await db<{ status: string; version: number; starts_at: Date }>(
      `select status, version, starts_at from sessions where id = $1`,
      [history.sessionId],
    );
    const seats = await db<{ id: string; status: string }>(
      `select id, status from participants where session_id = $1`,
      [history.sessionId],
    );
    const owed = await db<{ participant_id: string; offset_seconds: number; starts_at: Date }>(
      `select participant_id, offset_seconds, starts_at from reminders
       where participant_id = any($1) and status = 'SCHEDULED'`,
      [[...label.keys()]],
    );
    const sent = await db<{ kind: string; participant_id: string; starts_at: string }>(
      `select kind, participant_id, facts->>'startsAt' as starts_at from deliveries
       where session_id = $1 and status = 'SENT'`,
      [history.sessionId],
    );
    return {
      session: { status: session.status, version: session.version, startsAt: when(session.starts_at) },
      seats: Object.fromEntries(seats.map((s) => [label.get(s.id), s.status])),
      reminders: owed
        .map((r) => `${label.get(r.participant_id)} ${r.offset_seconds / 3600} h before ${when(r.starts_at)}`)
        .sort(),
      sent: sent.map((d) => `${d.kind} to ${label.get(d.participant_id)} at ${when(d.starts_at)}`).sort(),
    };
  }

  /** Applies every order of the history's steps, each to a session of its own, and lets the sender send them all. */
  async function everyOrder(steps: HistoryStepName[]) {
    const histories: { history: SessionHistory; order: string }[] = [];
    for (const order of permutationsOf(steps)) {
      // The same history (same facts, same versions) under fresh ids, its steps read in this order.
      const history = sessionHistory({ tenant, serviceTypeId }, steps, { T1, T2 });
      await arrangeContacts(history);
      const byName = new Map(history.steps.map((s) => [s.name, s.events]));
      await apply(order.flatMap((name) => byName.get(name)!));
      histories.push({ history, order: order.join(' → ') });
    }
    await eventually(
      async () =>
        Number(
          (
            await db<{ n: string }>(
              `select count(*) as n from deliveries where tenant = $1 and status in ('QUEUED', 'SENDING')`,
              [tenant],
            )
          )[0].n,
        ) === 0,
      'every message of every order to be sent or skipped',
      120000,
    );
    const outcomes = [];
    for (const { history, order } of histories) outcomes.push({ order, history, outcome: await outcomeOf(history) });
    return outcomes;
  }

  it('tells a family booked late, after a move read first, the new time: in the confirmation and its reminders', async () => {
    const outcomes = await everyOrder(['book', 'confirm', 'reschedule', 'cancelSeat']);
    expect(outcomes).toHaveLength(24);
    const expected = {
      session: { status: 'SCHEDULED', version: 5, startsAt: 'T2' },
      seats: { A: 'CONFIRMED', B: 'CANCELLED' },
      reminders: ['A 2 h before T2', 'A 24 h before T2'],
      // Nothing was told before the move was known, so no "moved" message: the confirmation tells the new time.
      sent: ['BOOKING_CONFIRMATION to A at T2', 'PARTICIPANT_CANCELLED to B at T2'],
    };
    for (const { order, outcome } of outcomes) expect({ order, outcome }).toEqual({ order, outcome: expected });

    // What the families received, as the mail sink has it: one confirmation naming the new day, one cancellation.
    const [newTime, oldTime] = [T2, T1].map((t) => formatWhen(t.toISOString(), 'Asia/Riyadh', 'en'));
    for (const { order, history } of outcomes) {
      const toA = await mail.to(addressOf(history, 'A'));
      const toB = await mail.to(addressOf(history, 'B'));
      expect({ order, a: toA.length, b: toB.length }).toEqual({ order, a: 1, b: 1 });
      expect({ order, new: toA[0].text.includes(newTime), old: toA[0].text.includes(oldTime) }).toEqual({
        order,
        new: true,
        old: false,
      });
    }
  }, 300000);

  it('ends every order of book, confirm, reschedule, reschedule back, cancel a seat, cancel the session alike', async () => {
    const outcomes = await everyOrder([
      'book',
      'confirm',
      'reschedule',
      'rescheduleBack',
      'cancelSeat',
      'cancelSession',
    ]);
    expect(outcomes).toHaveLength(720);
    const expected = {
      session: { status: 'CANCELLED', version: 8, startsAt: 'T1' },
      seats: { A: 'CANCELLED', B: 'CANCELLED' },
      reminders: [],
      sent: ['PARTICIPANT_CANCELLED to B at T1', 'SESSION_CANCELLED to A at T1'],
    };
    const differing = outcomes.filter(({ outcome }) => !isDeepStrictEqual(outcome, expected));
    expect(differing.map(({ order, outcome }) => ({ order, outcome })).slice(0, 3)).toEqual([]);
  }, 600000);
});
