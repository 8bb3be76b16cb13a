/**
 * Child process of `12-log-scale.bench.ts`: `node --expose-gc --import tsx test/bench/log-scale-child.ts
 * <database file> <seeded json>`. Opens the seeded file as the server does (migrations, statistics),
 * signs the owner in to the dashboard, times every dashboard page and log API through the real app
 * (`app.request`, no network), and streams the CSV exports, counting their rows and sampling RSS at each
 * chunk. Prints one JSON object.
 */
import { createApp } from '../../gatekeeper/app.js';
import { openSqlite } from '../../gatekeeper/db/open-sqlite.js';
import { createMemoryKeyStore } from '../../gatekeeper/keys/key-store.js';
import { benchSignIn } from './bench-sign-in.ts';
import { OWNER_PASSWORD, type Seeded } from './log-scale-seed.ts';

const REQUESTS = 20;
const LATE_PAGE = 50;
const [file, seededJson] = process.argv.slice(2) as [string, string];
const seeded = JSON.parse(seededJson) as Seeded;
const openStarted = performance.now();
const db = await openSqlite({ file });
const openSeconds = (performance.now() - openStarted) / 1000;
const now = Date.now();
const app = createApp({
  db,
  keys: await createMemoryKeyStore(),
  now: () => new Date(now),
  config: { publicUrl: 'http://localhost:8787', contentUrl: 'http://127.0.0.1:8788' },
});
const origin = 'http://localhost:8787';

const cookie = await benchSignIn(app, { email: seeded.email, password: OWNER_PASSWORD, origin });
const dashboard = { cookie };
const api = { authorization: `Bearer ${seeded.key}`, 'x-experience-api-version': '1.0.3' };

const p = (xs: number[], q: number) =>
  [...xs].sort((a, b) => a - b)[Math.ceil(q * xs.length) - 1] ?? Number.NaN;

async function timed(path: string, headers: Record<string, string>) {
  const ms: number[] = [];
  let bytes = 0;
  for (let i = 0; i < REQUESTS + 2; i++) {
    const t0 = performance.now();
    const res = await app.request(path, { headers });
    const body = await res.text();
    if (res.status !== 200) throw new Error(`${path} answered ${res.status}: ${body.slice(0, 200)}`);
    if (i >= 2) ms.push(performance.now() - t0);
    bytes = body.length;
  }
  return { p50: p(ms, 0.5), p95: p(ms, 0.95), bytes };
}

/** The URL of page `n` of the launch log, reached by following its Older links. */
async function latePage(n: number): Promise<string> {
  let path = '/dashboard/launches';
  for (let i = 1; i < n; i++) {
    const html = await (await app.request(path, { headers: dashboard })).text();
    const older = /href="(\/dashboard\/launches\?older=[^"]+)"/.exec(html)?.[1];
    if (!older) break;
    path = older.replaceAll('&amp;', '&');
  }
  return path;
}

const [course] = seeded.courseIds;
const [license] = seeded.licenseIds;
const pages: Record<string, [string, Record<string, string>]> = {
  'dashboard: courses': ['/dashboard', dashboard],
  'dashboard: licenses': ['/dashboard/licenses', dashboard],
  'dashboard: one course': [`/dashboard/courses/${course}`, dashboard],
  'dashboard: launches': ['/dashboard/launches', dashboard],
  'dashboard: launches by course': [`/dashboard/launches?courseId=${course}`, dashboard],
  'dashboard: launches by license': [`/dashboard/launches?licenseId=${license}`, dashboard],
  'dashboard: launches by license search': ['/dashboard/launches?license=Client%200042', dashboard],
  'dashboard: launches denied': ['/dashboard/launches?outcome=denied', dashboard],
  [`dashboard: launches page ${LATE_PAGE}`]: [await latePage(LATE_PAGE), dashboard],
  'dashboard: completions': ['/dashboard/completions', dashboard],
  'dashboard: errors': ['/dashboard/errors', dashboard],
  'dashboard: error groups': ['/dashboard/error-groups', dashboard],
  'API: course launches': [`/v1/courses/${course}/launches?order=newest`, api],
  'API: course error groups': [`/v1/courses/${course}/errors?order=newest`, api],
  'API: course completions': [`/v1/courses/${course}/completions?order=newest`, api],
  'API: GET /xapi/statements': ['/xapi/statements', api],
  'API: GET /xapi/statements?verb=passed': [
    '/xapi/statements?verb=http://adlnet.gov/expapi/verbs/passed',
    api,
  ],
  'API: GET /xapi/statements?course': [`/xapi/statements?course=${course}`, api],
};
const timings: Record<string, Awaited<ReturnType<typeof timed>>> = {};
for (const [name, [path, headers]] of Object.entries(pages)) timings[name] = await timed(path, headers);

/** Streams one export to its end: first byte, total time, data rows (lines after the header), RSS growth. */
async function exported(path: string, headers: Record<string, string>) {
  globalThis.gc?.();
  const base = process.memoryUsage.rss();
  let peak = base;
  const t0 = performance.now();
  const res = await app.request(path, { headers });
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  let firstByte = Number.NaN;
  let lines = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (Number.isNaN(firstByte)) firstByte = performance.now() - t0;
    for (const byte of value) if (byte === 10) lines++;
    peak = Math.max(peak, process.memoryUsage.rss());
  }
  return {
    firstByteMs: firstByte,
    totalMs: performance.now() - t0,
    rows: lines - 1,
    rssGrowthMb: (peak - base) / 2 ** 20,
  };
}
// Twice: the first also fills SQLite's page cache (64 MB at most, shared by every request of the
// process), the second shows what an export adds once it is warm.
const exports = {
  'dashboard: launches CSV (all)': await exported('/dashboard/launches?format=csv', dashboard),
  'dashboard: launches CSV (all), again': await exported('/dashboard/launches?format=csv', dashboard),
  'API: course launches CSV': await exported(`/v1/courses/${course}/launches?format=csv`, api),
};
await db.close();
console.log(JSON.stringify({ openSeconds, timings, exports }));
