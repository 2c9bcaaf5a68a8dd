// Tenant isolation where ids travel in bodies, queries and events, not only in URLs: one tenant's ids are unknown to
// another tenant whichever way they arrive, and an event of one tenant never changes another tenant's rows.
import { ConfirmationSent, ConsentRecorded, FinanceCleared, PatientUpdated } from '@agdar/contracts';
import { daysFromToday, eventually, sql } from '@agdar/testing';
import { eventOf, publishEvents } from './support/kafka-producer';
import { Platform, startPlatform } from './support/platform';
import { ClinicFixture, createSession, setUpClinic, untilSchedulingKnows } from './support/clinic';

describe('tenant isolation beyond the URL', () => {
  let platform: Platform;
  let mine: ClinicFixture;
  let theirs: ClinicFixture;
  let theirPatient: string;
  let myPatient: string;
  let theirSession: { id: string };
  let theirParticipant: { id: string; appointmentNumber: string };

  beforeAll(async () => {
    platform = await startPlatform();
    [mine, theirs] = await Promise.all([setUpClinic(platform), setUpClinic(platform)]);
    // Opted out of messages: nothing but another tenant's forged ConfirmationSent could set confirmationSentAt.
    const theirs1 = { firstNameEn: 'Quiet', lastNameEn: 'Theirs', dateOfBirth: '2015-05-05', channels: [] };
    theirPatient = (await theirs.reception.post('/patients', { ...theirs1, email: 'quiet.theirs@example.com' })).body
      .id;
    await untilSchedulingKnows(platform, [theirPatient]);
    const me = { firstNameEn: 'Mariam', lastNameEn: 'Own', dateOfBirth: '2017-03-03', email: 'mariam@example.com' };
    myPatient = (await mine.reception.post('/patients', me)).body.id;
    theirSession = await createSession(theirs, { maxCapacity: 5 });
    const booked = await theirs.reception.post(`/sessions/${theirSession.id}/add-patient`, { patientId: theirPatient });
    expect({ status: booked.status, body: booked.body }).toMatchObject({ status: 201 });
    theirParticipant = booked.body;
  }, 120000);
  afterAll(async () => platform?.stop());

  it("refuses to book another tenant's patient, naming patientId, and books nothing", async () => {
    const mySession = await createSession(mine);
    const response = await mine.reception.post(`/sessions/${mySession.id}/add-patient`, { patientId: theirPatient });
    expect({ status: response.status, code: response.body.code, field: response.body.errors?.[0]?.field }).toEqual({
      status: 404,
      code: 'NOT_FOUND',
      field: 'patientId',
    });
    const [{ n }] = await sql<{ n: string }>(
      platform.scheduling.databaseUrl!,
      'select count(*) as n from participants where patient_id = $1',
      [theirPatient],
    );
    expect(Number(n)).toBe(1); // their own booking only
  });

  it("finds no available session in another tenant's clinic, though that clinic has one", async () => {
    const window = `from=${daysFromToday(0)}&to=${daysFromToday(3650)}`;
    const theirView = await theirs.reception.get(`/sessions/available?clinicId=${theirs.clinicId}&${window}`);
    expect(theirView.body.total).toBeGreaterThan(0);
    const myView = await mine.reception.get(`/sessions/available?clinicId=${theirs.clinicId}&${window}`);
    expect({ status: myView.status, total: myView.body.total }).toEqual({ status: 200, total: 0 });
    const listed = await mine.reception.get(`/sessions?clinicId=${theirs.clinicId}`);
    expect({ status: listed.status, total: listed.body.total }).toEqual({ status: 200, total: 0 });
  });

  it.each([
    ['/clinics', 1, false],
    ['/rooms', 3, true],
    ['/providers', 3, true],
    ['/service-types', 1, false],
  ])("lists only its own %s, and none of another tenant's clinic", async (path, own, byClinic) => {
    const theirIds = (await theirs.admin.get(path)).body.items.map((i: { id: string }) => i.id);
    expect(theirIds.length).toBeGreaterThan(0);
    const mineListed = await mine.admin.get(path);
    expect(mineListed.body.total).toBe(own);
    expect(mineListed.body.items.map((i: { id: string }) => i.id)).not.toEqual(expect.arrayContaining([theirIds[0]]));
    for (const id of theirIds) expect((await mine.admin.get(`${path}/${id}`)).status).toBe(404);
    if (byClinic) {
      expect((await theirs.admin.get(`${path}?clinicId=${theirs.clinicId}`)).body.total).toBeGreaterThan(0);
      const filtered = await mine.admin.get(`${path}?clinicId=${theirs.clinicId}`);
      expect({ status: filtered.status, total: filtered.body.total }).toEqual({ status: 200, total: 0 });
    }
  });

  it("does not find another tenant's patient by name, email or phone", async () => {
    const theirRecord = (await theirs.reception.get(`/patients/${theirPatient}`)).body;
    for (const q of [theirRecord.firstNameEn, theirRecord.email]) {
      expect((await theirs.reception.get(`/patients?q=${encodeURIComponent(q)}`)).body.total).toBe(1);
      expect((await mine.reception.get(`/patients?q=${encodeURIComponent(q)}`)).body.total).toBe(0);
    }
    expect((await mine.reception.get('/patients')).body.items.map((p: { id: string }) => p.id)).toEqual([myPatient]);
  });

  it("ignores events of one tenant that name another tenant's patient or participant", async () => {
    const theirRecord = (await theirs.reception.get(`/patients/${theirPatient}`)).body;
    const sent = await publishEvents({ tenant: mine.tenant, actor: 'intruder', correlationId: 'tenant-isolation' }, [
      eventOf(ConsentRecorded, {
        patientId: theirPatient,
        consentId: theirPatient,
        kind: 'TREATMENT',
        grantedBy: 'intruder',
        verified: true,
      }),
      eventOf(FinanceCleared, {
        patientId: theirPatient,
        participantId: theirParticipant.id,
        appointmentNumber: theirParticipant.appointmentNumber,
      }),
      eventOf(PatientUpdated, {
        patientId: theirPatient,
        firstNameEn: 'Renamed',
        lastNameEn: 'ByIntruder',
        firstNameAr: null,
        lastNameAr: null,
        dateOfBirth: theirRecord.dateOfBirth,
        email: null,
        phone: null,
        preferredLanguage: 'en',
        channels: [],
        guardian: null,
        changedFields: ['firstNameEn'],
      }),
      eventOf(ConfirmationSent, {
        participantId: theirParticipant.id,
        sessionId: theirSession.id,
        patientId: theirPatient,
        appointmentNumber: theirParticipant.appointmentNumber,
        channel: 'email',
        sentAt: new Date().toISOString(),
      }),
    ]);
    // Each event was handled (its processed-message row committed), and changed nothing of the other tenant.
    await eventually(async () => {
      const rows = await sql(
        platform.scheduling.databaseUrl!,
        'select message_id from processed_messages where message_id = any($1)',
        [sent],
      );
      return rows.length === sent.length;
    }, 'scheduling to handle the four events');
    const participant = (await theirs.reception.get(`/sessions/${theirSession.id}`)).body.participants[0];
    expect(participant).toMatchObject({
      id: theirParticipant.id,
      financeCleared: false,
      consentVerified: false,
      confirmationSentAt: null,
    });
    const [projection] = await sql(
      platform.scheduling.databaseUrl!,
      'select tenant, display_name, consent_verified from patients where id = $1',
      [theirPatient],
    );
    expect(projection).toEqual({
      tenant: theirs.tenant,
      display_name: `${theirRecord.firstNameEn} ${theirRecord.lastNameEn}`,
      consent_verified: false,
    });
  });
});
