// bench:import: how fast the appointment importer brings a legacy export in, and whether its memory stays flat as the
// file grows (it streams). Starts the platform as deployed (each service its own process), then for each size writes
// a legacy export (tools/import/legacy-fixture.ts: two years, mixed statuses, bilingual names, conflicts and bad rows)
// for a tenant of its own and runs the importer on it as a separate process: rows per second end to end (patients
// registered, reference data matched, sessions written) and the importer's peak resident memory (VmHWM).
//   npm run bench:import [-- --sizes 1000,50000 --heap-mb 96]
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  FIXTURE_CLINIC,
  FIXTURE_PROVIDERS,
  FIXTURE_ROOMS,
  FIXTURE_SERVICE_TYPES,
  writeLegacyExport,
} from '../import/legacy-fixture';
import { arrangeClinic, option, root, say, startBenchPlatform } from './bench-platform';

const SIZES = option('sizes', '1000,50000').split(',').map(Number);
/**
 * The importer runs with V8's old space capped: a run of any size that finishes inside it streams (what it keeps per
 * row is small), and its resident memory is comparable across sizes rather than V8 growing the heap at leisure.
 */
const HEAP_MB = Number(option('heap-mb', '96'));
const OUT = join(root, '.local', 'bench');

async function main() {
  mkdirSync(OUT, { recursive: true });
  say('starting the platform (each service its own process)');
  const platform = await startBenchPlatform();
  const results: Record<string, unknown>[] = [];
  try {
    for (const [index, size] of SIZES.entries()) {
      const tenant = `${platform.tenant.slice(0, 12)}I${index}`;
      await arrangeClinic(platform, {
        tenant,
        name: FIXTURE_CLINIC,
        rooms: FIXTURE_ROOMS,
        providers: FIXTURE_PROVIDERS,
        serviceTypes: FIXTURE_SERVICE_TYPES,
      });

      const file = join(OUT, `import-${size}.csv`);
      const fixture = await writeLegacyExport(file, tenant, size);
      say(`${size} rows written to ${file}; importing`);
      const started = Date.now();
      const child = spawn(
        process.execPath,
        [
          `--max-old-space-size=${HEAP_MB}`,
          '-r',
          join(root, 'tools/register.js'),
          join(root, 'tools/import/import-appointments.ts'),
          file,
          '--tenant',
          tenant,
          '--report',
          join(OUT, `import-${size}-refused.csv`),
        ],
        {
          env: {
            ...process.env,
            IMPORT_API_URL: `${platform.gateway}/api`,
            IMPORT_TOKEN: platform.token(['admin'], tenant),
          },
          stdio: ['ignore', 'pipe', 'inherit'],
        },
      );
      const stopImporter = () => child.exitCode === null && child.kill('SIGTERM');
      process.once('exit', stopImporter);
      let stdout = '';
      child.stdout!.on('data', (c: Buffer) => (stdout += c));
      let peakKb = 0;
      const sampler = setInterval(() => {
        try {
          const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
          peakKb = Math.max(peakKb, Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0));
        } catch {
          /* exited */
        }
      }, 200);
      const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
      clearInterval(sampler);
      if (code !== 0) throw new Error(`the importer exited ${code}`);
      const seconds = (Date.now() - started) / 1000;
      const summary = JSON.parse(
        stdout
          .split('\n')
          .find((l) => l.startsWith('import-summary '))!
          .slice(15),
      );
      const refused = Object.values(summary.refused as Record<string, number>).reduce((a, b) => a + b, 0);
      const matches = summary.created === fixture.expected.CREATED && summary.created + refused === size;
      const result = {
        rows: size,
        seconds: Math.round(seconds * 10) / 10,
        rowsPerSecond: Math.round(size / seconds),
        peakRssMb: Math.round(peakKb / 1024),
        heapCapMb: HEAP_MB,
        created: summary.created,
        refused,
        patients: fixture.patients,
        reportMatchesFile: matches,
      };
      results.push(result);
      say(
        `${size} rows: ${result.seconds} s, ${result.rowsPerSecond} rows/s, importer peak RSS ${result.peakRssMb} MB (old space capped at ${HEAP_MB} MB); created ${summary.created}, refused ${refused} (${fixture.patients} patients registered); report ${matches ? 'matches' : 'does NOT match'} the file`,
      );
    }
  } finally {
    await platform.cleanUp();
  }
  writeFileSync(join(OUT, 'import.json'), JSON.stringify(results, null, 2));
  process.stdout.write(
    [
      '',
      ...results.map(
        (r) =>
          `import: ${String(r.rows).padStart(6)} rows  ${String(r.rowsPerSecond).padStart(5)} rows/s  peak RSS ${r.peakRssMb} MB  (${r.seconds} s)`,
      ),
      `import: figures in ${join(OUT, 'import.json')}`,
      '',
    ].join('\n'),
  );
}

main().catch((error) => {
  process.stderr.write(`bench: ${(error as Error).message.split('\n')[0]}\n`);
  process.exit(1);
});
