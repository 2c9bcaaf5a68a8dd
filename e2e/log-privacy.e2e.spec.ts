// Logs carry no patient data: a journey through patients, consents and bookings at debug level, with every line the
// services and the gateway write captured, holds none of the names, phones and emails it used.
import { Platform, startPlatform } from './support/platform';
import { createSession, setUpClinic, untilSchedulingKnows } from './support/clinic';

describe('logs of a patient journey', () => {
  let platform: Platform;
  const lines: string[] = [];
  const write = process.stdout.write.bind(process.stdout);

  beforeAll(async () => {
    process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      lines.push(String(chunk));
      return (write as (...args: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof process.stdout.write;
    platform = await startPlatform({ LOG_LEVEL: 'debug' }, { LOG_LEVEL: 'debug' });
  });
  afterAll(async () => {
    process.stdout.write = write;
    await platform?.stop();
  });

  it('holds none of the names, phones and emails the journey used', async () => {
    const clinic = await setUpClinic(platform);
    const person = {
      firstNameEn: 'Zubaidah',
      lastNameEn: 'Quraishi',
      firstNameAr: 'زبيدة',
      lastNameAr: 'القريشي',
      dateOfBirth: '2017-07-07',
      email: 'zubaidah.quraishi@example.com',
      phone: '+966509876543',
      guardian: {
        name: 'Hessa Quraishi',
        relationship: 'mother',
        email: 'hessa.q@example.com',
        phone: '+966501112233',
      },
      channels: ['email', 'sms'],
    };
    const created = await clinic.reception.post('/patients', person);
    expect(created.status).toBe(201);
    for (const q of [person.firstNameEn, person.phone, person.email, person.lastNameAr]) {
      expect((await clinic.reception.get(`/patients?q=${encodeURIComponent(q)}`)).body.total).toBe(1);
    }
    await clinic.reception.patch(`/patients/${created.body.id}`, { lastNameEn: 'Quraishi-Saud' });
    await clinic.reception.post(`/patients/${created.body.id}/consents`, {
      kind: 'TREATMENT',
      grantedBy: 'Hessa Quraishi',
    });
    await clinic.reception.post('/patients', { ...person, email: 'not an email' }); // a refused body
    await untilSchedulingKnows(platform, [created.body.id]);
    const session = await createSession(clinic);
    expect(
      (await clinic.reception.post(`/sessions/${session.id}/add-patient`, { patientId: created.body.id })).status,
    ).toBe(201);

    const log = lines.join('');
    expect(log).toContain('GET /api/patients?q=…'); // the journey was logged, its search terms were not
    const secrets = [
      person.firstNameEn,
      person.lastNameEn,
      person.firstNameAr,
      person.lastNameAr,
      person.email,
      person.phone,
      person.guardian.name,
      person.guardian.email,
      person.guardian.phone,
      encodeURIComponent(person.email),
      encodeURIComponent(person.phone),
      encodeURIComponent(person.lastNameAr),
    ];
    expect(secrets.filter((secret) => log.includes(secret))).toEqual([]);
  });
});
