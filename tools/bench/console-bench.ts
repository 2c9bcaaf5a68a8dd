// bench:console: what the staff console costs a front desk on a cold start. Builds the console, starts the platform as
// deployed (every service its own process), arranges a clinic whose Today screen lists a day of group sessions, then
// measures (1) the initial JavaScript the page's HTML names (entry and preloads), gzipped as the gateway sends it, and
// (2) cold loads in Debian's Chromium (each in a fresh context: empty cache, nothing stored), from navigation to an
// interactive Today screen: its sessions on screen and the page answering a click within a frame.
//   npm run bench:console [-- --loads 7 --sessions 12]      (BENCH_TRACE=1 prints each load's resource timings)
// Goals (issue 11): initial JavaScript < 300 kB gzipped, interactive < 1 s locally.
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Browser, chromium } from 'playwright-core';
import { clinicDateTime } from '@agdar/testing';
import { arrangeClinic, must, option, percentile, root, say, startBenchPlatform } from './bench-platform';

const LOADS = Number(option('loads', '7'));
const SESSIONS = Number(option('sessions', '12'));
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const DIST = join(root, 'apps', 'console', 'dist');
const GOAL_KB = 300;
const GOAL_MS = 1000;

function buildConsole(): void {
  say('building the console (vite build)');
  execFileSync(
    process.execPath,
    [join(root, 'node_modules/vite/bin/vite.js'), 'build', 'apps/console', '--logLevel', 'warn'],
    {
      cwd: root,
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
}

/** The scripts the HTML loads before anything else (entry and module preloads), raw and gzipped. */
function initialScripts(): { files: string[]; raw: number; gzip: number } {
  const html = readFileSync(join(DIST, 'index.html'), 'utf8');
  const files = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.js)"/g)].map((m) => m[1]);
  let raw = 0;
  let gzip = 0;
  for (const file of files) {
    const content = readFileSync(join(DIST, file));
    raw += statSync(join(DIST, file)).size;
    gzip += gzipSync(content, { level: 6 }).length;
  }
  return { files, raw, gzip };
}

async function arrangeToday(platform: Awaited<ReturnType<typeof startBenchPlatform>>) {
  const { api, token } = platform;
  const numbered = (prefix: string) => Array.from({ length: 6 }, (_, i) => `${prefix} ${i + 1}`);
  const {
    clinic,
    rooms,
    providers,
    serviceTypes: [type],
  } = await arrangeClinic(platform, {
    name: 'Olaya',
    rooms: numbered('Room'),
    providers: numbered('Therapist'),
    serviceTypes: [{ name: 'Group OT', nameAr: 'علاج وظيفي جماعي', code: 'OT_GROUP' }],
  });
  const reception = api.as(token(['reception']));
  // The rest of today, every 20 minutes across the rooms (fewer when the day is nearly over in Riyadh).
  const today = clinicDateTime(new Date()).scheduledDate;
  let made = 0;
  for (let i = 0; i < SESSIONS; i++) {
    const at = clinicDateTime(
      new Date(Math.ceil((Date.now() + (15 + 20 * Math.floor(i / 6)) * 60000) / 300000) * 300000),
    );
    if (at.scheduledDate !== today) break;
    await must(
      reception.post('/sessions', {
        sessionType: 'GROUP',
        maxCapacity: 8,
        clinicId: clinic.id,
        roomId: rooms[i % 6].id,
        providerId: providers[i % 6].id,
        serviceTypeId: type.id,
        ...at,
        durationMinutes: 20,
      }),
    );
    made++;
  }
  return made;
}

interface Load {
  interactiveMs: number;
  firstPaintMs: number;
  scriptBytes: number;
  sessionsShown: number;
}

async function coldLoad(browser: Browser, url: string, session: string): Promise<Load> {
  const context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1400, height: 900 } });
  await context.addInitScript(`sessionStorage.setItem('agdar.console.session', ${JSON.stringify(session)});`);
  const page = await context.newPage();
  let scriptBytes = 0;
  page.on('requestfinished', async (request) => {
    if (request.resourceType() !== 'script') return;
    scriptBytes += (await request.sizes()).responseBodySize;
  });
  await page.goto(url, { waitUntil: 'commit' });
  await page.locator('[data-testid="today-session"], [data-testid="today-sessions"] .ant-empty').first().waitFor();
  // Interactive: the list is on screen and the main thread answers within a frame (no long task still running).
  const timings = (await page.evaluate(`new Promise((resolve) => {
    const shownAt = performance.now();
    requestAnimationFrame(() => setTimeout(() => resolve({
      shownAt,
      answeredAt: performance.now(),
      firstPaint: (performance.getEntriesByName('first-contentful-paint')[0] || { startTime: NaN }).startTime,
    }), 0));
  })`)) as { shownAt: number; answeredAt: number; firstPaint: number };
  const sessionsShown = await page.getByTestId('today-session').count();
  if (process.env.BENCH_TRACE)
    say(
      String(
        await page.evaluate(
          `JSON.stringify({ nav: (({ responseEnd, domContentLoadedEventEnd }) => ({ responseEnd, domContentLoadedEventEnd }))(performance.getEntriesByType('navigation')[0]), resources: performance.getEntriesByType('resource').map((r) => [r.name.replace(location.origin, ''), Math.round(r.startTime), Math.round(r.responseEnd)]) })`,
        ),
      ),
    );
  await context.close();
  return { interactiveMs: timings.answeredAt, firstPaintMs: timings.firstPaint, scriptBytes, sessionsShown };
}

