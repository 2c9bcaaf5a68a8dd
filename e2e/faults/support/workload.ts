// What the fault suite does to the platform, as a clinic's front desk and billing team would through the gateway: a
// clinic, patients reachable by email and SMS, group sessions, a burst of bookings (more than the seats, so some are
// refused), then moves, cancellations and payments. Every request is sent as a careful client sends it: with an
// Idempotency-Key, retried with the same key while the platform answers 502/503/504 or not at all.
import { randomUUID } from 'node:crypto';
import { ApiResponse, eventually } from '@agdar/testing';
import { ClinicFixture, createSession, setUpClinic, untilSchedulingKnows } from '../../support/clinic';
import { priceServiceType } from '../../support/billing';
import { FaultPlatform } from './fault-platform';

export interface Seat {
  participantId: string;
  patientId: string;
  appointmentNumber: string;
  sessionId: string;
  email: string;
  phone: string;
}

export interface Workload {
  clinic: ClinicFixture;
  seats: Seat[];
  refused: number;
  /** The patients whose booking was refused (SESSION_FULL): nothing may reach them. */
  refusedPatients: { email: string; phone: string }[];
  /** Answers of 500 and above other than 502/503/504 (which a client retries). */
  serverErrors: number;
  sessionIds: string[];
  cancelled: Set<string>;
  paid: Set<string>;
}

export interface Hooks {
  /** Before the burst (a service stopped, poison published). */
  before?: () => Promise<void>;
  /** Once a third of the bookings are in. */
  during?: () => Promise<void>;
  /** After the moves and cancellations, before payments and the settling. */
  after?: () => Promise<void>;
}

const SEATS_PER_SESSION = 20;
let phones = Math.floor(Math.random() * 5000) * 10000;

/** Sends one request until it has a final answer: retried, with the same Idempotency-Key, through outages. */
async function reliably(
  work: Workload | null,
  send: (headers: Record<string, string>) => Promise<ApiResponse>,
  timeoutMs = 180_000,
): Promise<ApiResponse> {
  const headers = { 'idempotency-key': randomUUID() };
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const answer = await send(headers).catch(() => null);
    if (answer && answer.status < 500) return answer;
    if (answer && ![502, 503, 504].includes(answer.status) && work) work.serverErrors++;
    if (Date.now() > deadline) throw new Error(`no final answer within ${timeoutMs} ms (last: ${answer?.status})`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

/** A clinic of `bookings` seats' worth of patients and sessions, arranged before any fault. */
export async function arrange(platform: FaultPlatform, bookings: number) {
  const clinic = await setUpClinic(platform, 1, 1);
  await priceServiceType(clinic, '100.00');
  const sessions = Math.ceil(bookings / SEATS_PER_SESSION);
  const extra = sessions; // one more patient than seats per session: refused SESSION_FULL
  const patients: { id: string; email: string; phone: string }[] = [];
  for (let start = 0; start < bookings + extra; start += 20) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(20, bookings + extra - start) }, async (_, i) => {
        const email = `f${start + i}.${clinic.tenant.toLowerCase()}@example.com`;
        const phone = `+9665${String(phones++ % 1e8).padStart(8, '0')}`;
        const created = await reliably(null, (h) =>
          clinic.reception.post(
            '/patients',
            {
              firstNameEn: `Fault${start + i}`,
              lastNameEn: 'Patient',
              dateOfBirth: '2016-03-03',
              email,
              phone,
              channels: ['email', 'sms'],
            },
            h,
          ),
        );
        if (created.status !== 201) throw new Error(`registering a patient: ${created.status}`);
        return { id: created.body.id as string, email, phone };
      }),
    );
    patients.push(...batch);
  }
  await untilSchedulingKnows(
    platform,
    patients.map((p) => p.id),
  );
  const sessionIds: string[] = [];
  for (let i = 0; i < sessions; i++) {
    sessionIds.push((await createSession(clinic, { maxCapacity: SEATS_PER_SESSION })).id);
  }
  return { clinic, patients, sessionIds };
}

/** Books every patient (one more per session than it has seats), then moves, cancels and pays some. */
export async function runHistory(arranged: Awaited<ReturnType<typeof arrange>>, hooks: Hooks): Promise<Workload> {
  const { clinic, patients, sessionIds } = arranged;
  const work: Workload = {
    clinic,
    seats: [],
    refused: 0,
    refusedPatients: [],
    serverErrors: 0,
    sessionIds,
    cancelled: new Set(),
    paid: new Set(),
  };
  await hooks.before?.();
  const attempts = patients.map((p, i) => ({ patient: p, sessionId: sessionIds[i % sessionIds.length] }));
  let next = 0;
  let during: Promise<void> | null = null;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next < attempts.length) {
        const { patient, sessionId } = attempts[next++];
        if (!during && next >= attempts.length / 3) during = hooks.during?.() ?? Promise.resolve();
        const answer = await reliably(work, (h) =>
          clinic.reception.post(`/sessions/${sessionId}/add-patient`, { patientId: patient.id }, h),
        );
        if (answer.status === 201) {
          work.seats.push({
            participantId: answer.body.id,
            patientId: patient.id,
            appointmentNumber: answer.body.appointmentNumber,
            sessionId,
            email: patient.email,
            phone: patient.phone,
          });
        } else if (answer.body?.code === 'SESSION_FULL') {
          work.refused++;
          work.refusedPatients.push(patient);
        } else throw new Error(`a booking answered ${answer.status} ${JSON.stringify(answer.body)}`);
      }
    }),
  );
  await during;
  // Two sessions move to the afternoon; one seat of two others is cancelled by the family.
  for (const sessionId of sessionIds.slice(0, 2)) {
    const moved = await reliably(work, () =>
      clinic.reception.patch(`/sessions/${sessionId}`, { scheduledTime: '15:00' }),
    );
    if (moved.status !== 200) throw new Error(`moving a session answered ${moved.status}`);
  }
  for (const sessionId of sessionIds.slice(2, 4)) {
    const seat = work.seats.find((s) => s.sessionId === sessionId)!;
    const removed = await reliably(work, () =>
      clinic.reception.delete(
        `/sessions/${sessionId}/participants/${seat.participantId}?reason=Family%20request&cancelledBy=PATIENT`,
      ),
    );
    if (removed.status !== 200 && removed.body?.code !== 'INVALID_TRANSITION')
      throw new Error(`cancelling a seat answered ${removed.status}`);
    work.cancelled.add(seat.participantId);
  }
  await hooks.after?.();
  // The billing team takes payment for the seats of the fifth session.
  for (const seat of work.seats.filter((s) => s.sessionId === sessionIds[4 % sessionIds.length]).slice(0, 10)) {
    const invoice = await eventually(
      async () => {
        const page = await clinic.billing.get(`/invoices?appointmentNumber=${seat.appointmentNumber}`);
        return page.body?.items?.find((i: { status: string }) => i.status === 'ISSUED');
      },
      `the invoice of ${seat.appointmentNumber}`,
      120_000,
    );
    const paid = await reliably(work, (h) =>
      clinic.billing.post(`/invoices/${invoice.id}/payments`, { amount: invoice.total, method: 'CASH' }, h),
    );
    if (paid.status !== 201) throw new Error(`a payment answered ${paid.status} ${JSON.stringify(paid.body)}`);
    work.paid.add(seat.participantId);
  }
  return work;
}
