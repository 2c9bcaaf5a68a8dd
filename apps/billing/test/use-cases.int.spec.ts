// Billing's use cases, one table each, against the real database: what settling an issued invoice or a draft leaves
// for each way an appointment ends, and what the billing team's payments, waivers and refunds do and refuse. Each row
// books its own seat, so rows never share an invoice; a refused change must change nothing.
import { randomUUID } from 'node:crypto';
import { MikroORM } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { EventData, ParticipantBooked, ServiceTypeDefined, TenantCreated } from '@agdar/contracts';
import { buildEnvelope } from '@agdar/messaging';
import { AuthUser, contextOf, DomainError, EventContext, UseCaseContext } from '@agdar/service-kit';
import { ApiClient, dataServiceEnv, sessionHistory, sql, StartedService, startService } from '@agdar/testing';
import { startBillingService } from '../src/billing-service';
import { FactsConsumer } from '../src/facts/facts.consumer';
import { Settlement } from '../src/invoices/invoice-rules';
import { IssuingService } from '../src/invoices/issuing.service';
import { PaymentsService } from '../src/invoices/payments.service';
import { SettlingService } from '../src/invoices/settling.service';

const tenant = `U${randomUUID().slice(0, 6).toUpperCase()}`;
const priced = randomUUID();
const DAY = 86400_000;
const HOUR = 3600_000;
const T1 = new Date(Math.ceil((Date.now() + 10 * DAY) / HOUR) * HOUR);
const meta = { tenant, actor: 'test', correlationId: 'use-cases' };
const billingUser: AuthUser = { sub: 'billing-1', tenant, roles: ['billing'], token: '' };

