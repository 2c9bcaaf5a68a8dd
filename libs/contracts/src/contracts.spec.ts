import { BillingApi, DirectoryApi, ImportsApi, NotificationsApi, PatientsApi, SessionsApi, TenantsApi } from './api';
import {
  allTopics,
  deadLetterTopicOf,
  EventSchemaError,
  parseEventData,
  PatientRegistered,
  PatientUpdated,
  Topics,
} from './index';
import { channelProblems, registerPatientSchema, updatePatientSchema } from './http/patients';
import { createTenantSchema } from './http/tenants';
import { CLINICAL_NOTES, sessionQuerySchema } from './http/sessions';
import { visibleTo } from './http/endpoint';

const patientData = {
  patientId: '6f1c1d2e-8a3b-4c5d-9e6f-0a1b2c3d4e5f',
  firstNameEn: 'Sara',
  lastNameEn: 'Ali',
  firstNameAr: 'سارة',
  lastNameAr: 'علي',
  dateOfBirth: '2018-04-02',
  email: 'sara@example.com',
  phone: null,
  preferredLanguage: 'ar',
  channels: ['email'],
  guardian: null,
};

describe('contracts', () => {
  it('names every topic service.stream.vN and gives each a dead-letter topic', () => {
    const names = allTopics().map((t) => t.name);
    for (const t of Object.values(Topics)) {
      expect(t.name).toMatch(/^[a-z]+\.[a-z-]+\.v\d+$/);
      expect(names).toContain(deadLetterTopicOf(t.name));
    }
  });

  it('accepts event data that matches its schema and keys it by patient', () => {
    expect(parseEventData(PatientRegistered, patientData)).toEqual(patientData);
    expect(PatientRegistered.keyOf(patientData as never)).toBe(patientData.patientId);
  });

  it.each([
    ['a missing field', { ...patientData, lastNameEn: undefined }],
    ['an unknown field', { ...patientData, shoeSize: 41 }],
    ['a wrong type', { ...patientData, channels: 'email' }],
    ['a date that does not exist', { ...patientData, dateOfBirth: '2019-02-29' }],
  ])('refuses event data with %s', (_label, data) => {
    expect(() => parseEventData(PatientRegistered, data)).toThrow(EventSchemaError);
  });
});

describe('PatientUpdated', () => {
  it('carries the full facts and which fields changed, keyed by patient', () => {
    const data = { ...patientData, changedFields: ['email'] };
    expect(parseEventData(PatientUpdated, data)).toEqual(data);
    expect(PatientUpdated.keyOf(data as never)).toBe(patientData.patientId);
    expect(() => parseEventData(PatientUpdated, { ...patientData, changedFields: [] })).toThrow(EventSchemaError);
  });
});

