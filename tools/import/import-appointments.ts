// npm run import:appointments -- <file.csv> --tenant AGDAR [--dry-run] [--create-missing] [--notify]
// npm run import:appointments -- --from-database <postgres url> --table <name> --tenant AGDAR [...]
//
// Brings a clinic's existing appointments in through the gateway: each becomes an INDIVIDUAL session of capacity 1
// whose participant keeps its appointment number, status and flags (docs/importing-appointments.md). The source is
// streamed; rows go to scheduling in batches, each row written whole or refused with its reason. Keyed by tenant and
// appointment number, so a second run creates nothing, and a run killed half way and started again ends as one that
// was never interrupted. --dry-run checks everything and writes nothing.
import { createHash } from 'node:crypto';
import { createReadStream, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Transform } from 'node:stream';
import { CsvError, parse } from 'csv-parse';
import { stringify } from 'csv-stringify/sync';
import { SingleBar } from 'cli-progress';
import { Client } from 'pg';
import { ImportRow, MAX_IMPORT_BATCH, MAX_IMPORT_BATCH_BYTES, spreadsheetText } from '@agdar/contracts';
import {
  chunksBySize,
  COLUMNS,
  ImportTenant,
  intervalOf,
  isRefusal,
  LegacyRow,
  nameKey,
  OverlapTracker,
  ParsedRow,
  parseRow,
  Refusal,
} from './import-rules';

interface Options {
  file: string | null;
  database: string | null;
  table: string | null;
  tenant: string;
  api: string;
  token: string | null;
  dryRun: boolean;
  createMissing: boolean;
  notify: boolean;
  batch: number;
  timezone: string;
  report: string;
}

class Fatal extends Error {}

/**
 * The longest record a legacy file may hold, in characters: a row of every column with 4000 characters of notes stays
 * far below it, and one above it is a quote left open, which would swallow the rows after it.
 */
const MAX_RECORD_CHARACTERS = 65_536;

const USAGE = `Brings a clinic's existing appointments in through the gateway (docs/importing-appointments.md).

  npm run import:appointments -- <file.csv> --tenant <code> [options]
  npm run import:appointments -- --from-database <postgres url> --table <name> --tenant <code> [options]

  --tenant <code>      the tenant the appointments belong to (IMPORT_TOKEN must be an admin's of it)
  --dry-run            check every row as the import would, and write nothing
  --create-missing     create the clinics, rooms, providers and service types the rows name
  --notify             send confirmations and reminders for imported appointments still ahead
  --batch <n>          rows per request, 1-${MAX_IMPORT_BATCH} (default ${MAX_IMPORT_BATCH}; requests stay under ${MAX_IMPORT_BATCH_BYTES} bytes)
  --timezone <zone>    the zone of clinics --create-missing creates (default Asia/Riyadh)
  --report <path>      where every refused row is written as CSV (default .local/import/report.csv)
  --api <url>          the gateway (default IMPORT_API_URL, else http://127.0.0.1:3000/api)
  --help               this text
`;

/** Batches whose patients are being resolved ahead of the one being imported. */
const LOOKAHEAD_BATCHES = 2;
const PATIENT_REQUESTS_IN_FLIGHT = 16;

class Help extends Error {}

function optionsOf(argv: string[]): Options {
  if (argv.includes('--help') || argv.includes('-h')) throw new Help();
  const value = (name: string) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? (argv[i + 1] ?? null) : null;
  };
  const flag = (name: string) => argv.includes(`--${name}`);
  const valued = new Set(['from-database', 'table', 'tenant', 'api', 'batch', 'timezone', 'report']);
  const positional = argv.filter((a, i) => !a.startsWith('--') && !valued.has(argv[i - 1]?.replace(/^--/, '')));
  const options: Options = {
    file: positional[0] ?? null,
    database: value('from-database'),
    table: value('table'),
    tenant: value('tenant') ?? '',
    api: (value('api') ?? process.env.IMPORT_API_URL ?? 'http://127.0.0.1:3000/api').replace(/\/$/, ''),
    token: process.env.IMPORT_TOKEN ?? null,
    dryRun: flag('dry-run'),
    createMissing: flag('create-missing'),
    notify: flag('notify'),
    batch: Number(value('batch') ?? MAX_IMPORT_BATCH),
    timezone: value('timezone') ?? 'Asia/Riyadh',
    report: value('report') ?? resolve(__dirname, '..', '..', '.local', 'import', 'report.csv'),
  };
  if (!/^[A-Z][A-Z0-9]{1,15}$/.test(options.tenant))
    throw new Fatal('--tenant is required: the tenant code the appointments belong to, like AGDAR');
  if (!options.file === !options.database)
    throw new Fatal('name one source: a CSV file, or --from-database <postgres url> --table <name>');
  if (options.database && !/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$/.test(options.table ?? ''))
    throw new Fatal('--table is required with --from-database: a table name like legacy_appointments');
  if (!Number.isInteger(options.batch) || options.batch < 1 || options.batch > MAX_IMPORT_BATCH)
    throw new Fatal(`--batch must be 1-${MAX_IMPORT_BATCH} rows`);
  return options;
}