describe("billing's use cases", () => {
  let service: StartedService;
  let orm: MikroORM;
  let issuing: IssuingService;
  let settling: SettlingService;
  let payments: PaymentsService;
  const db = <T = Record<string, any>>(text: string, params: unknown[] = []) =>
    sql<T>(service.databaseUrl!, text, params);

  async function inUseCase<T>(work: (ctx: UseCaseContext) => Promise<T>): Promise<T> {
    return (orm.em.fork() as EntityManager).transactional((em) => work(contextOf(em, meta)));
  }

  const defineServiceType = (serviceTypeId: string, code: string) =>
    (orm.em.fork() as EntityManager).transactional((em) => {
      const event = buildEnvelope(
        ServiceTypeDefined,
        { serviceTypeId, code, name: code, nameAr: null, active: true },
        meta,
      );
      return service.app.get(FactsConsumer).serviceType(event.data, new EventContext([em, event]));
    });
  const setPrice = (serviceTypeId: string) =>
    new ApiClient(service.url)
      .asRole(tenant, 'billing')
      .put(`/billing/prices/${serviceTypeId}`, { amount: '100.00', currency: 'SAR' });

  beforeAll(async () => {
    service = await startService(startBillingService, dataServiceEnv('billing'));
    orm = service.runtime.orm!;
    issuing = service.app.get(IssuingService);
    settling = service.app.get(SettlingService);
    payments = service.app.get(PaymentsService);
    await (orm.em.fork() as EntityManager).transactional((em) => {
      const data = { code: tenant, name: 'Use cases', timezone: 'Asia/Riyadh', currency: 'SAR', vatRate: 0.15 };
      const event = buildEnvelope(TenantCreated, data, meta);
      return service.app.get(FactsConsumer).tenant(event.data, new EventContext([em, event]));
    });
    await defineServiceType(priced, 'SPEECH');
    expect((await setPrice(priced)).status).toBe(200);
  }, 120000);
  afterAll(async () => service?.dispose());

  /** A new seat booked in a new session of the service type, its patient known: its invoice's id. */
  async function book(serviceTypeId = priced): Promise<{ invoiceId: string; participantId: string }> {
    const history = sessionHistory({ tenant, serviceTypeId }, ['book'], { T1, T2: new Date(T1.getTime() + DAY) });
    const seat = history.seats.A;
    await db(`insert into patients (id, tenant, name) values ($1, $2, 'Seat A')`, [seat.patientId, tenant]);
    const booked = history.steps[0].events.find(
      (e) =>
        e.type === ParticipantBooked.type && (e.data as { participantId: string }).participantId === seat.participantId,
    )!;
    await inUseCase((ctx) => issuing.draftForBooking(ctx, booked.data as EventData<typeof ParticipantBooked>));
    const [row] = await db<{ id: string }>('select id from invoices where participant_id = $1', [seat.participantId]);
    return { invoiceId: row.id, participantId: seat.participantId };
  }

  async function invoiceOf(invoiceId: string) {
    const [row] = await db(
      `select i.status, i.total_minor::int as total, i.paid_minor::int as paid, i.credited_minor::int as credited,
         i.refunded_minor::int as refunded, i.pending_settlement is not null as pending,
         coalesce((select array_agg(c.reason) from credit_notes c where c.invoice_id = i.id), '{}') as "creditNotes"
       from invoices i where i.id = $1`,
      [invoiceId],
    );
    return row;
  }

  const codeOf = (work: Promise<unknown>) =>
    work.then(
      () => 'done',
      (e) => (e instanceof DomainError ? e.code : String(e)),
    );

  describe('settling an issued invoice of 115.00 (100.00 and 15 % VAT) under the default policy', () => {
    it.each<[string, Settlement, object]>([
      [
        'the clinic cancelled the seat',
        { kind: 'CLINIC_CANCELLED' },
        { status: 'CREDITED', credited: 11500, creditNotes: ['CANCELLED'] },
      ],
      [
        'the clinic cancelled the session',
        { kind: 'SESSION_CANCELLED' },
        { status: 'CREDITED', credited: 11500, creditNotes: ['SESSION_CANCELLED'] },
      ],
      [
        'the patient cancelled two days ahead',
        { kind: 'PARTICIPANT_CANCELLED', cancelledAt: new Date(T1.getTime() - 2 * DAY), startsAt: T1 },
        { status: 'CREDITED', credited: 11500, creditNotes: ['CANCELLED'] },
      ],
      [
        'the patient cancelled two hours ahead (half the fee kept)',
        { kind: 'PARTICIPANT_CANCELLED', cancelledAt: new Date(T1.getTime() - 2 * HOUR), startsAt: T1 },
        { status: 'ISSUED', credited: 5750, creditNotes: ['LATE_CANCELLATION'] },
      ],
      [
        'the patient did not come (the whole fee kept)',
        { kind: 'NO_SHOW' },
        { status: 'ISSUED', credited: 0, creditNotes: [] },
      ],
    ])('when %s', async (_when, settlement, expected) => {
      const { invoiceId, participantId } = await book();
      expect(await invoiceOf(invoiceId)).toMatchObject({ status: 'ISSUED', total: 11500 });
      await inUseCase((ctx) => settling.settle(ctx, participantId, settlement));
      expect(await invoiceOf(invoiceId)).toMatchObject({ total: 11500, ...expected });
      // Settled twice (a redelivered event), it is credited once.
      await inUseCase((ctx) => settling.settle(ctx, participantId, settlement));
      expect(await invoiceOf(invoiceId)).toMatchObject(expected);
    });
  });

  describe('settling a draft that waits for its price', () => {
    it.each<[string, Settlement, object, object]>([
      ['the clinic cancelled', { kind: 'CLINIC_CANCELLED' }, { status: 'VOID', pending: false }, { status: 'VOID' }],
      [
        'the patient did not come',
        { kind: 'NO_SHOW' },
        { status: 'DRAFT', pending: true },
        { status: 'ISSUED', total: 11500, credited: 0, pending: false },
      ],
      [
        'the patient cancelled late',
        { kind: 'PARTICIPANT_CANCELLED', cancelledAt: new Date(T1.getTime() - HOUR), startsAt: T1 },
        { status: 'DRAFT', pending: true },
        { status: 'ISSUED', total: 11500, credited: 5750, creditNotes: ['LATE_CANCELLATION'], pending: false },
      ],
    ])('when %s: it is %j, then once priced %j', async (_when, settlement, waiting, issued) => {
      const unpriced = randomUUID();
      await defineServiceType(unpriced, `T${unpriced.slice(0, 6).toUpperCase()}`);
      const { invoiceId, participantId } = await book(unpriced);
      await inUseCase((ctx) => settling.settle(ctx, participantId, settlement));
      expect(await invoiceOf(invoiceId)).toMatchObject(waiting);
      expect((await setPrice(unpriced)).status).toBe(200);
      expect(await invoiceOf(invoiceId)).toMatchObject(issued);
    });
  });

  describe('payments, waivers and refunds', () => {
    it.each<[string, string[], string[], object]>([
      ['part of it', ['50.00'], ['done'], { status: 'PARTIALLY_PAID', paid: 5000 }],
      ['all of it', ['115.00'], ['done'], { status: 'PAID', paid: 11500 }],
      ['in two parts', ['15.00', '100.00'], ['done', 'done'], { status: 'PAID', paid: 11500 }],
      ['more than is owed', ['115.01'], ['OVERPAYMENT'], { status: 'ISSUED', paid: 0 }],
      ['nothing', ['0.00'], ['VALIDATION_FAILED'], { status: 'ISSUED', paid: 0 }],
      ['a fraction of a halala', ['1.005'], ['VALIDATION_FAILED'], { status: 'ISSUED', paid: 0 }],
      ['again once paid', ['115.00', '1.00'], ['done', 'INVOICE_SETTLED'], { status: 'PAID', paid: 11500 }],
    ])('paying %s', async (_what, amounts, answers, expected) => {
      const { invoiceId } = await book();
      const got: string[] = [];
      for (const amount of amounts)
        got.push(await codeOf(payments.recordPayment(billingUser, invoiceId, { amount, method: 'CASH' })));
      expect(got).toEqual(answers);
      expect(await invoiceOf(invoiceId)).toMatchObject(expected);
    });

    it('waives what is owed, then takes no payment', async () => {
      const { invoiceId } = await book();
      await payments.waive(billingUser, invoiceId, { reason: 'Hardship' });
      expect(await invoiceOf(invoiceId)).toMatchObject({ status: 'WAIVED' });
      expect(await codeOf(payments.recordPayment(billingUser, invoiceId, { amount: '1.00', method: 'CASH' }))).toBe(
        'INVOICE_SETTLED',
      );
      expect(await codeOf(payments.waive(billingUser, invoiceId, { reason: 'Again' }))).toBe('INVOICE_SETTLED');
    });

    it.each<[string, string[], string[], number]>([
      ['what was paid', ['115.00'], ['done'], 11500],
      ['in parts', ['15.00', '100.00'], ['done', 'done'], 11500],
      ['more than was paid', ['115.01'], ['OVERREFUND'], 0],
      ['more than is left', ['100.00', '15.01'], ['done', 'OVERREFUND'], 10000],
    ])('refunding %s of a paid invoice the clinic cancelled', async (_what, amounts, answers, refunded) => {
      const { invoiceId, participantId } = await book();
      await payments.recordPayment(billingUser, invoiceId, { amount: '115.00', method: 'CARD' });
      await inUseCase((ctx) => settling.settle(ctx, participantId, { kind: 'CLINIC_CANCELLED' }));
      const [note] = await db<{ id: string }>('select id from credit_notes where invoice_id = $1', [invoiceId]);
      const got: string[] = [];
      for (const amount of amounts)
        got.push(await codeOf(payments.recordRefund(billingUser, note.id, { amount, method: 'CARD' })));
      expect(got).toEqual(answers);
      expect(await invoiceOf(invoiceId)).toMatchObject({ status: 'CREDITED', paid: 11500, refunded });
    });
  });
});