describe('HTTP bodies', () => {
  const patient = { firstNameEn: 'Sara', lastNameEn: 'Ali', dateOfBirth: '2018-04-02', email: 'sara@example.com' };

  it('defaults language and channel', () => {
    expect(registerPatientSchema.parse(patient)).toMatchObject({ preferredLanguage: 'en', channels: ['email'] });
  });

  it('refuses sms without any phone and names the field', () => {
    const result = registerPatientSchema.safeParse({ ...patient, channels: ['sms'] });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0].path).toEqual(['channels']);
  });

  it('accepts a guardian contact in place of the patient contact', () => {
    const child = {
      ...patient,
      email: undefined,
      guardian: { name: 'Huda Ali', relationship: 'mother', email: 'huda@example.com' },
    };
    expect(registerPatientSchema.safeParse(child).success).toBe(true);
  });

  it('names what a chosen channel lacks, for registration and for a change alike', () => {
    expect(
      channelProblems({
        channels: ['email', 'sms'],
        email: 'a@example.com',
        phone: null,
        guardian: { phone: '+966501234567' },
      }),
    ).toEqual([]);
    expect(channelProblems({ channels: ['sms', 'sms'], phone: '+966501234567' })).toEqual([
      'must not repeat a channel',
    ]);
    expect(channelProblems({ channels: ['email'], email: null, guardian: null })).toEqual([
      'email is chosen but neither the patient nor the guardian has an email',
    ]);
  });

  it('takes a change of any one field, null clearing an optional one, and refuses an empty change', () => {
    expect(updatePatientSchema.parse({ email: null })).toEqual({ email: null });
    expect(updatePatientSchema.safeParse({}).success).toBe(false);
    expect(updatePatientSchema.safeParse({ firstNameEn: null }).success).toBe(false);
    expect(updatePatientSchema.safeParse({ id: 'x' }).success).toBe(false);
  });

  it('refuses a date of birth in the future', () => {
    expect(registerPatientSchema.safeParse({ ...patient, dateOfBirth: '2999-01-01' }).success).toBe(false);
  });

  it.each([
    ['Asia/Riyadh', true],
    ['UTC', true],
    ['Mars/Olympus', false],
    ['EST', false],
  ])('time zone %s valid: %s', (timezone, ok) => {
    const body = { code: 'AGDAR', name: 'Agdar', timezone, currency: 'SAR', vatRate: 0.15 };
    expect(createTenantSchema.safeParse(body).success).toBe(ok);
  });

  it.each([
    ['SAR', null],
    ['KWD', null],
    ['XYZ', 'must be an ISO 4217 currency like SAR'],
    ['sar', 'must be an ISO 4217 code like SAR'],
    ['SARS', 'must be an ISO 4217 code like SAR'],
  ])("a tenant's currency %s: %s", (currency, problem) => {
    const body = { code: 'AGDAR', name: 'Agdar', timezone: 'Asia/Riyadh', currency, vatRate: 0.15 };
    const result = createTenantSchema.safeParse(body);
    expect(result.success ? null : result.error.issues.map((i) => i.message).join('; ')).toBe(problem);
  });

  // Values an outside fuzzer sent: every refusal is a clean answer, never a throw (a 500).
  it.each([
    ['SA', null],
    ['ZZ', 'must be an ISO 3166 alpha-2 country code like SA'],
    ['UK', 'must be an ISO 3166 alpha-2 country code like SA'],
    ['AAA', 'must be an ISO 3166 alpha-2 country code like SA'],
    ['sa', 'must be an ISO 3166 alpha-2 country code like SA'],
    ['', 'must be an ISO 3166 alpha-2 country code like SA'],
    ['\u0000\u0000', 'must be an ISO 3166 alpha-2 country code like SA'],
  ])('nationality %j: %s', (nationality, problem) => {
    for (const schema of [registerPatientSchema, updatePatientSchema]) {
      const body = schema === registerPatientSchema ? { ...patient, nationality } : { nationality };
      const result = schema.safeParse(body);
      const messages = result.success ? null : [...new Set(result.error.issues.map((i) => i.message))].join('; ');
      expect(messages).toBe(problem);
    }
  });
});

describe('paging', () => {
  it('serves pages down to the 500th, and says how to reach further', () => {
    expect(sessionQuerySchema.parse({ page: '500' }).page).toBe(500);
    const deep = sessionQuerySchema.safeParse({ page: '100000' });
    expect(deep.success ? null : deep.error.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['page', 'must be at most 500; narrow the list with its filters to reach older entries'],
    ]);
  });
});

describe('fields only some roles read', () => {
  const body = {
    items: [
      {
        id: 's1',
        groupNotes: 'Bring scissors',
        participants: [{ id: 'p1', individualNotes: 'Anxious', noShowReason: null }],
      },
    ],
    total: 1,
  };
  const readableBy = { groupNotes: ['provider'], individualNotes: ['provider'] } as const;

  it('leaves them out at any depth for a caller without those roles, and keeps the rest', () => {
    expect(visibleTo(body, readableBy, ['billing'])).toEqual({
      items: [{ id: 's1', participants: [{ id: 'p1', noShowReason: null }] }],
      total: 1,
    });
  });

  it('keeps them for a caller with one of those roles, and changes nothing given', () => {
    expect(visibleTo(body, readableBy, ['billing', 'provider'])).toEqual(body);
    expect(body.items[0].groupNotes).toBe('Bring scissors');
  });

  it('declares clinical notes on every endpoint that answers a session or a seat', () => {
    const answering = Object.values(SessionsApi).filter((e) => e.operationId !== 'sessionHistory');
    expect(answering.map((e) => e.operationId).sort()).toEqual(
      [
        'addPatient',
        'availableSessions',
        'createSession',
        'getSession',
        'listSessions',
        'removeParticipant',
        'updateParticipant',
        'updateSession',
      ].sort(),
    );
    for (const endpoint of answering) expect(endpoint.readableBy).toBe(CLINICAL_NOTES);
  });
});

describe('endpoint declarations', () => {
  it('are exported under their operationId, the name front ends call them by', () => {
    const groups = [BillingApi, DirectoryApi, ImportsApi, NotificationsApi, PatientsApi, SessionsApi, TenantsApi];
    const misnamed = groups.flatMap((group) =>
      Object.entries(group)
        .filter(([name, endpoint]) => name !== endpoint.operationId)
        .map(([name, endpoint]) => `${name} declares ${endpoint.operationId}`),
    );
    expect(misnamed).toEqual([]);
  });
});
