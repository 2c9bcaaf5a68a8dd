// The importer's command line, read with Node's parseArgs (strict: an unknown or misspelt option stops the run with
// one line, rather than being taken for a file name), and the two ways a run ends early: Fatal (one line, exit 1) and
// Help (the usage, exit 0).
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { MAX_IMPORT_BATCH, MAX_IMPORT_BATCH_BYTES, TENANT_CODE } from '@agdar/contracts';

export interface Options {
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

/** Stops the run with one line saying what to do; no stack trace. */
export class Fatal extends Error {}

/** Asked for --help: the usage is printed and nothing else happens. */
export class Help extends Error {}

export const USAGE = `Brings a clinic's existing appointments in through the gateway (docs/importing-appointments.md).

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

const OPTIONS = {
  'from-database': { type: 'string' },
  table: { type: 'string' },
  tenant: { type: 'string' },
  api: { type: 'string' },
  batch: { type: 'string' },
  timezone: { type: 'string' },
  report: { type: 'string' },
  'dry-run': { type: 'boolean' },
  'create-missing': { type: 'boolean' },
  notify: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export function optionsOf(argv: string[], env: NodeJS.ProcessEnv = process.env): Options {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new Fatal(`${(error as Error).message.split('\n')[0].replace(/\.$/, '')}; see --help`);
  }
  const { values, positionals } = parsed;
  if (values.help) throw new Help();
  if (positionals.length > 1) throw new Fatal(`name one CSV file, not ${positionals.length}; see --help`);
  const options: Options = {
    file: positionals[0] ?? null,
    database: values['from-database'] ?? null,
    table: values.table ?? null,
    tenant: values.tenant ?? '',
    api: (values.api ?? env.IMPORT_API_URL ?? 'http://127.0.0.1:3000/api').replace(/\/$/, ''),
    token: env.IMPORT_TOKEN ?? null,
    dryRun: values['dry-run'] ?? false,
    createMissing: values['create-missing'] ?? false,
    notify: values.notify ?? false,
    batch: Number(values.batch ?? MAX_IMPORT_BATCH),
    timezone: values.timezone ?? 'Asia/Riyadh',
    report: values.report ?? resolve(__dirname, '..', '..', '.local', 'import', 'report.csv'),
  };
  if (!TENANT_CODE.test(options.tenant))
    throw new Fatal('--tenant is required: the tenant code the appointments belong to, like AGDAR');
  if (!options.file === !options.database)
    throw new Fatal('name one source: a CSV file, or --from-database <postgres url> --table <name>');
  if (options.database && !/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$/.test(options.table ?? ''))
    throw new Fatal('--table is required with --from-database: a table name like legacy_appointments');
  if (!Number.isInteger(options.batch) || options.batch < 1 || options.batch > MAX_IMPORT_BATCH)
    throw new Fatal(`--batch must be 1-${MAX_IMPORT_BATCH} rows`);
  return options;
}
