// Arranges a tenant with a clinic, rooms, providers, a service type and patients, through the public API.
import { ApiClient, clinicDateTime, daysFromToday, eventually, sql } from '@agdar/testing';
import { PlatformLike, registerTenant } from './platform';

export interface ClinicFixture {
  tenant: string;
  admin: ApiClient;
  reception: ApiClient;
  provider: ApiClient;
  billing: ApiClient;
  clinicId: string;
  roomIds: string[];
  providerIds: string[];
  serviceTypeId: string;
}

function expectCreated<T = any>(response: { status: number; body: T }, what: string): T {
  if (response.status !== 201)
    throw new Error(`arranging ${what} failed: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}

export async function setUpClinic(
  platform: PlatformLike,
  rooms = 3,
  providers = 3,
  earlyStartMinutes = 1440,
): Promise<ClinicFixture> {
  // Sessions of the test clinics may start up to a day early unless said, so a test can start one in a few hours.
  const tenant = await registerTenant(platform, undefined, earlyStartMinutes);
  const api = platform.api;
  const admin = api.asRole(tenant, 'admin');
  const clinic = expectCreated(
    await admin.post('/clinics', { name: 'Olaya', nameAr: 'العليا', timezone: 'Asia/Riyadh' }),
    'clinic',
  );
  const roomIds: string[] = [];
  for (let i = 1; i <= rooms; i++)
    roomIds.push(
      expectCreated(await admin.post('/rooms', { clinicId: clinic.id, name: `Room ${i}`, nameAr: `غرفة ${i}` }), 'room')
        .id,
    );
  const providerIds: string[] = [];
  for (let i = 1; i <= providers; i++)
    providerIds.push(
      expectCreated(
        await admin.post('/providers', {
          name: `Therapist ${i}`,
          nameAr: `المعالج ${i}`,
          specialty: 'OT',
          clinicId: clinic.id,
        }),
        'provider',
      ).id,
    );
  const serviceType = expectCreated(
    await admin.post('/service-types', { name: 'Group OT', code: 'OT_GROUP', defaultDurationMinutes: 60 }),
    'service type',
  );
  return {
    tenant,
    admin,
    reception: api.asRole(tenant, 'reception'),
    provider: api.asRole(tenant, 'provider'),
    billing: api.asRole(tenant, 'billing'),
    clinicId: clinic.id,
    roomIds,
    providerIds,
    serviceTypeId: serviceType.id,
  };
}

/** Waits until scheduling has learnt of these patients from the participant service's events (about a second). */
export async function untilSchedulingKnows(platform: PlatformLike, ids: string[]): Promise<void> {
  await eventually(
    async () => {
      const [{ n }] = await sql<{ n: string }>(
        platform.scheduling.databaseUrl!,
        'select count(*) as n from patients where id = any($1)',
        [ids],
      );
      return Number(n) === ids.length;
    },
    `${ids.length} patient(s) in scheduling's projection`,
    60000,
  );
}

/** Registers patients through the gateway and waits until scheduling has learnt of all of them via Kafka. */
export async function registerPatients(
  platform: PlatformLike,
  fixture: ClinicFixture,
  count: number,
): Promise<string[]> {
  const ids: string[] = [];
  for (let start = 0; start < count; start += 20) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(20, count - start) }, (_, i) =>
        fixture.reception.post('/patients', {
          firstNameEn: `Patient${start + i}`,
          lastNameEn: 'Test',
          dateOfBirth: '2015-05-05',
          email: `p${start + i}@example.com`,
        }),
      ),
    );
    ids.push(...batch.map((r) => expectCreated(r, 'patient').id));
  }
  await untilSchedulingKnows(platform, ids);
  return ids;
}

let slot = 0;
/** A session body on its own day so tests never collide on rooms or providers unless they mean to. */
export function sessionBody(fixture: ClinicFixture, overrides: Record<string, unknown> = {}) {
  slot++;
  const day = daysFromToday(30 + slot);
  return {
    sessionType: 'GROUP',
    maxCapacity: 20,
    providerId: fixture.providerIds[0],
    clinicId: fixture.clinicId,
    roomId: fixture.roomIds[0],
    serviceTypeId: fixture.serviceTypeId,
    scheduledDate: day,
    scheduledTime: '10:00',
    durationMinutes: 60,
    ...overrides,
  };
}

export async function createSession(fixture: ClinicFixture, overrides: Record<string, unknown> = {}) {
  return expectCreated(await fixture.reception.post('/sessions', sessionBody(fixture, overrides)), 'session');
}

let soon = 0;
/**
 * A session starting within the next day (its tenant lets sessions start up to a day early), at its own hour so that
 * tests never collide: for tests that start, complete or mark no-shows.
 */
export function soonSessionBody(fixture: ClinicFixture, overrides: Record<string, unknown> = {}) {
  soon++;
  const at = new Date(Date.now() + (120 + (soon % 20) * 65) * 60000);
  return sessionBody(fixture, { ...clinicDateTime(at), ...overrides });
}

export async function createSoonSession(fixture: ClinicFixture, overrides: Record<string, unknown> = {}) {
  return expectCreated(await fixture.reception.post('/sessions', soonSessionBody(fixture, overrides)), 'session');
}