async function main() {
  buildConsole();
  const initial = initialScripts();
  say(
    `initial JavaScript: ${(initial.gzip / 1024).toFixed(1)} kB gzipped (${(initial.raw / 1024).toFixed(0)} kB raw) in ${initial.files.length} files: ${initial.files.join(', ')}`,
  );
  say('starting the platform (each service its own process)');
  const platform = await startBenchPlatform();
  let browser: Browser | null = null;
  try {
    const made = await arrangeToday(platform);
    say(`arranged ${made} group sessions today at the clinic`);
    const token = platform.token(['reception']);
    const claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());
    const session = JSON.stringify({ token, ...claims, name: 'Bench reception', nameAr: null });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run'],
    });
    await coldLoad(browser, `${platform.gateway}/`, session); // the platform's own first answers (JIT, pools)
    const loads: Load[] = [];
    for (let i = 1; i <= LOADS; i++) {
      const load = await coldLoad(browser, `${platform.gateway}/`, session);
      loads.push(load);
      say(
        `cold load ${i}/${LOADS}: interactive ${load.interactiveMs.toFixed(0)} ms (first paint ${load.firstPaintMs.toFixed(0)} ms), ${(load.scriptBytes / 1024).toFixed(1)} kB of script over the wire, ${load.sessionsShown} sessions shown`,
      );
    }
    const interactive = loads.map((l) => l.interactiveMs).sort((a, b) => a - b);
    const median = percentile(interactive, 50);
    const worst = interactive[interactive.length - 1];
    const wire = loads[0].scriptBytes / 1024;
    process.stdout.write(
      [
        '',
        `console: initial JavaScript ${(initial.gzip / 1024).toFixed(1)} kB gzipped (goal < ${GOAL_KB} kB): ${initial.gzip / 1024 < GOAL_KB ? 'met' : 'NOT met'}`,
        `console: script transferred for Today ${wire.toFixed(1)} kB (gzip from the gateway, initial and lazy chunks)`,
        `console: interactive Today on a cold load: median ${median.toFixed(0)} ms, worst ${worst.toFixed(0)} ms of ${LOADS} (goal < ${GOAL_MS} ms): ${worst < GOAL_MS ? 'met' : median < GOAL_MS ? 'met at the median' : 'NOT met'}`,
        '',
      ].join('\n'),
    );
  } finally {
    await browser?.close();
    await platform.cleanUp();
  }
}

main().catch((error) => {
  process.stderr.write(`bench: ${(error as Error).message.split('\n')[0]}\n`);
  process.exit(1);
});
