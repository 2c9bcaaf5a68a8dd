// The appointment importer against the real platform (every service, PostgreSQL, Kafka): a legacy export of 1,000
// appointments over two years imports in one run with the counts the file implies; a dry run writes nothing and says
// the same; a run killed half way and started again ends exactly as an uninterrupted one; a second run creates
// nothing; numbers continue past the imported ones; billing and notification leave imported appointments alone.
import { ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { join } from 'node:path';
import { ApiClient, daysFromToday, eventually, groupsCaughtUp, sql, tokenFor } from '@agdar/testing';
import {
  Fixture,
  FIXTURE_CLINIC,
  FIXTURE_PROVIDERS,
  FIXTURE_ROOMS,
  FIXTURE_SERVICE_TYPES,
  writeLegacyExport,
} from '../tools/import/legacy-fixture';
import { Platform, registerTenant, SERVICE_GROUPS, startPlatform, uniqueTenant } from './support/platform';

const ROOT = join(__dirname, '..');
const WORK = join(ROOT, '.local', 'import-test');
const ROWS = 1000;

interface Summary {
  dryRun: boolean;
  created: number;
  exists: number;
  refused: Record<string, number>;
}

describe('importing legacy appointments', () => {
  let platform: Platform;

  beforeAll(async () => {
    mkdirSync(WORK, { recursive: true });
    platform = await startPlatform();
  }, 120000);

  afterAll(() => platform?.stop());

  /** A tenant with the clinic, rooms, providers and service types the export names, and a price for one of them. */
  async function clinicFor(tenant: string): Promise<void> {
    await registerTenant(platform, tenant);
    const admin = platform.api.asRole(tenant, 'admin');
    const must = async (answer: Promise<{ status: number; body: any }>) => {
      const r = await answer;
      if (r.status !== 201) throw new Error(JSON.stringify(r.body));
      return r.body;
    };
    const clinic = await must(admin.post('/clinics', { name: FIXTURE_CLINIC, timezone: 'Asia/Riyadh' }));
    for (const name of FIXTURE_ROOMS) await must(admin.post('/rooms', { clinicId: clinic.id, name }));
    for (const name of FIXTURE_PROVIDERS) await must(admin.post('/providers', { name, clinicId: clinic.id }));
    for (const type of FIXTURE_SERVICE_TYPES) await must(admin.post('/service-types', type));
  }

  function importer(tenant: string, file: string, ...flags: string[]): ChildProcess {
    return importerAs(tenant, tenant, file, ...flags);
  }

  /** The importer with `--tenant tenant` and an admin token of `tokenTenant`. */
  function importerAs(tenant: string, tokenTenant: string, file: string, ...flags: string[]): ChildProcess {
    return spawn(
      process.execPath,
      [
        '-r',
        join(ROOT, 'tools/register.js'),
        join(ROOT, 'tools/import/import-appointments.ts'),
        file,
        ...flags,
        '--tenant',
        tenant,
      ],
      {
        env: {
          ...process.env,
          IMPORT_API_URL: `${platform.gateway.url}/api`,
          IMPORT_TOKEN: tokenFor(tokenTenant, ['admin'], 'migration-lead'),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
  }

  async function runImporter(tenant: string, file: string, ...flags: string[]) {
    const child = importer(tenant, file, ...flags);
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (c: Buffer) => (stdout += c));
    child.stderr!.on('data', (c: Buffer) => (stderr += c));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    if (code !== 0) throw new Error(`importer exited ${code}: ${stderr}`);
    const line = stdout.split('\n').find((l) => l.startsWith('import-summary '))!;
    return { summary: JSON.parse(line.slice('import-summary '.length)) as Summary, stdout, stderr };
  }

  /**
   * Every table's row count in every service database, once the services have read what is in Kafka (what earlier
   * tests left there included: their consumers' bookkeeping would otherwise change between two counts).
   */
  async function rowCounts(): Promise<Record<string, number>> {
    await eventually(() => groupsCaughtUp(SERVICE_GROUPS), 'the services to have read Kafka to its end', 120000);
    const counts: Record<string, number> = {};
    for (const [service, at] of Object.entries({
      scheduling: platform.scheduling,
      participant: platform.participant,
      billing: platform.billing,
      notification: platform.notification,
    })) {
      const tables = await sql<{ name: string }>(
        at.databaseUrl!,
        `select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`,
      );
      for (const { name } of tables) {
        const [{ n }] = await sql<{ n: number }>(at.databaseUrl!, `select count(*)::int as n from "${name}"`);
        counts[`${service}.${name}`] = n;
      }
    }
    return counts;
  }

  /** What a tenant's import left: each appointment with its session's time and status and its participant's. */
  async function importedState(tenant: string) {
    return sql<Record<string, unknown>>(
      platform.scheduling.databaseUrl!,
      `select p.appointment_number, p.status, p.finance_cleared, p.consent_verified, p.individual_notes,
              s.status as session_status, s.starts_at, s.session_type, s.max_capacity, s.import_source_id
       from participants p join sessions s on s.id = p.session_id
       where p.tenant = $1 order by p.appointment_number`,
      [tenant],
    ).then((rows) =>
      rows.map(
        (r): Record<string, unknown> => ({
          ...r,
          appointment_number: String(r.appointment_number).replace(tenant, 'T'),
        }),
      ),
    );
  }

  const expectedSummary = (fixture: Fixture, dryRun: boolean): Summary => {
    const { CREATED, ...refused } = fixture.expected;
    return {
      dryRun,
      created: CREATED,
      exists: 0,
      refused: Object.fromEntries(Object.entries(refused).filter(([, n]) => n > 0)),
    };
  };

  let tenant: string;
  let fixture: Fixture;
  let file: string;
  let uninterrupted: Awaited<ReturnType<typeof importedState>>;
  /** The appointment number of the one booking of our own the tests make. */
  let ours = '';

  it('imports 1,000 appointments in one run with the counts the file implies; a dry run first writes nothing', async () => {
    tenant = uniqueTenant();
    await clinicFor(tenant);
    file = join(WORK, `legacy-${tenant}.csv`);
    fixture = await writeLegacyExport(file, tenant, ROWS);
    expect(fixture.expected.CREATED).toBeGreaterThan(850);

    const before = await rowCounts();
    const dry = await runImporter(tenant, file, '--dry-run');
    expect(dry.summary).toEqual(expectedSummary(fixture, true));
    expect(await rowCounts()).toEqual(before);

    const real = await runImporter(tenant, file, '--report', join(WORK, `report-${tenant}.csv`));
    expect(real.summary).toEqual(expectedSummary(fixture, false));
    // The report names each bad row by its place in the file.
    const report = readFileSync(join(WORK, `report-${tenant}.csv`), 'utf8');
    for (const kind of ['UNKNOWN_TENANT', 'INVALID_DATE', 'CAPACITY_NOT_ONE', 'DUPLICATE_IN_SOURCE'] as const)
      expect(report).toMatch(new RegExp(`^${fixture.examples[kind]},[^,]*,${kind},`, 'm'));
    expect(real.stderr).toMatch(/rows\/s/);

    uninterrupted = await importedState(tenant);
    expect(uninterrupted).toHaveLength(fixture.expected.CREATED);
    expect(uninterrupted.every((r) => r.session_type === 'INDIVIDUAL' && r.max_capacity === 1)).toBe(true);
  }, 600000);

  it('creates nothing on a second run, and says so', async () => {
    const again = await runImporter(tenant, file);
    expect(again.summary).toEqual({
      ...expectedSummary(fixture, false),
      created: 0,
      exists: fixture.expected.CREATED,
    });
    expect(await importedState(tenant)).toEqual(uninterrupted);
  }, 600000);

  it('ends a run killed half way and started again exactly as the uninterrupted one', async () => {
    const other = uniqueTenant();
    await clinicFor(other);
    const otherFile = join(WORK, `legacy-${other}.csv`);
    await writeLegacyExport(otherFile, other, ROWS);
    const child = importer(other, otherFile);
    const exited = new Promise((resolve) => child.on('exit', resolve));
    await eventually(
      async () => {
        const [{ n }] = await sql<{ n: number }>(
          platform.scheduling.databaseUrl!,
          'select count(*)::int as n from participants where tenant = $1',
          [other],
        );
        return n >= ROWS / 2;
      },
      'half of the appointments to be imported',
      300000,
    );
    child.kill('SIGKILL');
    await exited;
    const resumed = await runImporter(other, otherFile);
    expect(resumed.summary.created + resumed.summary.exists).toBe(fixture.expected.CREATED);
    expect(resumed.summary.exists).toBeGreaterThanOrEqual(ROWS / 2 - 200);
    expect(await importedState(other)).toEqual(uninterrupted);
  }, 600000);

  it('keeps our numbers above every imported one of the year, and records the import in the history', async () => {
    const year = Number(daysFromToday(1).slice(0, 4));
    const reception = platform.api.asRole(tenant, 'reception');
    const [{ clinic_id, room_id, provider_id, service_type_id, patient_id }] = await sql<any>(
      platform.scheduling.databaseUrl!,
      `select s.clinic_id, s.room_id, s.provider_id, s.service_type_id, p.patient_id from sessions s
       join participants p on p.session_id = s.id where s.tenant = $1 limit 1`,
      [tenant],
    );
    const session = await reception.post('/sessions', {
      sessionType: 'GROUP',
      maxCapacity: 4,
      clinicId: clinic_id,
      roomId: room_id,
      providerId: provider_id,
      serviceTypeId: service_type_id,
      scheduledDate: daysFromToday(400),
      scheduledTime: '06:05',
      durationMinutes: 5,
    });
    expect(session.status).toBe(201);
    const booked = await reception.post(`/sessions/${session.body.id}/add-patient`, { patientId: patient_id });
    expect(booked.status).toBe(201);
    ours = booked.body.appointmentNumber;
    const [, bookedYear, n] = /^APT-[A-Z0-9]+-(\d{4})-(\d+)$/.exec(booked.body.appointmentNumber)!;
    expect(Number(bookedYear)).toBe(year);
    expect(Number(n)).toBeGreaterThan(fixture.highestOwn[year] ?? 0);
    const numbers = await sql<{ n: number }>(
      platform.scheduling.databaseUrl!,
      'select count(*)::int as n from participants where tenant = $1 group by appointment_number having count(*) > 1',
      [tenant],
    );
    expect(numbers).toEqual([]);

    const [{ session_id }] = await sql<{ session_id: string }>(
      platform.scheduling.databaseUrl!,
      'select session_id from participants where tenant = $1 limit 1',
      [tenant],
    );
    const history = await new ApiClient(`${platform.gateway.url}/api`, tokenFor(tenant, ['admin'])).get(
      `/sessions/${session_id}/history`,
    );
    expect(history.body.items[0]).toMatchObject({
      action: 'SESSION_IMPORTED',
      actor: 'migration-lead',
      changes: { source: { before: null, after: expect.stringContaining(`legacy-${tenant}.csv`) } },
    });
  }, 120000);

  it('invoices only what the legacy system did not bill, and sends nothing for imported appointments', async () => {
    const invoiced = async (numbers: string[]) => {
      const [{ n }] = await sql<{ n: number }>(
        platform.billing.databaseUrl!,
        'select count(*)::int as n from invoices where tenant = $1 and appointment_number = any($2)',
        [tenant, numbers],
      );
      return n;
    };
    // Notification has heard of every imported appointment...
    await eventually(
      async () => {
        const [{ known }] = await sql<{ known: number }>(
          platform.notification.databaseUrl!,
          'select count(*)::int as known from participants where tenant = $1',
          [tenant],
        );
        return known >= fixture.expected.CREATED;
      },
      'notification to know the imported appointments',
      120000,
    );
    await eventually(
      async () => (await invoiced(fixture.toInvoice)) === fixture.toInvoice.length,
      'the appointments not billed before to be invoiced',
      120000,
    );
    expect(await invoiced(fixture.legacyBilled)).toBe(0);
    const [{ n }] = await sql<{ n: number }>(
      platform.notification.databaseUrl!,
      `select count(*)::int as n from deliveries where tenant = $1 and kind in ('BOOKING_CONFIRMATION', 'REMINDER')`,
      [tenant],
    );
    // Only the booking of ours (the test above) is told anything; none of the imported appointments is.
    const [{ told }] = await sql<{ told: number }>(
      platform.notification.databaseUrl!,
      `select count(*)::int as told from deliveries where tenant = $1 and appointment_number <> $2`,
      [tenant, ours],
    );
    expect(told).toBe(0);
    expect(n).toBeLessThanOrEqual(1);
    const [{ reminders }] = await sql<{ reminders: number }>(
      platform.notification.databaseUrl!,
      `select count(*)::int as reminders from reminders r join participants p on p.id = r.participant_id
       where r.tenant = $1 and p.appointment_number <> $2`,
      [tenant, ours],
    );
    expect(reminders).toBe(0);
  }, 180000);

  it('reads the legacy table itself, creates what is missing when asked, and confirms only what is still ahead', async () => {
    const small = uniqueTenant();
    await clinicFor(small);
    const smallFile = join(WORK, `legacy-${small}.csv`);
    const smallFixture = await writeLegacyExport(smallFile, small, 60);
    expect(smallFixture.notifiable.length).toBeGreaterThan(0);
    // The legacy system's table, in a database of its own, loaded from the same export.
    const legacyUrl = platform.scheduling.databaseUrl!.replace(/\/[^/]+$/, `/legacy_${small.toLowerCase()}`);
    await sql(
      platform.scheduling.databaseUrl!.replace(/\/[^/]+$/, '/postgres'),
      `create database legacy_${small.toLowerCase()}`,
    );
    const [header, ...lines] = readFileSync(smallFile, 'utf8').trim().split('\n');
    const columns = header.split(',');
    await sql(legacyUrl, `create table appointments (${columns.map((c) => `"${c}" text`).join(', ')})`);
    const { parse } = await import('csv-parse/sync');
    const records: string[][] = parse(lines.join('\n'));
    for (const record of records)
      await sql(legacyUrl, `insert into appointments values (${record.map((_, i) => `$${i + 1}`).join(', ')})`, record);
    try {
      const run = await runImporter(
        small,
        '--from-database',
        legacyUrl,
        '--table',
        'appointments',
        '--create-missing',
        '--notify',
      );
      const { CREATED, UNKNOWN_PROVIDER, ...refused } = smallFixture.expected;
      expect(run.summary).toEqual({
        dryRun: false,
        created: CREATED + UNKNOWN_PROVIDER,
        exists: 0,
        refused: Object.fromEntries(Object.entries(refused).filter(([, n]) => n > 0)),
      });
      expect(run.stderr).toMatch(/created provider Dr\. Unknown/);
      await eventually(
        async () => {
          const told = await sql<{ appointment_number: string }>(
            platform.notification.databaseUrl!,
            `select distinct appointment_number from deliveries where tenant = $1 and kind = 'BOOKING_CONFIRMATION'`,
            [small],
          );
          return told.length === smallFixture.notifiable.length;
        },
        'confirmations of the appointments still ahead',
        120000,
      );
      const told = await sql<{ appointment_number: string }>(
        platform.notification.databaseUrl!,
        `select distinct appointment_number from deliveries where tenant = $1`,
        [small],
      );
      expect(told.map((t) => t.appointment_number).sort()).toEqual([...smallFixture.notifiable].sort());
    } finally {
      await sql(
        platform.scheduling.databaseUrl!.replace(/\/[^/]+$/, '/postgres'),
        `drop database legacy_${small.toLowerCase()}`,
      );
    }
  }, 300000);

  it("refuses to run with another tenant's token than --tenant names, writing nothing", async () => {
    const other = uniqueTenant();
    await clinicFor(other);
    const seats = async (of: string) =>
      (
        await sql<{ n: number }>(
          platform.scheduling.databaseUrl!,
          'select count(*)::int as n from participants where tenant = $1',
          [of],
        )
      )[0].n;
    const before = await seats(tenant);
    const child = importerAs(tenant, other, file);
    let stderr = '';
    child.stderr!.on('data', (c: Buffer) => (stderr += c));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toEqual([
      `import: IMPORT_TOKEN is a token of tenant ${other}, not ${tenant}; use an admin token of ${tenant}`,
    ]);
    expect([await seats(tenant), await seats(other)]).toEqual([before, 0]);
  }, 60000);

  it("refuses a row naming another tenant's records, and a bad batch, writing nothing", async () => {
    const stranger = uniqueTenant();
    await clinicFor(stranger);
    const [theirs] = await sql<any>(
      platform.scheduling.databaseUrl!,
      `select s.clinic_id, s.room_id, s.provider_id, s.service_type_id, p.patient_id from sessions s
       join participants p on p.session_id = s.id where s.tenant = $1 limit 1`,
      [tenant],
    );
    const [strangers] = await sql<any>(
      platform.scheduling.databaseUrl!,
      `select c.id as clinic_id, r.id as room_id, p.id as provider_id, t.id as service_type_id from clinics c
       join rooms r on r.clinic_id = c.id join providers p on p.tenant = c.tenant
       join service_types t on t.tenant = c.tenant where c.tenant = $1 limit 1`,
      [stranger],
    );
    const sessionsOf = async (code: string) =>
      (
        await sql<{ n: number }>(
          platform.scheduling.databaseUrl!,
          'select count(*)::int as n from sessions where tenant = $1',
          [code],
        )
      )[0].n;
    const before = [await sessionsOf(tenant), await sessionsOf(stranger)];
    const admin = new ApiClient(`${platform.gateway.url}/api`, tokenFor(stranger, ['admin']));
    const row = {
      row: 1,
      sourceId: 'stranger-1',
      appointmentNumber: 'LEG-STRANGER-1',
      patientId: theirs.patient_id,
      clinicId: theirs.clinic_id,
      roomId: theirs.room_id,
      providerId: theirs.provider_id,
      serviceTypeId: theirs.service_type_id,
      scheduledDate: daysFromToday(-3),
      scheduledTime: '10:00',
      durationMinutes: 45,
      status: 'ATTENDED',
      financeCleared: true,
      consentVerified: true,
      legacyBilled: true,
      notes: null,
    };
    const answer = await admin.post('/imports/appointments', {
      source: 'x.csv',
      dryRun: false,
      notify: false,
      rows: [row],
    });
    expect(answer.status).toBe(200);
    expect(answer.body.results).toEqual([
      expect.objectContaining({ row: 1, outcome: 'REFUSED', reason: 'NOT_FOUND', sessionId: null }),
    ]);
    // A dry run's stand-in for a patient to be registered cannot borrow another tenant's patient.
    const standIn = await admin.post('/imports/appointments', {
      source: 'x.csv',
      dryRun: true,
      notify: false,
      rows: [
        {
          ...row,
          clinicId: strangers.clinic_id,
          roomId: strangers.room_id,
          providerId: strangers.provider_id,
          serviceTypeId: strangers.service_type_id,
          newPatient: { nameEn: 'Borrowed' },
        },
      ],
    });
    expect(standIn.body.results).toEqual([
      expect.objectContaining({ outcome: 'REFUSED', reason: 'VALIDATION_FAILED' }),
    ]);
    const empty = await admin.post('/imports/appointments', {
      source: 'x.csv',
      dryRun: false,
      notify: false,
      rows: [],
    });
    expect(empty.status).toBe(400);
    expect(empty.body.code).toBe('VALIDATION_FAILED');
    const tooMany = await admin.post('/imports/appointments', {
      source: 'x.csv',
      dryRun: false,
      notify: false,
      rows: Array.from({ length: 101 }, (_, i) => ({ ...row, row: i + 1, appointmentNumber: `LEG-S-${i}` })),
    });
    expect(tooMany.status).toBe(400);
    const reception = new ApiClient(`${platform.gateway.url}/api`, tokenFor(stranger, ['reception']));
    expect(
      (await reception.post('/imports/appointments', { source: 'x.csv', dryRun: false, notify: false, rows: [row] }))
        .status,
    ).toBe(403);
    expect([await sessionsOf(tenant), await sessionsOf(stranger)]).toEqual(before);
  }, 120000);

  it('answers a batch sent twice at once (a run restarted while its last batch still ran) with EXISTS, not conflicts', async () => {
    const [ours] = await sql<any>(
      platform.scheduling.databaseUrl!,
      `select s.clinic_id, s.room_id, s.provider_id, s.service_type_id, p.patient_id from sessions s
       join participants p on p.session_id = s.id where s.tenant = $1 limit 1`,
      [tenant],
    );
    const rows = Array.from({ length: 30 }, (_, i) => ({
      row: i + 1,
      sourceId: `race-${i}`,
      appointmentNumber: `LEG-RACE-${i}`,
      patientId: ours.patient_id,
      clinicId: ours.clinic_id,
      roomId: ours.room_id,
      providerId: ours.provider_id,
      serviceTypeId: ours.service_type_id,
      scheduledDate: daysFromToday(450 + i),
      scheduledTime: '05:00',
      durationMinutes: 30,
      status: 'BOOKED',
      financeCleared: false,
      consentVerified: false,
      legacyBilled: false,
      notes: null,
    }));
    const admin = new ApiClient(`${platform.gateway.url}/api`, tokenFor(tenant, ['admin']));
    const send = () => admin.post('/imports/appointments', { source: 'race.csv', dryRun: false, notify: false, rows });
    const answers = await Promise.all([send(), send()]);
    const outcomes = answers.map((a) => [...new Set(a.body.results.map((r: { outcome: string }) => r.outcome))]);
    expect(outcomes.sort()).toEqual([['CREATED'], ['EXISTS']]);
  }, 60000);

  describe('as the next clinic will use it', () => {
    const HEADER =
      'tenant,appointment_number,patient_external_id,patient_first_name_en,patient_last_name_en,patient_date_of_birth,' +
      'patient_email,patient_phone,provider,clinic,room,service_type,date,time,duration_minutes,status,' +
      'finance_cleared,consent_verified,legacy_billed,notes';
    const quote = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
    let day = 0;
    /** One attended appointment of the past, each on a day of its own, with the fields given changed. */
    const rowOf = (code: string, number: string, change: Record<string, string> = {}) => {
      day++;
      const fields: Record<string, string> = {
        tenant: code,
        appointment_number: number,
        patient_external_id: `NEXT-${number}`,
        patient_first_name_en: 'Sara',
        patient_last_name_en: `Next${day}`,
        patient_date_of_birth: '2017-05-05',
        patient_email: '',
        patient_phone: '',
        provider: FIXTURE_PROVIDERS[0],
        clinic: FIXTURE_CLINIC,
        room: FIXTURE_ROOMS[0],
        service_type: FIXTURE_SERVICE_TYPES[0].code,
        date: daysFromToday(-900 + day),
        time: '09:00',
        duration_minutes: '45',
        status: 'ATTENDED',
        finance_cleared: 'true',
        consent_verified: 'true',
        legacy_billed: 'true',
        notes: '',
        ...change,
      };
      return HEADER.split(',')
        .map((column) => quote(fields[column]))
        .join(',');
    };

    it('refuses each ordinary bad row alone with its row number and reason, and the run goes on', async () => {
      const code = uniqueTenant();
      await clinicFor(code);
      // Thirty rows of long Arabic notes with line breaks: ~8 kB each, a request's worth in ten rows, not a hundred.
      const longNotes = `ملاحظات الجلسة\n${'تحسّن ملحوظ في التواصل. '.repeat(130)}`.slice(0, 3990);
      const rows = [
        rowOf(code, 'NEXT-LOCAL-PHONE', { patient_phone: '050 123 4567' }),
        rowOf(code, 'NEXT-NA-EMAIL', { patient_email: 'n/a' }),
        rowOf(code, 'NEXT-1899', { patient_date_of_birth: '1899-12-31' }),
        rowOf(code, 'NEXT-LONG-NOTES', { notes: 'x'.repeat(4001) }),
        rowOf(code, 'NEXT-1999', { date: '1999-05-05' }),
        rowOf(code, '=HYPERLINK("http://evil.example","open")', { patient_email: 'none' }),
        ...Array.from({ length: 30 }, (_, i) => rowOf(code, `NEXT-ARABIC-${i}`, { notes: longNotes })),
      ];
      const csv = join(WORK, `next-${code}.csv`);
      writeFileSync(csv, `${HEADER}\n${rows.join('\n')}\n`);
      const reportFile = join(WORK, `next-report-${code}.csv`);

      const run = await runImporter(code, csv, '--report', reportFile);
      expect(run.stderr).toContain(`; ${rows.length} rows from`); // records, not the lines the notes break into
      expect(run.summary).toEqual({
        dryRun: false,
        created: 31,
        exists: 0,
        refused: { INVALID_FIELD: 2, INVALID_PATIENT: 3 },
      });
      const [phone] = await sql<{ phone: string }>(
        platform.participant.databaseUrl!,
        `select phone from patients where tenant = $1 and external_id = 'NEXT-NEXT-LOCAL-PHONE'`,
        [code],
      );
      expect(phone.phone).toBe('+966501234567');

      const report = parse(readFileSync(reportFile, 'utf8'), { columns: true }) as Record<string, string>[];
      expect(report.map((r) => [r.row, r.reason])).toEqual([
        ['2', 'INVALID_PATIENT'],
        ['3', 'INVALID_PATIENT'],
        ['4', 'INVALID_FIELD'],
        ['5', 'INVALID_FIELD'],
        ['6', 'INVALID_PATIENT'],
      ]);
      expect(report[0].detail).toBe('patient_email "n/a" must be an email address.');
      expect(report[3].detail).toBe('date "1999-05-05" must be 2000-01-01 or later.');
      // What the legacy file held is shown in a spreadsheet, never run as a formula.
      expect(report[4].appointment_number).toBe(`'=HYPERLINK("http://evil.example","open")`);
    }, 180000);

    it('stops on a file that is not UTF-8 in one line that says what to do, writing nothing', async () => {
      const code = uniqueTenant();
      await clinicFor(code);
      // "سارة" in Windows-1256, as an Arabic Excel saves "CSV".
      const row = Buffer.from(rowOf(code, 'NEXT-1256', { patient_first_name_en: 'SARA_NAME' }), 'utf8');
      const at = row.indexOf('SARA_NAME');
      const windows1256 = Buffer.concat([
        Buffer.from(`${HEADER}\n`),
        row.subarray(0, at),
        Buffer.from([0xd3, 0xc7, 0xd1, 0xc9]),
        row.subarray(at + 'SARA_NAME'.length),
        Buffer.from('\n'),
      ]);
      const csv = join(WORK, `next-1256-${code}.csv`);
      writeFileSync(csv, windows1256);
      const before = await rowCounts();
      const child = importer(code, csv);
      let stderr = '';
      child.stderr!.on('data', (c: Buffer) => (stderr += c));
      expect(await new Promise<number | null>((resolve) => child.on('exit', resolve))).toBe(1);
      expect(stderr.trim().split('\n')).toEqual([
        `import: ${csv} is not UTF-8 text (an Excel "CSV" or a Windows-1256 export?): save it as "CSV UTF-8", ` +
          `or convert it with iconv -f WINDOWS-1256 -t UTF-8 ${csv} > utf8.csv, and import that`,
      ]);
      expect(await rowCounts()).toEqual(before);
    }, 60000);

    it('answers --help alone, before any tenant or file is named', async () => {
      const child = spawn(
        process.execPath,
        ['-r', join(ROOT, 'tools/register.js'), join(ROOT, 'tools/import/import-appointments.ts'), '--help'],
        { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, IMPORT_API_URL: 'http://127.0.0.1:9/api' } },
      );
      let stdout = '';
      child.stdout!.on('data', (c: Buffer) => (stdout += c));
      expect(await new Promise<number | null>((resolve) => child.on('exit', resolve))).toBe(0);
      expect(stdout).toContain('npm run import:appointments -- <file.csv> --tenant <code>');
      expect(stdout).toContain('--dry-run');
    }, 60000);
  });
});
