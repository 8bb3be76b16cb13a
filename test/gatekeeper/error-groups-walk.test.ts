import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Sqlite from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqlite } from '../../gatekeeper/db/open-sqlite.js';
import { errorGroups } from '../../gatekeeper/errors/queries.js';
import { errorGroupsByGroupBy } from '../helpers/error-groups-oracle.js';
import { createTestApp } from '../helpers/gatekeeper.js';
import { plansOf } from '../helpers/query-plans.js';

const FINGERPRINTS = 30;
/** Deployments of the one "hot" fingerprint: more rows than a walk's first batch, all of them recent. */
const HOT = 90;
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A deterministic shuffle, so the rows' times interleave groups and deployments. */
function shuffled<T>(xs: T[], seed: number): T[] {
  const out = [...xs];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1_103_515_245 + 12_345) % 2_147_483_648;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/**
 * A real SQLite file: org A with two courses, FINGERPRINTS fingerprints spread over them with one to
 * three deployments each at interleaved, distinct times, a hot fingerprint with HOT deployments at the
 * newest times, and counted reports from sessions of two clients in three browsers; org B's rows are
 * newer still and must never show.
 */
async function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'cg-errgroups-'));
  dirs.push(dir);
  const t = await createTestApp({ db: await openSqlite({ file: join(dir, 'gk.sqlite') }) });
  const a = await t.org('Org A');
  const b = await t.org('Org B');
  const { course: c1 } = await t.liveCourse(a.org.id, 'a-one');
  const { course: c2 } = await t.liveCourse(a.org.id, 'a-two');
  const { course: other } = await t.liveCourse(b.org.id, 'b-one');
  const license = async (courseId: string, clientName: string) =>
    (
      (await (
        await t.call('POST', '/v1/licenses', { key: a.owner.key, body: { courseId, clientName } })
      ).json()) as {
        license: { id: string };
      }
    ).license.id;
  const licenses = [await license(c1.id, 'Acme Corp'), await license(c2.id, 'Beta Learning')];
  const raw = (t.db.orm as unknown as { $client: Sqlite.Database }).$client;
  const base = t.clock.now.getTime() - 3_600_000;
  const rows: { org: string; course: string; dep: string; fp: string }[] = [];
  for (let f = 0; f < FINGERPRINTS; f++)
    for (let d = 0; d <= f % 3; d++)
      rows.push({ org: a.org.id, course: f % 2 ? c2.id : c1.id, dep: `d${d}`, fp: `f${f}` });
  const hot = Array.from({ length: HOT }, (_, d) => ({
    org: a.org.id,
    course: c1.id,
    dep: `h${d}`,
    fp: 'hot',
  }));
  const foreign = Array.from({ length: 5 }, (_, f) => ({
    org: b.org.id,
    course: other.id,
    dep: 'd0',
    fp: `f${f}`,
  }));
  const addSession = raw.prepare(
    "INSERT INTO sessions (id, org_id, license_id, course_id, deployment_id, standard, created_at, expires_at) VALUES (?, ?, ?, ?, 'd0', 'scorm12', 0, 0)",
  );
  const addError = raw.prepare(
    "INSERT INTO error_events (org_id, course_id, code, message, deployment_id, fingerprint, kind, count, first_at, at) VALUES (?, ?, 'e', ?, ?, ?, ?, ?, ?, ?)",
  );
  const addReport = raw.prepare(
    'INSERT INTO error_reports (id, group_id, count, at, browser) VALUES (?, ?, ?, ?, ?)',
  );
  raw.transaction(() => {
    addSession.run('s0', a.org.id, licenses[0], c1.id);
    addSession.run('s1', a.org.id, licenses[1], c2.id);
    // Times follow this order; rows are written in another, so row ids do not follow time.
    const timed = [...shuffled(rows, 7), ...hot, ...foreign].map((r, i) => ({ ...r, at: base + i * 1000 }));
    for (const [i, r] of shuffled(timed, 11).entries()) {
      const at = r.at;
      const id = addError.run(
        r.org,
        r.course,
        `${r.fp} in ${r.dep}`,
        r.dep,
        r.fp,
        i % 5 ? 'error' : 'rejection',
        1 + (i % 4),
        at - (i % 7) * 60_000,
        at,
      ).lastInsertRowid;
      const browser = [null, 'Chrome', 'Firefox'][i % 3] ?? null;
      addReport.run(`${['s0', 's1', 'gone'][i % 3]}:r${i}`, id, 1 + (i % 3), at, browser);
    }
  })();
  return { t, orgId: a.org.id, c1: c1.id, c2: c2.id };
}

