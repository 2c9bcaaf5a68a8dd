// Sessions and participants through the gateway, against real PostgreSQL and Kafka.
import { clinicYear } from '@agdar/testing';
import { Platform, startPlatform } from './support/platform';
import { ClinicFixture, createSession, registerPatients, sessionBody, setUpClinic } from './support/clinic';

describe('sessions', () => {
  let platform: Platform;
  let clinic: ClinicFixture;
  let patients: string[];

  beforeAll(async () => {
    platform = await startPlatform();
    clinic = await setUpClinic(platform);
    patients = await registerPatients(platform, clinic, 30);
  });
  afterAll(async () => platform?.stop());

  it('creates an empty group session with its number, UTC instants and derived capacity', async () => {
    const response = await clinic.reception.post(
      '/sessions',
      sessionBody(clinic, { scheduledTime: '09:30', durationMinutes: 45, groupNotes: 'Fine motor' }),
    );
    expect(response.status).toBe(201);
    const year = clinicYear();
    expect(response.body.sessionNumber).toMatch(new RegExp(`^SES-${clinic.tenant}-${year}-1\\d{4}$`));
    expect(response.body).toMatchObject({
      status: 'SCHEDULED',
      maxCapacity: 20,
      currentCapacity: 0,
      availableSpots: 20,
      isFull: false,
      capacityPercentage: 0,
      participants: [],
      groupNotes: 'Fine motor',
    });
    expect(response.body.startsAt).toBe(`${response.body.scheduledDate}T06:30:00.000Z`);
    expect(response.body.endsAt).toBe(`${response.body.scheduledDate}T07:15:00.000Z`);
  });

  it('adds a patient with its own appointment number and updates the derived fields', async () => {
    const session = await createSession(clinic, { maxCapacity: 4 });
    const added = await clinic.reception.post(`/sessions/${session.id}/add-patient`, {
      patientId: patients[0],
      individualNotes: 'Needs a quiet corner',
    });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({
      sessionId: session.id,
      patientId: patients[0],
      status: 'BOOKED',
      financeCleared: false,
      consentVerified: false,
      canCheckIn: false,
      individualNotes: 'Needs a quiet corner',
    });
    expect(added.body.appointmentNumber).toMatch(new RegExp(`^APT-${clinic.tenant}-\\d{4}-1\\d{4}$`));
    const detail = await clinic.provider.get(`/sessions/${session.id}`);
    expect(detail.body).toMatchObject({ currentCapacity: 1, availableSpots: 3, isFull: false, capacityPercentage: 25 });
    expect(detail.body.participants).toHaveLength(1);
  });
});
