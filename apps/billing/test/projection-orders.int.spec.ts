// Billing's view of sessions and seats under disorder: the facts of one short history applied in every order (each
// order in its own session, each in one transaction as the consumer applies it). Every order must leave the same
// invoices: the same status, the appointment time the session has now, the same credit notes; and the tenant's numbers
// stay gapless. A move read before the booking, or a cancellation read before it, must not leave a family billed for
// an old time or for a seat the clinic cancelled.
import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { MikroORM } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { Envelope, ServiceTypeDefined, TenantCreated } from '@agdar/contracts';
import { buildEnvelope } from '@agdar/messaging';
import { EventContext } from '@agdar/service-kit';
import {
  ApiClient,
  dataServiceEnv,
  HistoryStepName,
  permutationsOf,
  sessionHistory,
  SessionHistory,
  sql,
  StartedService,
  startService,
} from '@agdar/testing';
import { startBillingService } from '../src/billing-service';
import { FactsConsumer } from '../src/facts/facts.consumer';
import { InvoicesConsumer } from '../src/invoices/invoices.consumer';

const tenant = `B${randomUUID().slice(0, 6).toUpperCase()}`;
const serviceTypeId = randomUUID();
const DAY = 86400_000;

describe('billing applies every order of a session history alike', () => {
  let service: StartedService;
  let invoices: InvoicesConsumer;
  let orm: MikroORM;
  const db = <T = Record<string, unknown>>(text: string, params: unknown[] = []) =>
    sql<T>(service.databaseUrl!, text, params);
  const T1 = new Date(Math.ceil((Date.now() + 10 * DAY) / 3600_000) * 3600_000);
  const T2 = new Date(T1.getTime() + DAY);
  const meta = { tenant, actor: 'test', correlationId: 'orders' };

  beforeAll(async () => {
    service = await startService(startBillingService, dataServiceEnv('billing'));
    invoices = service.app.get(InvoicesConsumer);
    orm = service.runtime.orm!;
    const facts = service.app.get(FactsConsumer);
    await inTransaction(
      [
        buildEnvelope(
          TenantCreated,
          { code: tenant, name: 'Orders', timezone: 'Asia/Riyadh', currency: 'SAR', vatRate: 0.15 },
          meta,
        ),
      ],
      (e, ctx) => facts.tenant(e.data as never, ctx),
    );
    await inTransaction(
      [
        buildEnvelope(
          ServiceTypeDefined,
          { serviceTypeId, code: 'SPEECH_G', name: 'Group speech', nameAr: null, active: true },
          meta,
        ),
      ],
      (e, ctx) => facts.serviceType(e.data as never, ctx),
    );
    const priced = await new ApiClient(service.url)
      .asRole(tenant, 'billing')
      .put(`/billing/prices/${serviceTypeId}`, { amount: '100.00', currency: 'SAR' });
    expect(priced.status).toBe(200);
  }, 120000);
  afterAll(async () => {
    await service?.dispose();
  });

  async function inTransaction(events: Envelope[], handle: (event: Envelope, ctx: EventContext) => Promise<unknown>) {
    await (orm.em.fork() as EntityManager).transactional(async (em) => {
      for (const event of events) await handle(event, new EventContext([em, event]));
    });
  }

  const handlers: Record<string, (data: never, ctx: EventContext) => Promise<void>> = {
    ParticipantBooked: (d, c) => invoices.booked(d, c),
    ParticipantStatusChanged: (d, c) => invoices.statusChanged(d, c),
    ParticipantCancelled: (d, c) => invoices.cancelled(d, c),
    SessionRescheduled: (d, c) => invoices.rescheduled(d, c),
    // Billing does not read SessionCancelled: each seat's cancellation carries it.
    SessionCancelled: async () => undefined,
  };

  /** Each invoice of the order's session: status, appointment time, totals and the reasons of its credit notes. */
  async function outcomeOf(history: SessionHistory) {
    const label = new Map(Object.entries(history.seats).map(([l, s]) => [s.participantId, l]));
    const rows = await db<Record<string, any>>(
      `select i.participant_id, i.status, i.starts_at, i.clinic_time, i.total_minor, i.credited_minor,
         coalesce((select array_agg(c.reason order by c.reason) from credit_notes c where c.invoice_id = i.id), '{}')
           as credit_reasons
       from invoices i where i.session_id = $1`,
      [history.sessionId],
    );
    const when = (at: Date) =>
      at.getTime() === T1.getTime() ? 'T1' : at.getTime() === T2.getTime() ? 'T2' : String(at);
    const byLabel = [...rows].sort((a, b) => label.get(a.participant_id)!.localeCompare(label.get(b.participant_id)!));
    return Object.fromEntries(
      byLabel.map((r) => [
        label.get(r.participant_id),
        {
          status: r.status,
          at: when(new Date(r.starts_at)),
          total: Number(r.total_minor),
          credited: Number(r.credited_minor),
          creditNotes: r.credit_reasons,
        },
      ]),
    );
  }

  async function everyOrder(steps: HistoryStepName[]) {
    const outcomes: { order: string; outcome: Awaited<ReturnType<typeof outcomeOf>> }[] = [];
    for (const order of permutationsOf(steps)) {
      const history = sessionHistory({ tenant, serviceTypeId }, steps, { T1, T2 });
      for (const [label, seat] of Object.entries(history.seats)) {
        await db(`insert into patients (id, tenant, name) values ($1, $2, $3)`, [
          seat.patientId,
          tenant,
          `Seat ${label}`,
        ]);
      }
      const byName = new Map(history.steps.map((s) => [s.name, s.events]));
      await inTransaction(
        order.flatMap((name) => byName.get(name)!),
        (e, ctx) => handlers[e.type](e.data as never, ctx),
      );
      outcomes.push({ order: order.join(' → '), outcome: await outcomeOf(history) });
    }
    return outcomes;
  }

  async function expectGaplessNumbers() {
    for (const kind of ['INV', 'CRN']) {
      const table = kind === 'INV' ? 'invoices' : 'credit_notes';
      const numbers = await db<{ n: number }>(
        `select split_part(number, '-', 4)::int as n from ${table} where tenant = $1 and number is not null order by 1`,
        [tenant],
      );
      expect(numbers.map((r) => r.n)).toEqual(numbers.map((_, i) => i + 1));
    }
  }

  it('bills the time the session has now, and credits a seat cancelled before its booking was read', async () => {
    const outcomes = await everyOrder(['book', 'confirm', 'reschedule', 'cancelSeat']);
    expect(outcomes).toHaveLength(24);
    const expected = {
      A: { status: 'ISSUED', at: 'T2', total: 11500, credited: 0, creditNotes: [] },
      B: { status: 'CREDITED', at: 'T2', total: 11500, credited: 11500, creditNotes: ['CANCELLED'] },
    };
    for (const { order, outcome } of outcomes) expect({ order, outcome }).toEqual({ order, outcome: expected });
    await expectGaplessNumbers();
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
      A: { status: 'CREDITED', at: 'T1', total: 11500, credited: 11500, creditNotes: ['SESSION_CANCELLED'] },
      B: { status: 'CREDITED', at: 'T1', total: 11500, credited: 11500, creditNotes: ['CANCELLED'] },
    };
    const differing = outcomes.filter(({ outcome }) => !isDeepStrictEqual(outcome, expected));
    expect(differing.slice(0, 3)).toEqual([]);
    await expectGaplessNumbers();
  }, 600000);
});
