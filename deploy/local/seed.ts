// Demo data for the local stack, created through the public API like a clinic would, and safe to run again.
import { clinicWallClock } from '@agdar/contracts';
import { ApiClient } from '@agdar/testing';

export interface SeedTokens {
  platformAdmin: string;
  admin: string;
  reception: string;
  billing: string;
}

const DEMO_PATIENTS = [
  {
    firstNameEn: 'Sara',
    lastNameEn: 'Haddad',
    firstNameAr: 'سارة',
    lastNameAr: 'حداد',
    dateOfBirth: '2017-09-14',
    preferredLanguage: 'ar',
    channels: ['sms', 'email'],
    phone: '+966501110001',
    guardian: { name: 'Mona Haddad', relationship: 'mother', email: 'mona.haddad@example.com' },
  },
  {
    firstNameEn: 'Omar',
    lastNameEn: 'Khalil',
    firstNameAr: 'عمر',
    lastNameAr: 'خليل',
    dateOfBirth: '2016-02-03',
    preferredLanguage: 'ar',
    channels: ['sms'],
    phone: '+966501110002',
  },
  {
    firstNameEn: 'Layla',
    lastNameEn: 'Nasser',
    firstNameAr: 'ليلى',
    lastNameAr: 'ناصر',
    dateOfBirth: '2018-11-21',
    preferredLanguage: 'en',
    channels: ['email'],
    email: 'layla.nasser@example.com',
  },
  {
    firstNameEn: 'Yusuf',
    lastNameEn: 'Saleh',
    firstNameAr: 'يوسف',
    lastNameAr: 'صالح',
    dateOfBirth: '2015-06-30',
    preferredLanguage: 'en',
    channels: ['email', 'sms'],
    email: 'yusuf.saleh@example.com',
    phone: '+966501110004',
  },
];