describe('error groups at scale (issue 24)', () => {
  it('answers exactly what the GROUP BY over every row answers, page by page and per course', async () => {
    const { t, orgId, c1, c2 } = await setup();
    for (const courseId of [undefined, c1, c2])
      for (const limit of [1, 5, 12, 50]) {
        const got = await errorGroups(t.db, orgId, { courseId, limit });
        expect(got, `${courseId} ${limit}`).toEqual(
          await errorGroupsByGroupBy(t.db, orgId, { courseId, limit }),
        );
        expect(got.length).toBe(Math.min(limit, courseId === c2 ? FINGERPRINTS / 2 : courseId ? 16 : 31));
      }
    for (const [courseId, fingerprint] of [
      [c1, 'hot'],
      [c2, 'f5'],
      [c1, 'f4'],
      [c1, 'f5'],
    ] as const)
      expect(await errorGroups(t.db, orgId, { courseId, fingerprint, limit: 1 })).toEqual(
        await errorGroupsByGroupBy(t.db, orgId, { courseId, fingerprint, limit: 1 }),
      );
    const [first] = await errorGroups(t.db, orgId, { limit: 1 });
    expect(first).toMatchObject({
      fingerprint: 'hot',
      deployments: HOT,
      clients: ['Acme Corp', 'Beta Learning'],
    });
  });

  it('reads a page through indexes: no scan of error_events, no sort of its rows', async () => {
    const { t, orgId, c1 } = await setup();
    const plans = await plansOf(
      t.db,
      async () => {
        await errorGroups(t.db, orgId, { limit: 5 });
        await errorGroups(t.db, orgId, { courseId: c1, limit: 5 });
        await errorGroups(t.db, orgId, { courseId: c1, fingerprint: 'hot', limit: 1 });
      },
      /error_events/,
    );
    // The walks (org, course) and the two aggregates of the listed keys.
    expect(plans.map((p) => p.plan.find((d) => /error_events|\be\b/.test(d)))).toEqual([
      expect.stringMatching(/^SEARCH error_events USING INDEX error_events_org_at \(org_id=\?\)$/),
      expect.stringMatching(/^SEARCH error_events USING INDEX error_events_org_at \(org_id=\? AND at<\?\)$/),
      'SEARCH e USING INDEX error_events_course_fingerprint (course_id=? AND fingerprint=?)',
      'SEARCH e USING INDEX error_events_course_fingerprint (course_id=? AND fingerprint=?)',
      'SEARCH error_events USING INDEX error_events_course_at (course_id=?)',
      'SEARCH error_events USING INDEX error_events_course_at (course_id=? AND at<?)',
      'SEARCH e USING INDEX error_events_course_fingerprint (course_id=? AND fingerprint=?)',
      'SEARCH e USING INDEX error_events_course_fingerprint (course_id=? AND fingerprint=?)',
    ]);
    for (const { q, plan } of plans) {
      // A page's aggregates group only the listed keys' rows; nothing sorts or scans the org's rows.
      expect(plan.join(' | '), q).not.toMatch(/TEMP B-TREE FOR ORDER BY|\bSCAN (e|error_events)\b/);
      if (/order by/.test(q)) expect(plan.join(' | '), q).not.toMatch(/TEMP B-TREE/);
    }
  });
});
