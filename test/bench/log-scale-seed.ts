import Sqlite from 'better-sqlite3';
import { createCourseOf } from '../../gatekeeper/courses/service.js';
import { hashPassword } from '../../gatekeeper/crypto.js';
import { setMemberPassword } from '../../gatekeeper/db/members.js';
import { openSqlite } from '../../gatekeeper/db/open-sqlite.js';
import { createOrgWithOwner } from '../../gatekeeper/orgs/service.js';

/** The data set of issue 24's scale acceptance, at `scale` (1: the full one). */
export const FULL = {
  courses: 50,
  licenses: 2000,
  launches: 1_000_000,
  statements: 10_000_000,
  errorGroups: 100_000,
  completions: 200_000,
};
export const OWNER_PASSWORD = 'bench-owner-password';
const DAY = 86_400_000;
const CHUNK = 20_000;
const VERBS = [
  'answered',
  'answered',
  'answered',
  'experienced',
  'experienced',
  'completed',
  'passed',
  'failed',
];
const DENIALS = ['license_revoked', 'license_expired', 'origin_not_allowed', 'launch_cap_reached'];

export interface Seeded {
  orgId: string;
  key: string;
  email: string;
  courseIds: string[];
  licenseIds: string[];
  counts: typeof FULL;
  seconds: number;
}