// ---------------------------------------------------------------- the platform, through the gateway

class Api {
  constructor(
    private readonly base: string,
    private token: string | null,
  ) {}

  /** Without IMPORT_TOKEN, a platform in development mode signs the tenant's demo admin in. */
  async signIn(tenant: string): Promise<void> {
    if (this.token) return;
    const settings = await fetch(this.base.replace(/\/api$/, '/console-settings.json'))
      .then((r) => r.json() as Promise<{ signIn: string; tenant?: string }>)
      .catch(() => null);
    if (settings?.signIn !== 'development' || settings.tenant !== tenant)
      throw new Fatal(`set IMPORT_TOKEN to an admin token of ${tenant} (the gateway at ${this.base} gives none)`);
    const answer = await this.call<{ token: string }>('POST', '/dev/token', { userId: 'demo-admin' });
    this.token = answer.token;
  }

  /**
   * The token's own tenant must be the one named: the gateway files everything under the token's tenant, so a file of
   * clinic A with `--tenant A` and an admin token of clinic B would land A's patients in B.
   */
  async checkTenant(tenant: string): Promise<ImportTenant> {
    const me = await this.call<{
      tenant: { code: string; registered: boolean; country: string | null };
      roles: string[];
    }>('GET', '/me');
    if (me.tenant.code !== tenant)
      throw new Fatal(
        `IMPORT_TOKEN is a token of tenant ${me.tenant.code}, not ${tenant}; use an admin token of ${tenant}`,
      );
    if (!me.tenant.registered) throw new Fatal(`tenant ${tenant} is not registered on ${this.base}; create it first`);
    if (!me.roles.includes('admin')) throw new Fatal(`IMPORT_TOKEN must be an admin's token of ${tenant}`);
    return { code: tenant, country: me.tenant.country ?? 'SA' };
  }

  async call<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      let response: Response;
      try {
        response = await fetch(`${this.base}${path}`, {
          method,
          headers: {
            accept: 'application/json',
            ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
            ...headers,
          },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
      } catch (error) {
        if (attempt < 10) {
          await sleep(500 * attempt);
          continue;
        }
        throw new Fatal(
          `the gateway at ${this.base} does not answer (${(error as Error).message}); start it and run again`,
        );
      }
      if ((response.status === 503 || response.status === 429) && attempt < 20) {
        await sleep(Number(response.headers.get('retry-after') ?? 1) * 1000);
        continue;
      }
      const text = await response.text();
      const json = jsonOf(text);
      if (response.status === 413)
        throw new Fatal(
          `the gateway at ${this.base} refuses requests of ${MAX_IMPORT_BATCH_BYTES} bytes; ` +
            `raise its BODY_LIMIT to 64kb (the default) and run again`,
        );
      if (!response.ok) throw new ApiError(response.status, json?.code ?? 'ERROR', json?.detail ?? text.slice(0, 200));
      return json as T;
    }
  }

  async all<T>(path: string): Promise<T[]> {
    const items: T[] = [];
    for (let page = 1; ; page++) {
      const answer = await this.call<{ items: T[]; total: number }>('GET', `${path}?page=${page}&pageSize=100`);
      items.push(...answer.items);
      if (items.length >= answer.total || answer.items.length === 0) return items;
    }
  }
}

class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
  ) {
    super(`${status} ${code}: ${detail}`);
  }
}

