/**
 * Issue 24, the error-groups page at scale without the full seed (~15 minutes):
 * `npx tsx test/bench/error-groups-check.ts` seeds only the 50 courses, 2,000 licenses and 100,000 error
 * groups of the log-scale data set (`log-scale-seed.ts`) into a real SQLite file, opens it as the server
 * does, and prints p95 over 20 runs of the old read (one GROUP BY over every group, then sorted:
 * test/helpers/error-groups-oracle.ts), the page's read now (`errorGroups`), org-wide and for one
 * course, and the page itself through the app. The budget is 200 ms per page (issue 24).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../../gatekeeper/app.js';
import { openSqlite } from '../../gatekeeper/db/open-sqlite.js';
import { errorGroups } from '../../gatekeeper/errors/queries.js';
import { createMemoryKeyStore } from '../../gatekeeper/keys/key-store.js';
import { groupsByGroupBy } from '../helpers/error-groups-oracle.js';
import { benchSignIn } from './bench-sign-in.ts';
import { OWNER_PASSWORD, seedLogScale } from './log-scale-seed.ts';

const RUNS = 20;
const LIMIT = 100;
const dir = mkdtempSync(join(tmpdir(), 'cg-error-groups-'));
const file = join(dir, 'gk.sqlite');
const now = Date.now();
const seeded = await seedLogScale(file, 0, now, { errorGroups: 100_000 });
const db = await openSqlite({ file });
const app = createApp({
  db,
  keys: await createMemoryKeyStore(),
  now: () => new Date(now),
  config: { publicUrl: 'http://localhost:8787', contentUrl: 'http://127.0.0.1:8788' },
});
const cookie = await benchSignIn(app, {
  email: seeded.email,
  password: OWNER_PASSWORD,
  origin: 'http://localhost:8787',
});

/** p95 of `RUNS` runs of `run`, after two warm-up runs. */
async function p95(run: () => Promise<unknown>): Promise<number> {
  const ms: number[] = [];
  for (let i = 0; i < RUNS + 2; i++) {
    const t0 = performance.now();
    await run();
    if (i >= 2) ms.push(performance.now() - t0);
  }
  return Math.round([...ms].sort((a, b) => a - b)[Math.ceil(0.95 * ms.length) - 1] ?? Number.NaN);
}
async function page(path: string) {
  const res = await app.request(path, { headers: { cookie } });
  if (res.status !== 200) throw new Error(`${path} answered ${res.status}`);
  await res.text();
}

const { orgId } = seeded;
const courseId = seeded.courseIds[0];
const report = {
  seededErrorGroups: seeded.counts.errorGroups,
  seedSeconds: Math.round(seeded.seconds),
  'p95 ms, old GROUP BY (org)': await p95(() => groupsByGroupBy(db, orgId, { limit: LIMIT })),
  'p95 ms, old GROUP BY (one course)': await p95(() =>
    groupsByGroupBy(db, orgId, { courseId, limit: LIMIT }),
  ),
  'p95 ms, errorGroups (org)': await p95(() => errorGroups(db, orgId, { limit: LIMIT })),
  'p95 ms, errorGroups (one course)': await p95(() => errorGroups(db, orgId, { courseId, limit: LIMIT })),
  'p95 ms, page /dashboard/error-groups': await p95(() => page('/dashboard/error-groups')),
  'p95 ms, page /dashboard/error-groups?courseId': await p95(() =>
    page(`/dashboard/error-groups?courseId=${courseId}`),
  ),
};
await db.close();
rmSync(dir, { recursive: true, force: true });
console.log(JSON.stringify(report, null, 2));