/** A deterministic generator, so every run seeds the same rows. */
function mulberry32(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Seeds a real Gatekeeper SQLite file: the org, owner and courses through the services, then licenses,
 * launch events, statements, error groups, sessions and completions straight into the tables, one
 * transaction per chunk with prepared statements, spread over the 30 days before `now` in time order
 * (as they would have been written). `exactly` sets some counts outright (e.g. only the error groups,
 * `error-groups-check.ts`). Answers what it made and how long it took.
 */
export async function seedLogScale(
  file: string,
  scale: number,
  now: number,
  exactly: Partial<typeof FULL> = {},
): Promise<Seeded> {
  const started = performance.now();
  const counts = {
    ...(Object.fromEntries(
      Object.entries(FULL).map(([k, v]) => [
        k,
        k === 'courses' || k === 'licenses' ? v : Math.round(v * scale),
      ]),
    ) as typeof FULL),
    ...exactly,
  };
  const db = await openSqlite({ file, now });
  const services = { db, now: () => new Date(now - 31 * DAY) };
  const email = 'owner@bench.test';
  const { org, owner, key } = await createOrgWithOwner(services, {
    name: 'Bench Org',
    owner: { email },
    keyName: 'bench',
  });
  await setMemberPassword(db, owner.id, await hashPassword(OWNER_PASSWORD));
  const courseIds: string[] = [];
  for (let i = 0; i < counts.courses; i++)
    courseIds.push(
      (await createCourseOf(services, { orgId: org.id }, { slug: `course-${i}`, title: `Course ${i}` })).id,
    );
  await db.close();

  const raw = new Sqlite(file);
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = OFF');
  raw.pragma('cache_size = -1048576');
  const rand = mulberry32(24);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)] as T;
  const since = now - 30 * DAY;
  const chunked = (total: number, row: (i: number) => void) => {
    const run = raw.transaction((from: number, to: number) => {
      for (let i = from; i < to; i++) row(i);
    });
    for (let from = 0; from < total; from += CHUNK) run(from, Math.min(total, from + CHUNK));
  };
  // The time of row i of n, rising: rows are written in the order they happened.
  const timeOf = (i: number, n: number) => since + Math.floor((i / n) * 30 * DAY);

  const deployments = courseIds.map((c) => `dep_${c.slice(4)}`);
  const addDeployment = raw.prepare(
    "INSERT INTO deployments (id, org_id, course_id, status, entry, created_at) VALUES (?, ?, ?, 'live', 'index.html', ?)",
  );
  for (const [i, c] of courseIds.entries()) addDeployment.run(deployments[i], org.id, c, since);
  const licenseIds = Array.from(
    { length: counts.licenses },
    (_, i) => `lic_bench_${String(i).padStart(5, '0')}`,
  );
  const addLicense = raw.prepare(
    "INSERT INTO licenses (id, org_id, course_id, client_name, status, current_jti, token_issued_at, created_by, created_at) VALUES (?, ?, ?, ?, 'active', ?, 0, ?, ?)",
  );
  chunked(counts.licenses, (i) =>
    addLicense.run(
      licenseIds[i],
      org.id,
      courseIds[i % counts.courses],
      `Client ${String(i).padStart(4, '0')} Learning`,
      `jti_${i}`,
      owner.id,
      since,
    ),
  );

  const addLaunch = raw.prepare(
    'INSERT INTO launch_events (license_id, org_id, allowed, reason, origin, standard, session_id, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  chunked(counts.launches, (i) => {
    const allowed = rand() > 0.05;
    addLaunch.run(
      pick(licenseIds),
      org.id,
      allowed ? 1 : 0,
      allowed ? 'ok' : pick(DENIALS),
      'https://lms.example.com',
      'scorm12',
      allowed ? `ses_l${i}` : null,
      timeOf(i, counts.launches),
    );
  });

  // Ten statements a session; sessions and completions for the first `completions` of them.
  const sessionCourse = (s: number) => s % counts.courses;
  const addStatement = raw.prepare(
    'INSERT INTO statements (id, session_id, org_id, course_id, deployment_id, verb, body, stored_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  chunked(counts.statements, (i) => {
    const s = Math.floor(i / 10);
    const c = sessionCourse(s);
    const id = `${i.toString(16).padStart(8, '0')}-0000-4000-8000-${Math.floor(rand() * 2 ** 48)
      .toString(16)
      .padStart(12, '0')}`;
    const verb = `http://adlnet.gov/expapi/verbs/${pick(VERBS)}`;
    const body = `{"id":"${id}","actor":{"account":{"homePage":"https://lms.example.com","name":"ses_${s}"}},"verb":{"id":"${verb}"},"object":{"id":"https://course.example.com/${c}/q${i % 10}"},"result":{"success":true}}`;
    addStatement.run(
      id,
      `ses_${s}`,
      org.id,
      courseIds[c],
      deployments[c],
      verb,
      body,
      timeOf(i, counts.statements),
    );
  });
  const addSession = raw.prepare(
    "INSERT INTO sessions (id, org_id, license_id, course_id, deployment_id, standard, created_at, expires_at) VALUES (?, ?, ?, ?, ?, 'scorm12', ?, ?)",
  );
  const addCompletion = raw.prepare(
    'INSERT INTO completions (session_id, org_id, course_id, deployment_id, completed, passed, score, score_scaled, progress, duration_ms, updated_at) VALUES (?, ?, ?, ?, 1, ?, ?, ?, 1, 600000, ?)',
  );
  chunked(counts.completions, (s) => {
    const c = sessionCourse(s);
    const at = timeOf(s, counts.completions);
    addSession.run(
      `ses_${s}`,
      org.id,
      licenseIds[(s * 40 + c) % counts.licenses],
      courseIds[c],
      deployments[c],
      at,
      at + DAY,
    );
    const score = Math.floor(rand() * 100);
    addCompletion.run(
      `ses_${s}`,
      org.id,
      courseIds[c],
      deployments[c],
      score >= 70 ? 1 : 0,
      score,
      score / 100,
      at,
    );
  });
  const addError = raw.prepare(
    "INSERT INTO error_events (session_id, org_id, course_id, code, message, url, at, deployment_id, fingerprint, kind, stack, count, first_at) VALUES (?, ?, ?, 'lms_call_failed', ?, ?, ?, ?, ?, 'error', ?, ?, ?)",
  );
  // Each group's occurrences arrive as one report: its trigger adds the count to the group (and to the
  // per-day counts of migration 0012), as the error ingest does.
  const addReport = raw.prepare('INSERT INTO error_reports (id, group_id, count, at) VALUES (?, ?, ?, ?)');
  chunked(counts.errorGroups, (i) => {
    const c = i % counts.courses;
    const at = timeOf(i, counts.errorGroups);
    const group = addError.run(
      `ses_${i % Math.max(1, counts.completions)}`,
      org.id,
      courseIds[c],
      `TypeError: cannot read property of undefined (${i})`,
      `https://course.example.com/${c}/index.html`,
      at,
      deployments[c],
      `fp${i}`,
      `TypeError: x\n    at q (https://course.example.com/${c}/app.js:${i % 500}:7)`,
      0,
      at - DAY,
    );
    addReport.run(`ses_${i}:r${i}`, group.lastInsertRowid, 1 + (i % 50), at);
  });
  // As a fresh start after a bulk load would: statistics for the planner (open-sqlite.ts does the same).
  raw.pragma('analysis_limit = 1000');
  raw.exec('ANALYZE');
  raw.pragma('wal_checkpoint(TRUNCATE)');
  raw.close();
  return {
    orgId: org.id,
    key,
    email,
    courseIds,
    licenseIds,
    counts,
    seconds: (performance.now() - started) / 1000,
  };
}