/** An answer's JSON, or null for one that is not (a proxy's HTML error page). */
function jsonOf(text: string): any {
  try {
    return text ? JSON.parse(text) : null;
  } catch {
    return null;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A stand-in id, the same on every run, for what a dry run would create. */
function standInId(key: string): string {
  const hex = createHash('sha1').update(key).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

// ---------------------------------------------------------------- reference data and patients

interface Named {
  id: string;
  name: string;
}

class References {
  private clinics = new Map<string, Named & { timezone: string }>();
  private rooms = new Map<string, Named & { clinicId: string }>();
  private providers = new Map<string, Named>();
  private serviceTypes = new Map<string, Named & { code: string }>();
  /** What a dry run would create, by kind and name. */
  readonly wouldCreate = new Set<string>();
  readonly created = new Set<string>();

  constructor(
    private readonly api: Api,
    private readonly options: Options,
  ) {}

  async load(): Promise<void> {
    for (const c of await this.api.all<Named & { timezone: string }>('/clinics')) this.clinics.set(nameKey(c.name), c);
    for (const r of await this.api.all<Named & { clinicId: string }>('/rooms'))
      this.rooms.set(`${r.clinicId}|${nameKey(r.name)}`, r);
    for (const p of await this.api.all<Named>('/providers')) this.providers.set(nameKey(p.name), p);
    for (const s of await this.api.all<Named & { code: string }>('/service-types')) {
      this.serviceTypes.set(nameKey(s.name), s);
      this.serviceTypes.set(nameKey(s.code), s);
    }
  }

  /** The row's clinic, room, provider and service type, created where --create-missing says so; or what is unknown. */
  async resolve(row: ParsedRow): Promise<
    | {
        clinicId: string;
        roomId: string;
        providerId: string;
        serviceTypeId: string;
        timezone: string;
        standIn: boolean;
      }
    | { unknown: string; name: string }
  > {
    let standIn = false;
    const clinic = await this.find(this.clinics, nameKey(row.clinic), 'clinic', row.clinic, async () => {
      return this.api.call<Named & { timezone: string }>('POST', '/clinics', {
        name: row.clinic,
        timezone: this.options.timezone,
      });
    });
    if (!clinic) return { unknown: 'UNKNOWN_CLINIC', name: row.clinic };
    standIn ||= clinic.id.startsWith('stand-in');
    const room = await this.find(this.rooms, `${clinic.id}|${nameKey(row.room)}`, 'room', row.room, () =>
      this.api.call<Named & { clinicId: string }>('POST', '/rooms', { clinicId: clinic.id, name: row.room }),
    );
    if (!room) return { unknown: 'UNKNOWN_ROOM', name: row.room };
    const provider = await this.find(this.providers, nameKey(row.provider), 'provider', row.provider, () =>
      this.api.call<Named>('POST', '/providers', { name: row.provider, clinicId: clinic.id }),
    );
    if (!provider) return { unknown: 'UNKNOWN_PROVIDER', name: row.provider };
    const serviceType = await this.find(
      this.serviceTypes,
      nameKey(row.serviceType),
      'service type',
      row.serviceType,
      () =>
        this.api.call<Named & { code: string }>('POST', '/service-types', {
          name: row.serviceType,
          code: codeOf(row.serviceType),
          defaultDurationMinutes: row.durationMinutes,
        }),
    );
    if (!serviceType) return { unknown: 'UNKNOWN_SERVICE_TYPE', name: row.serviceType };
    standIn ||= [room, provider, serviceType].some((r) => r.id.startsWith('stand-in'));
    return {
      clinicId: clinic.id,
      roomId: room.id,
      providerId: provider.id,
      serviceTypeId: serviceType.id,
      timezone: clinic.timezone ?? this.options.timezone,
      standIn,
    };
  }

  private async find<T extends Named>(
    map: Map<string, T>,
    key: string,
    kind: string,
    name: string,
    create: () => Promise<T>,
  ): Promise<T | null> {
    const known = map.get(key);
    if (known) return known;
    if (!this.options.createMissing) return null;
    if (this.options.dryRun) {
      this.wouldCreate.add(`${kind} ${name}`);
      const standIn = { id: `stand-in:${kind}:${key}`, name, timezone: this.options.timezone } as unknown as T;
      map.set(key, standIn);
      return standIn;
    }
    const created = await create();
    this.created.add(`${kind} ${name}`);
    map.set(key, created);
    return created;
  }
}

const codeOf = (name: string) =>
  (
    name
      .toUpperCase()
      .replace(/[^A-Z0-9]+/g, '_')
      .replace(/^_+|_+$/g, '')
      .replace(/^(\d)/, 'S$1') || 'SERVICE'
  ).slice(0, 32);

class Patients {
  private readonly ids = new Map<string, string>();
  /** Patients being looked up or registered, so two batches resolving at once ask once. */
  private readonly inFlight = new Map<string, Promise<void>>();
  /** Patients the platform would not register, with its reason: their rows are refused, the run goes on. */
  private readonly refused = new Map<string, { reason: string; detail: string }>();
  readonly wouldCreate = new Set<string>();
  created = 0;

  constructor(
    private readonly api: Api,
    private readonly dryRun: boolean,
  ) {}

  /** The patients of a batch, by external id: found, registered, or (dry run) stood in for. */
  async resolve(rows: ParsedRow[]): Promise<void> {
    const missing = [...new Map(rows.map((r) => [r.patient.externalId, r.patient])).values()].filter(
      (p) => !this.ids.has(p.externalId),
    );
    for (let i = 0; i < missing.length; i += PATIENT_REQUESTS_IN_FLIGHT) {
      await Promise.all(
        missing.slice(i, i + PATIENT_REQUESTS_IN_FLIGHT).map((p) => {
          let resolving = this.inFlight.get(p.externalId);
          if (!resolving) {
            resolving = this.resolveOne(p).finally(() => this.inFlight.delete(p.externalId));
            this.inFlight.set(p.externalId, resolving);
          }
          return resolving;
        }),
      );
    }
  }

  idOf(externalId: string): string {
    return this.ids.get(externalId)!;
  }

  refusalOf(externalId: string): { reason: string; detail: string } | null {
    return this.refused.get(externalId) ?? null;
  }

  isStandIn(externalId: string): boolean {
    return this.wouldCreate.has(externalId);
  }

  private async resolveOne(p: ParsedRow['patient']): Promise<void> {
    const query = `/patients?externalId=${encodeURIComponent(p.externalId)}&pageSize=1`;
    const found = await this.api.call<{ items: { id: string }[] }>('GET', query);
    if (found.items[0]) return void this.ids.set(p.externalId, found.items[0].id);
    if (this.dryRun) {
      this.wouldCreate.add(p.externalId);
      return void this.ids.set(p.externalId, standInId(`patient:${p.externalId}`));
    }
    try {
      const created = await this.api.call<{ id: string }>('POST', '/patients', p, {
        'idempotency-key': `import-patient-${createHash('sha1').update(p.externalId).digest('hex')}`,
      });
      this.created++;
      this.ids.set(p.externalId, created.id);
    } catch (error) {
      if (!(error instanceof ApiError) || error.status >= 500) throw error;
      if (error.code !== 'PATIENT_EXISTS')
        return void this.refused.set(p.externalId, { reason: error.code, detail: error.detail });
      const again = await this.api.call<{ items: { id: string }[] }>('GET', query);
      this.ids.set(p.externalId, again.items[0].id);
    }
  }
}

// ---------------------------------------------------------------- sources, streamed

async function countRows(options: Options): Promise<number> {
  if (options.database) {
    const client = new Client({ connectionString: options.database });
    await client.connect();
    try {
      const [{ n }] = (await client.query(`select count(*)::int as n from ${quoted(options.table!)}`)).rows;
      return n;
    } finally {
      await client.end();
    }
  }
  // Records, not lines: notes may hold line breaks. Reading the whole file first also finds what would stop the run
  // (text that is not UTF-8, a quote left open) before anything is written.
  let records = 0;
  for await (const _ of csvRecordsOf(options.file!)) records++;
  return records;
}

/**
 * The file's records, read as UTF-8 that must be UTF-8: a Windows-1256 or Latin-1 export would otherwise turn every
 * Arabic name into replacement characters without a word. A broken file stops the run in one line saying what to do.
 */
function csvRecordsOf(file: string): AsyncIterable<LegacyRow> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const utf8 = new Transform({
    readableObjectMode: false,
    transform(chunk: Buffer, _encoding, done) {
      try {
        done(null, decoder.decode(chunk, { stream: true }));
      } catch {
        done(new NotUtf8(file));
      }
    },
    flush(done) {
      try {
        done(null, decoder.decode());
      } catch {
        done(new NotUtf8(file));
      }
    },
  });
  const parser = parse({
    columns: true,
    bom: true,
    skip_empty_lines: true,
    relax_column_count: true,
    trim: true,
    max_record_size: MAX_RECORD_CHARACTERS,
  });
  utf8.on('error', (error) => parser.destroy(error));
  return readingErrorsOf(file, createReadStream(file).pipe(utf8).pipe(parser));
}

class NotUtf8 extends Fatal {
  constructor(file: string) {
    super(
      `${file} is not UTF-8 text (an Excel "CSV" or a Windows-1256 export?): save it as "CSV UTF-8", ` +
        `or convert it with iconv -f WINDOWS-1256 -t UTF-8 ${file} > utf8.csv, and import that`,
    );
  }
}

/** The parser's failures as one line each, naming the line of the file and what to do. */
async function* readingErrorsOf(file: string, records: AsyncIterable<LegacyRow>): AsyncIterable<LegacyRow> {
  try {
    yield* records;
  } catch (error) {
    if (error instanceof Fatal) throw error;
    if (!(error instanceof CsvError)) throw error;
    const line = (error as CsvError & { lines?: number }).lines;
    const where = `${file}${line ? `, line ${line}` : ''}`;
    if (error.code === 'CSV_MAX_RECORD_SIZE')
      throw new Fatal(
        `${where}: a record longer than ${MAX_RECORD_CHARACTERS} characters, most likely a quote left open; ` +
          'close it and run again',
      );
    throw new Fatal(`${where}: ${error.message.replace(/^Invalid /, 'invalid ')}; fix the file and run again`);
  }
}

const quoted = (table: string) =>
  table
    .split('.')
    .map((part) => `"${part}"`)
    .join('.');

/** The source's rows in a fixed order (the file's, or the table's by appointment number), read as they are needed. */
async function* rowsOf(options: Options): AsyncGenerator<LegacyRow> {
  if (options.file) {
    yield* csvRecordsOf(options.file);
    return;
  }
  const client = new Client({ connectionString: options.database! });
  await client.connect();
  try {
    await client.query('begin read only');
    await client.query(
      `declare legacy no scroll cursor for select * from ${quoted(options.table!)} order by "${COLUMNS.appointmentNumber}"`,
    );
    for (;;) {
      const { rows } = await client.query('fetch 500 from legacy');
      if (!rows.length) break;
      yield* rows;
    }
    await client.query('commit');
  } finally {
    await client.end();
  }
}

// ---------------------------------------------------------------- the run

interface Report {
  created: number;
  exists: number;
  refused: Map<string, number>;
  refusals: Refusal[];
}

async function run(options: Options): Promise<Report> {
  const api = new Api(options.api, options.token);
  await api.signIn(options.tenant);
  const tenant = await api.checkTenant(options.tenant);
  const references = new References(api, options);
  await references.load();
  const patients = new Patients(api, options.dryRun);
  const tracker = new OverlapTracker();
  const seen = new Set<string>();
  const report: Report = { created: 0, exists: 0, refused: new Map(), refusals: [] };
  const total = await countRows(options);
  const source = options.file ? resolve(options.file) : `${options.table} (${new URL(options.database!).host})`;
  const mode = options.dryRun ? 'dry run: nothing is written' : 'importing';
  process.stderr.write(`import: ${mode}; ${total} rows from ${source} into tenant ${options.tenant}\n`);
  const bar = new SingleBar({
    format: 'import: [{bar}] {percentage}% | {value}/{total} rows | {rate} rows/s | ETA {eta_formatted}',
    hideCursor: true,
    noTTYOutput: true,
    notTTYSchedule: 5000,
    stream: process.stderr,
  });
  const started = Date.now();
  bar.start(total, 0, { rate: '0' });
  let done = 0;
  const advance = (n: number) => {
    done += n;
    bar.update(done, { rate: (done / Math.max(0.001, (Date.now() - started) / 1000)).toFixed(0) });
  };
  const refuse = (r: Refusal) => {
    report.refused.set(r.reason, (report.refused.get(r.reason) ?? 0) + 1);
    report.refusals.push(r);
  };

  // Batches go to scheduling one after another, in the source's order; the patients of the next ones are found or
  // registered meanwhile, so scheduling has learnt of them by the time their appointments arrive.
  let batch: ParsedRow[] = [];
  const queue: { rows: ParsedRow[]; patients: Promise<void> }[] = [];
  const flush = async (all = false) => {
    if (batch.length) {
      const rows = batch;
      batch = [];
      const resolving = patients.resolve(rows);
      resolving.catch(() => undefined); // awaited in its turn; not an unhandled rejection meanwhile
      queue.push({ rows, patients: resolving });
    }
    while (queue.length > (all ? 0 : LOOKAHEAD_BATCHES)) {
      const next = queue.shift()!;
      await next.patients;
      await sendBatch(next.rows);
      advance(next.rows.length);
    }
  };

  const request = (rows: ImportRow[]) => ({ source, dryRun: options.dryRun, notify: options.notify, rows });
  const sendBatch = async (rows: ParsedRow[]) => {
    const ready: Ready[] = [];
    for (const parsed of rows) {
      const patientRefused = patients.refusalOf(parsed.patient.externalId);
      if (patientRefused) {
        refuse({
          row: parsed.row,
          appointmentNumber: parsed.appointmentNumber,
          reason: patientRefused.reason,
          detail: `the patient cannot be registered: ${patientRefused.detail}`,
        });
        continue;
      }
      const refs = await references.resolve(parsed);
      if ('unknown' in refs) {
        refuse({
          row: parsed.row,
          appointmentNumber: parsed.appointmentNumber,
          reason: refs.unknown,
          detail: `${refs.unknown.replace('UNKNOWN_', '').toLowerCase().replace('_', ' ')} ${JSON.stringify(refs.name)} is not known (--create-missing creates it).`,
        });
        continue;
      }
      const interval = intervalOf(parsed.scheduledDate, parsed.scheduledTime, parsed.durationMinutes, refs.timezone);
      const keys = { provider: refs.providerId, room: refs.roomId, patient: parsed.patient.externalId };
      const takesSlot = parsed.status !== 'CANCELLED';
      const conflict = interval && takesSlot ? tracker.conflictOf(keys, interval) : null;
      if (conflict) {
        refuse({
          row: parsed.row,
          appointmentNumber: parsed.appointmentNumber,
          reason: conflict.code,
          detail: `overlaps row ${conflict.row} of the source (${conflict.code.replace('_CONFLICT', '').toLowerCase()} busy).`,
        });
        continue;
      }
      const standIn = patients.isStandIn(parsed.patient.externalId);
      const row: ImportRow = {
        row: parsed.row,
        sourceId: parsed.sourceId,
        appointmentNumber: parsed.appointmentNumber,
        patientId: patients.idOf(parsed.patient.externalId),
        clinicId: refs.clinicId,
        roomId: refs.roomId,
        providerId: refs.providerId,
        serviceTypeId: refs.serviceTypeId,
        scheduledDate: parsed.scheduledDate,
        scheduledTime: parsed.scheduledTime,
        durationMinutes: parsed.durationMinutes,
        status: parsed.status,
        financeCleared: parsed.financeCleared,
        consentVerified: parsed.consentVerified,
        legacyBilled: parsed.legacyBilled,
        notes: parsed.notes,
        ...(standIn ? { newPatient: { nameEn: `${parsed.patient.firstNameEn} ${parsed.patient.lastNameEn}` } } : {}),
      };
      // A dry run cannot ask the platform about reference data it would create: such a row would be created.
      if (refs.standIn) {
        report.created++;
        if (interval && takesSlot) tracker.take(keys, interval, parsed.row);
        continue;
      }
      ready.push({ parsed, row, interval, keys });
    }
    const { chunks, tooBig } = chunksBySize(ready, (item) => Buffer.byteLength(JSON.stringify(item.row)), {
      maxBytes: MAX_IMPORT_BATCH_BYTES,
      maxCount: options.batch,
      baseBytes: Buffer.byteLength(JSON.stringify(request([]))),
    });
    for (const item of tooBig)
      refuse({
        row: item.row.row,
        appointmentNumber: item.row.appointmentNumber,
        reason: 'ROW_TOO_LARGE',
        detail: `the row is more than the ${MAX_IMPORT_BATCH_BYTES} bytes a request may carry.`,
      });
    for (const chunk of chunks) await sendChunk(chunk);
  };

  type Ready = { parsed: ParsedRow; row: ImportRow; interval: [number, number] | null; keys: Keys };
  const sendChunk = async (chunk: Ready[]) => {
    let pending = chunk;
    for (let attempt = 1; pending.length; attempt++) {
      const answer = await api.call<{
        results: { row: number; outcome: string; reason: string | null; detail: string | null }[];
      }>('POST', '/imports/appointments', request(pending.map((p) => p.row)));
      const byRow = new Map(answer.results.map((r) => [r.row, r]));
      const retry: typeof pending = [];
      for (const item of pending) {
        const result = byRow.get(item.row.row)!;
        // Scheduling learns of a patient registered a moment ago from an event: send the row again shortly.
        if (result.reason === 'PATIENT_UNKNOWN' && attempt < 100) {
          retry.push(item);
          continue;
        }
        if (result.outcome === 'REFUSED') {
          refuse({
            row: item.row.row,
            appointmentNumber: item.row.appointmentNumber,
            reason: result.reason!,
            detail: result.detail ?? '',
          });
          continue;
        }
        if (result.outcome === 'CREATED') report.created++;
        else report.exists++;
        if (item.interval && item.parsed.status !== 'CANCELLED') tracker.take(item.keys, item.interval, item.row.row);
      }
      pending = retry;
      if (pending.length) await sleep(300);
    }
  };

  let row = 0;
  for await (const legacy of rowsOf(options)) {
    row++;
    const parsed = parseRow(legacy, row, tenant);
    if (isRefusal(parsed)) {
      refuse(parsed);
      advance(1);
      continue;
    }
    if (seen.has(parsed.appointmentNumber)) {
      refuse({
        row,
        appointmentNumber: parsed.appointmentNumber,
        reason: 'DUPLICATE_IN_SOURCE',
        detail: `appointment number ${parsed.appointmentNumber} appears earlier in the source.`,
      });
      advance(1);
      continue;
    }
    seen.add(parsed.appointmentNumber);
    batch.push(parsed);
    if (batch.length >= options.batch) await flush();
  }
  await flush(true);
  bar.stop();
  const seconds = (Date.now() - started) / 1000;
  process.stderr.write(
    `import: ${row} rows in ${seconds.toFixed(1)} s (${(row / Math.max(seconds, 0.001)).toFixed(0)} rows/s)\n`,
  );
  if (references.wouldCreate.size)
    process.stderr.write(`import: would create ${[...references.wouldCreate].join(', ')}\n`);
  if (references.created.size) process.stderr.write(`import: created ${[...references.created].join(', ')}\n`);
  const patientLine = options.dryRun
    ? `would register ${patients.wouldCreate.size} patient(s)`
    : `registered ${patients.created} patient(s)`;
  process.stderr.write(`import: ${patientLine}\n`);
  return report;
}

type Keys = { provider: string; room: string; patient: string };

function printReport(report: Report, options: Options): void {
  const refused = [...report.refused.values()].reduce((a, b) => a + b, 0);
  const verb = options.dryRun ? 'would be created' : 'created';
  const lines = [
    '',
    `  ${report.created} ${verb}`,
    `  ${report.exists} already there (imported before: nothing done)`,
    `  ${refused} refused${refused ? ':' : ''}`,
    ...[...report.refused.entries()].sort().map(([reason, n]) => `    ${reason.padEnd(24)} ${n}`),
  ];
  if (report.refusals.length) {
    mkdirSync(dirname(options.report), { recursive: true });
    // Opened in a spreadsheet by the clinic: what the legacy file held is shown, never run as a formula.
    const csv = stringify(
      report.refusals.map((r) => [r.row, r.appointmentNumber, r.reason, r.detail].map(spreadsheetText)),
      { header: true, columns: ['row', 'appointment_number', 'reason', 'detail'] },
    );
    writeFileSync(options.report, csv);
    lines.push('', `  refused rows (row, appointment number, reason):`);
    for (const r of report.refusals.slice(0, 50))
      lines.push(`    row ${r.row} ${r.appointmentNumber}: ${r.reason} — ${r.detail}`);
    if (report.refusals.length > 50) lines.push(`    … and ${report.refusals.length - 50} more`);
    lines.push(`  every refused row: ${options.report}`);
  }
  process.stdout.write(`${lines.join('\n')}\n`);
  process.stdout.write(
    `import-summary ${JSON.stringify({ dryRun: options.dryRun, created: report.created, exists: report.exists, refused: Object.fromEntries(report.refused) })}\n`,
  );
}

async function main() {
  try {
    const options = optionsOf(process.argv.slice(2));
    const report = await run(options);
    printReport(report, options);
  } catch (error) {
    if (error instanceof Help) return void process.stdout.write(USAGE);
    const message = error instanceof Fatal ? error.message : `${(error as Error).message.split('\n')[0]}`;
    process.stderr.write(`\nimport: ${message}\n`);
    process.exit(1);
  }
}

void main();
