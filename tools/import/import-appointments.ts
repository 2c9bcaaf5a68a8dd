// npm run import:appointments -- <file.csv> --tenant AGDAR [--dry-run] [--create-missing] [--notify]
// npm run import:appointments -- --from-database <postgres url> --table <name> --tenant AGDAR [...]
//
// Brings a clinic's existing appointments in through the gateway: each becomes an INDIVIDUAL session of capacity 1
// whose participant keeps its appointment number, status and flags (docs/importing-appointments.md). The source is
// streamed; rows go to scheduling in batches, each row written whole or refused with its reason. Keyed by tenant and
// appointment number, so a second run creates nothing, and a run killed half way and started again ends as one that
// was never interrupted. --dry-run checks everything and writes nothing.
//
// Reading is source.ts, checking import-rules.ts, sending client.ts (typed by the endpoints' declarations) and
// directory.ts (what rows refer to); this file runs them in order and reports.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { SingleBar } from 'cli-progress';
import { ImportRow, ImportsApi, MAX_IMPORT_BATCH_BYTES, spreadsheetText } from '@agdar/contracts';
import { chunksBySize, intervalOf, isRefusal, OverlapTracker, ParsedRow, parseRow, Refusal } from './import-rules';
import { Api, sleep } from './client';
import { Patients, References } from './directory';
import { Fatal, Help, Options, optionsOf, USAGE } from './options';
import { countRows, rowsOf, sourceName } from './source';

/** Batches whose patients are being resolved ahead of the one being imported. */
const LOOKAHEAD_BATCHES = 2;

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
  const source = sourceName(options);
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
      const body = request(pending.map((p) => p.row));
      const answer = await api.call(ImportsApi.importAppointments, { body });
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