export async function seedDemoData(apiUrl: string, tokens: SeedTokens, say: (line: string) => void): Promise<void> {
  const api = new ApiClient(apiUrl);
  const tenant = await api.as(tokens.platformAdmin).post('/tenants', {
    code: 'AGDAR',
    name: 'Agdar Child Development Centre',
    nameAr: 'مركز أجدر لتنمية الطفل',
    legalName: 'Agdar Child Development Centre LLC',
    vatNumber: '300000000000003',
    timezone: 'Asia/Riyadh',
    currency: 'SAR',
    vatRate: 0.15,
  });
  if (tenant.status !== 201 && tenant.body?.code !== 'TENANT_EXISTS')
    throw new Error(`seeding the AGDAR tenant failed: ${JSON.stringify(tenant.body)}`);

  const reception = api.as(tokens.reception);
  // The participant service learns of a new tenant from TenantCreated, about a second after it is created.
  for (let waited = 0; (await reception.get('/patients')).body?.code === 'TENANT_NOT_REGISTERED'; waited += 200) {
    if (waited > 30000)
      throw new Error('the participant service did not learn of tenant AGDAR within 30 s: see its log');
    await new Promise((r) => setTimeout(r, 200));
  }
  const patientIds: string[] = [];
  let created = 0;
  for (const patient of DEMO_PATIENTS) {
    const existing = await reception.get(`/patients?q=${encodeURIComponent(patient.phone ?? patient.email ?? '')}`);
    if (existing.body?.total > 0) {
      patientIds.push(existing.body.items[0].id);
      continue;
    }
    patientIds.push(must(await reception.post('/patients', patient), `patient ${patient.firstNameEn}`).id);
    created++;
  }
  say(`demo data: tenant AGDAR, ${DEMO_PATIENTS.length} patients (${created} new)`);

  const admin = api.as(tokens.admin);
  if ((await admin.get('/clinics')).body?.total > 0)
    return say('demo data: clinic, rooms, providers and sessions already there');
  const clinic = must(
    await admin.post('/clinics', { name: 'Agdar Olaya', nameAr: 'أجدر العليا', timezone: 'Asia/Riyadh' }),
    'clinic',
  );
  const rooms = [];
  for (const [name, nameAr] of [
    ['Sensory room', 'غرفة التكامل الحسي'],
    ['Speech room 1', 'غرفة النطق 1'],
    ['Group hall', 'قاعة المجموعات'],
  ])
    rooms.push(must(await admin.post('/rooms', { clinicId: clinic.id, name, nameAr }), name));
  const providers = [];
  for (const [name, nameAr, specialty] of [
    ['Dr. Hana Al-Otaibi', 'د. هناء العتيبي', 'Occupational therapy'],
    ['Khalid Al-Harbi', 'خالد الحربي', 'Speech therapy'],
  ]) {
    providers.push(must(await admin.post('/providers', { name, nameAr, specialty, clinicId: clinic.id }), name));
  }
  const groupOt = must(
    await admin.post('/service-types', {
      name: 'Group occupational therapy',
      nameAr: 'علاج وظيفي جماعي',
      code: 'OT_GROUP',
      defaultDurationMinutes: 60,
    }),
    'service type',
  );
  const speech = must(
    await admin.post('/service-types', {
      name: 'Individual speech therapy',
      nameAr: 'علاج النطق الفردي',
      code: 'SPEECH_1TO1',
      defaultDurationMinutes: 45,
    }),
    'service type',
  );

  // Billing learns of the service types from ServiceTypeDefined a moment after they are created: retry while it does.
  const billing = api.as(tokens.billing);
  for (const [serviceType, amount] of [
    [groupOt, '250.00'],
    [speech, '300.00'],
  ] as const) {
    for (let attempt = 0; ; attempt++) {
      const priced = await billing.put(`/billing/prices/${serviceType.id}`, { amount, currency: 'SAR' });
      if (priced.status === 200) break;
      if (priced.body?.code !== 'NOT_YET_KNOWN' || attempt > 50)
        throw new Error(`seeding a price failed: ${JSON.stringify(priced.body)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  say('demo data: prices 250.00 SAR (group OT) and 300.00 SAR (speech), VAT 15 %');

  // Notification learns of the tenant from TenantCreated too: retry while it does.
  for (let attempt = 0; ; attempt++) {
    const set = await admin.put('/notifications/settings', {
      reminderOffsetsMinutes: [24 * 60, 2 * 60],
      quietHoursStart: '22:00',
      quietHoursEnd: '07:00',
      staffEmail: 'front-desk@agdar.example',
    });
    if (set.status === 200) break;
    if (set.body?.code !== 'TENANT_NOT_REGISTERED' || attempt > 150)
      throw new Error(`seeding the notification settings failed: ${JSON.stringify(set.body)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  say('demo data: reminders 24 h and 2 h before, SMS quiet hours 22:00-07:00, staff notes to front-desk@agdar.example');

  const tomorrow = new Date(Date.now() + 86400000).toISOString().slice(0, 10);
  const group = must(
    await reception.post('/sessions', {
      sessionType: 'GROUP',
      maxCapacity: 6,
      providerId: providers[0].id,
      clinicId: clinic.id,
      roomId: rooms[2].id,
      serviceTypeId: groupOt.id,
      scheduledDate: tomorrow,
      scheduledTime: '10:00',
      durationMinutes: 60,
      groupNotes: 'Fine-motor circle',
    }),
    'group session',
  );
  must(
    await reception.post('/sessions', {
      sessionType: 'INDIVIDUAL',
      maxCapacity: 1,
      providerId: providers[1].id,
      clinicId: clinic.id,
      roomId: rooms[1].id,
      serviceTypeId: speech.id,
      scheduledDate: tomorrow,
      scheduledTime: '11:30',
      durationMinutes: 45,
    }),
    'individual session',
  );
  // Patients reach scheduling through Kafka a moment after registration: retry while it catches up.
  for (const patientId of patientIds.slice(0, 3)) {
    for (let attempt = 0; ; attempt++) {
      const added = await reception.post(`/sessions/${group.id}/add-patient`, { patientId });
      if (added.status === 201) break;
      if (added.status !== 404 || attempt > 50)
        throw new Error(`seeding a booking failed: ${JSON.stringify(added.body)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  say(
    `demo data: clinic ${clinic.name}, ${rooms.length} rooms, ${providers.length} providers, a group session ${group.sessionNumber} tomorrow with 3 patients`,
  );
  await seedToday(api, tokens, { clinic, rooms, providers, groupOt, speech, patientIds }, say);
}

interface Arranged {
  clinic: { id: string };
  rooms: { id: string }[];
  providers: { id: string }[];
  groupOt: { id: string };
  speech: { id: string };
  patientIds: string[];
}

/**
 * The Today screen a new user sees first, with a roster in every state: a group session starting shortly (booked,
 * confirmed, and one patient with consent and payment checked in), and two appointments earlier today brought in as
 * a previous system would have recorded them (one attended, one a no-show), since the API schedules nothing in the
 * past.
 */
async function seedToday(api: ApiClient, tokens: SeedTokens, at: Arranged, say: (line: string) => void) {
  const reception = api.as(tokens.reception);
  const zone = 'Asia/Riyadh';
  const fiveMinutes = 5 * 60000;
  const soon = clinicWallClock(new Date(Math.ceil((Date.now() + 20 * 60000) / fiveMinutes) * fiveMinutes), zone);
  const group = must(
    await reception.post('/sessions', {
      sessionType: 'GROUP',
      maxCapacity: 6,
      providerId: at.providers[0].id,
      clinicId: at.clinic.id,
      roomId: at.rooms[0].id,
      serviceTypeId: at.groupOt.id,
      scheduledDate: soon.date,
      scheduledTime: soon.time,
      durationMinutes: 45,
      groupNotes: 'Sensory circle',
    }),
    "today's group session",
  );
  const seats = [];
  for (const patientId of at.patientIds.slice(0, 3))
    seats.push(must(await reception.post(`/sessions/${group.id}/add-patient`, { patientId }), 'a booking today'));
  await reception.patch(`/sessions/${group.id}/participants/${seats[1].id}`, { status: 'CONFIRMED' });
  // The third family has signed the consent and paid: reception checks them in once scheduling has heard of both.
  const arriving = seats[2];
  must(
    await reception.post(`/patients/${arriving.patientId}/consents`, { kind: 'TREATMENT', grantedBy: 'Parent' }),
    'a consent',
  );
  const billing = api.as(tokens.billing);
  const invoice = await until(async () => {
    const page = await billing.get(`/invoices?appointmentNumber=${encodeURIComponent(arriving.appointmentNumber)}`);
    return page.body?.items?.find((i: { status: string }) => i.status === 'ISSUED');
  }, 'the invoice of a booking today');
  must(await billing.post(`/invoices/${invoice.id}/payments`, { amount: invoice.total, method: 'CASH' }), 'a payment');
  await until(async () => {
    const seat = `/sessions/${group.id}/participants/${arriving.id}`;
    return (await reception.patch(seat, { status: 'ARRIVED' })).status === 200;
  }, 'a check-in today');

  // Earlier today (or just after midnight, at midnight), as the previous system recorded it.
  const earlier = clinicWallClock(new Date(Math.floor((Date.now() - 90 * 60000) / fiveMinutes) * fiveMinutes), zone);
  const today = clinicWallClock(new Date(), zone);
  const when = earlier.date === today.date ? earlier : { date: today.date, time: '00:00' };
  const row = (n: number, status: string, patientId: string, room: number, provider: number) => ({
    row: n,
    sourceId: `demo-${n}`,
    appointmentNumber: `LEG-DEMO-${n}`,
    patientId,
    clinicId: at.clinic.id,
    roomId: at.rooms[room].id,
    providerId: at.providers[provider].id,
    serviceTypeId: at.speech.id,
    scheduledDate: when.date,
    scheduledTime: when.time,
    durationMinutes: 45,
    status,
    financeCleared: false,
    consentVerified: false,
    legacyBilled: false,
    notes: null,
  });
  const imported = await api.as(tokens.admin).post('/imports/appointments', {
    source: 'demo',
    dryRun: false,
    notify: false,
    rows: [row(1, 'ATTENDED', at.patientIds[3], 1, 1), row(2, 'NO_SHOW', at.patientIds[0], 2, 0)],
  });
  const outcomes = (imported.body?.results ?? []).map((r: { outcome: string }) => r.outcome);
  if (imported.status !== 200 || outcomes.some((o: string) => o !== 'CREATED'))
    throw new Error(`seeding today's earlier appointments failed: ${JSON.stringify(imported.body)}`);
  say(
    `demo data: today, group session ${group.sessionNumber} at ${soon.time} (booked, confirmed, arrived) and two ` +
      `appointments at ${when.time} (attended, no-show)`,
  );
}

/** Asks until the answer is there (another service learns of a change a moment after it), for up to 30 s. */
async function until<T>(ask: () => Promise<T | undefined | false>, what: string): Promise<T> {
  for (let waited = 0; waited < 30000; waited += 250) {
    const answer = await ask();
    if (answer) return answer;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`seeding waited 30 s for ${what}: see the services' logs`);
}

function must(response: { status: number; body: any }, what: string) {
  if (response.status !== 201)
    throw new Error(`seeding ${what} failed: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}
