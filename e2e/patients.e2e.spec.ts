// The first vertical slice: a patient registered through the gateway reaches scheduling's projection via Kafka.
import { eventually, KafkaReader, sql } from '@agdar/testing';
import { Topics } from '@agdar/contracts';
import { Platform, registerTenant, startPlatform } from './support/platform';

describe('registering a patient', () => {
  let platform: Platform;
  beforeAll(async () => (platform = await startPlatform()));
  afterAll(async () => platform?.stop());

  const sara = {
    firstNameEn: 'Sara',
    lastNameEn: 'Haddad',
    firstNameAr: 'سارة',
    lastNameAr: 'حداد',
    dateOfBirth: '2017-09-14',
    phone: '+966501234567',
    preferredLanguage: 'ar',
    channels: ['sms'],
    guardian: { name: 'Mona Haddad', relationship: 'mother', email: 'mona@example.com' },
  };

  it('stores the patient, publishes PatientRegistered, and scheduling learns of it', async () => {
    const tenant = await registerTenant(platform);
    const reception = platform.api.asRole(tenant, 'reception');
    const reader = await KafkaReader.start([Topics.patients.name]);

    const created = await reception.post('/patients', sara);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ ...sara, email: null, id: expect.any(String) });

    const fetched = await reception.get(`/patients/${created.body.id}`);
    expect(fetched.status).toBe(200);
    expect(fetched.body).toEqual(created.body);

    const [message] = await reader.waitFor((m) => m.value.data?.patientId === created.body.id);
    await reader.stop();
    expect(message.key).toBe(created.body.id);
    expect(message.value).toMatchObject({
      type: 'PatientRegistered',
      version: 1,
      tenant,
      actor: 'user-reception',
      data: { lastNameAr: 'حداد' },
    });

    const [projected] = await eventually(async () => {
      const rows = await sql(
        platform.scheduling.databaseUrl!,
        'select tenant, display_name from patients where id = $1',
        [created.body.id],
      );
      return rows.length ? rows : undefined;
    }, "the patient in scheduling's projection");
    expect(projected).toEqual({ tenant, display_name: 'Sara Haddad' });
  });

  it('finds patients by a part of their English or Arabic name, email or phone, a page at a time', async () => {
    const tenant = await registerTenant(platform);
    const reception = platform.api.asRole(tenant, 'reception');
    for (const [first, last] of [
      ['Omar', 'Khalil'],
      ['Layla', 'Khalil'],
      ['Yusuf', 'Nasser'],
    ]) {
      expect(
        (
          await reception.post('/patients', {
            firstNameEn: first,
            lastNameEn: last,
            dateOfBirth: '2015-01-01',
            email: `${first}@example.com`,
          })
        ).status,
      ).toBe(201);
    }
    const page1 = await reception.get('/patients?q=khal&pageSize=1');
    expect(page1.status).toBe(200);
    expect(page1.body).toMatchObject({ total: 2, page: 1, pageSize: 1, items: [{ firstNameEn: 'Layla' }] });
    const page2 = await reception.get('/patients?q=khal&pageSize=1&page=2');
    expect(page2.body.items.map((p: { firstNameEn: string }) => p.firstNameEn)).toEqual(['Omar']);
    expect((await reception.get('/patients?q=yusuf@')).body.total).toBe(1);
    expect((await reception.get('/patients?q=%25')).body.total).toBe(0);
  });

  it('returns the first answer to a retry with the same Idempotency-Key and refuses the key for another body', async () => {
    const reception = platform.api.asRole(await registerTenant(platform), 'reception');
    const key = { 'idempotency-key': `reg-${Date.now()}` };
    const first = await reception.post('/patients', sara, key);
    const retry = await reception.post('/patients', sara, key);
    expect(retry.status).toBe(201);
    expect(retry.body.id).toBe(first.body.id);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect((await reception.get('/patients')).body.total).toBe(1);

    const reused = await reception.post('/patients', { ...sara, firstNameEn: 'Other' }, key);
    expect(reused.status).toBe(422);
    expect(reused.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  describe('changing a patient', () => {
    it('stores the change, publishes PatientUpdated with the fields that changed, and scheduling follows it', async () => {
      const tenant = await registerTenant(platform);
      const reception = platform.api.asRole(tenant, 'reception');
      const reader = await KafkaReader.start([Topics.patients.name]);
      const created = (await reception.post('/patients', sara)).body;

      const changed = await reception.patch(`/patients/${created.id}`, {
        lastNameEn: 'Haddad-Saleh',
        email: 'sara@example.com',
        channels: ['sms', 'email'],
        guardian: null,
      });
      expect(changed.status).toBe(200);
      expect(changed.body).toEqual({
        ...created,
        lastNameEn: 'Haddad-Saleh',
        email: 'sara@example.com',
        channels: ['sms', 'email'],
        guardian: null,
        updatedAt: expect.any(String),
      });
      expect(changed.body.updatedAt > created.updatedAt).toBe(true);
      expect((await reception.get(`/patients/${created.id}`)).body).toEqual(changed.body);

      const [message] = await reader.waitFor(
        (m) => m.value.type === 'PatientUpdated' && m.value.data.patientId === created.id,
      );
      await reader.stop();
      expect(message.key).toBe(created.id);
      expect(message.value.data).toMatchObject({
        lastNameEn: 'Haddad-Saleh',
        email: 'sara@example.com',
        guardian: null,
        changedFields: ['lastNameEn', 'email', 'channels', 'guardian'],
      });
      await eventually(async () => {
        const [row] = await sql<{ display_name: string }>(
          platform.scheduling.databaseUrl!,
          'select display_name from patients where id = $1',
          [created.id],
        );
        return row?.display_name === 'Sara Haddad-Saleh' || undefined;
      }, "the new name in scheduling's projection");
    });

    it('answers a change that changes nothing with the patient as it is', async () => {
      const reception = platform.api.asRole(await registerTenant(platform), 'reception');
      const created = (await reception.post('/patients', sara)).body;
      const same = await reception.patch(`/patients/${created.id}`, { firstNameEn: 'Sara', guardian: sara.guardian });
      expect(same.status).toBe(200);
      expect(same.body).toEqual(created);
    });

    it("refuses a change that leaves a chosen channel without a contact, bad fields, and another tenant's patient, changing nothing", async () => {
      const tenant = await registerTenant(platform);
      const reception = platform.api.asRole(tenant, 'reception');
      const created = (await reception.post('/patients', sara)).body;
      const attempts: [unknown, number, string, string | undefined][] = [
        [{ phone: null }, 400, 'VALIDATION_FAILED', 'channels'], // sms is chosen and the guardian has no phone
        [{ channels: ['email', 'email'] }, 400, 'VALIDATION_FAILED', 'channels'],
        [{ dateOfBirth: '2017-02-30' }, 400, 'VALIDATION_FAILED', 'dateOfBirth'],
        [{ firstNameEn: '' }, 400, 'VALIDATION_FAILED', 'firstNameEn'],
        [{ firstNameEn: null }, 400, 'VALIDATION_FAILED', 'firstNameEn'],
        [{ tenant: 'OTHER' }, 400, 'VALIDATION_FAILED', 'tenant'],
        [{ nationality: 'AAA' }, 400, 'VALIDATION_FAILED', 'nationality'], // was a 500: the refinement threw
        [{ nationality: 'ZZ' }, 400, 'VALIDATION_FAILED', 'nationality'], // was accepted as a country
        [{}, 400, 'VALIDATION_FAILED', undefined],
      ];
      for (const [body, status, code, field] of attempts) {
        const response = await reception.patch(`/patients/${created.id}`, body);
        expect({ body, status: response.status, code: response.body.code }).toEqual({ body, status, code });
        if (field) expect(response.body.errors.map((e: { field: string }) => e.field)).toContain(field);
      }
      const registering = await reception.post('/patients', {
        ...sara,
        email: 'other@example.com',
        nationality: 'AAA',
      });
      expect({
        status: registering.status,
        fields: registering.body.errors?.map((e: { field: string }) => e.field),
      }).toEqual({ status: 400, fields: ['nationality'] });
      const intruder = await platform.api
        .asRole(await registerTenant(platform), 'reception')
        .patch(`/patients/${created.id}`, { lastNameEn: 'Stolen' });
      expect(intruder.status).toBe(404);
      expect((await reception.get(`/patients/${created.id}`)).body).toEqual(created);
    });
  });
});
