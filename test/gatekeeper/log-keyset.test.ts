import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Sqlite from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqlite } from '../../gatekeeper/db/open-sqlite.js';
import { queryStatements } from '../../gatekeeper/ingest/statement-query.js';
import { completionLog, errorLog, launchLog } from '../../gatekeeper/logs/page-queries.js';
import { queryLog } from '../../gatekeeper/logs/queries.js';
import { dashboardSignIn } from '../helpers/dashboard.js';
import { createTestApp } from '../helpers/gatekeeper.js';
import { plansOf } from '../helpers/query-plans.js';

/** Rows per export page: far fewer than the seeded rows, so an export is many pages. */
const EXPORT_PAGE = 7;
const LAUNCHES = 60;
const STATEMENTS = 40;
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/**
 * A real SQLite file: org A with two licenses of one course and LAUNCHES launches in runs of five that
 * share a millisecond (ties the cursor must break), statements, error groups and completions likewise;
 * org B with launches of its own that no read of A may show.
 */
async function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'cg-keyset-'));
  dirs.push(dir);
  const t = await createTestApp({
    db: await openSqlite({ file: join(dir, 'gk.sqlite') }),
    exportPageRows: EXPORT_PAGE,
  });
  const a = await t.org('Org A');
  const b = await t.org('Org B');
  const { course } = await t.liveCourse(a.org.id, 'a-course');
  const { course: other } = await t.liveCourse(b.org.id, 'b-course');
  const license = async (key: string, courseId: string, clientName: string) =>
    (
      (await (await t.call('POST', '/v1/licenses', { key, body: { courseId, clientName } })).json()) as {
        license: { id: string };
      }
    ).license.id;
  const licenses = [
    await license(a.owner.key, course.id, 'Acme Corp'),
    await license(a.owner.key, course.id, 'Acme Labs'),
  ];
  const foreign = await license(b.owner.key, other.id, 'Acme Elsewhere');
  const raw = (t.db.orm as unknown as { $client: Sqlite.Database }).$client;
  const base = t.clock.now.getTime() - 3_600_000;
  const launch = raw.prepare(
    'INSERT INTO launch_events (license_id, org_id, allowed, reason, session_id, at) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const statement = raw.prepare(
    "INSERT INTO statements (id, session_id, org_id, course_id, verb, body, stored_at) VALUES (?, 'ses', ?, ?, ?, ?, ?)",
  );
  const error = raw.prepare(
    "INSERT INTO error_events (org_id, course_id, code, message, fingerprint, at, count, first_at) VALUES (?, ?, 'e', ?, ?, ?, 1, ?)",
  );
  const completion = raw.prepare(
    'INSERT INTO completions (session_id, org_id, course_id, completed, updated_at) VALUES (?, ?, ?, 1, ?)',
  );
  raw.transaction(() => {
    for (let i = 0; i < LAUNCHES; i++) {
      const at = base + Math.floor(i / 5) * 1000;
      const allowed = i % 4 !== 0;
      launch.run(licenses[i % 2], a.org.id, allowed ? 1 : 0, allowed ? 'ok' : 'license_revoked', `s${i}`, at);
      if (i % 6 === 0) launch.run(foreign, b.org.id, 1, 'ok', `b${i}`, at);
    }
    for (let i = 0; i < STATEMENTS; i++) {
      const id = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
      const verb =
        i % 3 ? 'http://adlnet.gov/expapi/verbs/answered' : 'http://adlnet.gov/expapi/verbs/passed';
      statement.run(id, a.org.id, course.id, verb, JSON.stringify({ id }), base + Math.floor(i / 4));
      error.run(a.org.id, course.id, `m${i}`, `f${i}`, base + Math.floor(i / 4), base);
      completion.run(`c${i}`, a.org.id, course.id, base + Math.floor(i / 4));
    }
  })();
  return { t, a, course, licenses, raw };
}

const sorted = (xs: readonly (string | number | undefined)[]) => [...xs].map(String).sort();
const range = (n: number, prefix = '') => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

describe('keyset paging and exports of the logs', () => {
  it('walks every launch once, both ways, through ties, and pages a course by key', async () => {
    const { t, a, course } = await setup();
    for (const order of ['oldest', 'newest']) {
      const seen: { id: number; at: string; sessionId: string }[] = [];
      let cursor = '';
      do {
        const res = await t.call(
          'GET',
          `/v1/courses/${course.id}/launches?order=${order}&limit=4${cursor ? `&cursor=${cursor}` : ''}`,
          { key: a.owner.key },
        );
        const page = (await res.json()) as { launches: (typeof seen)[number][]; next: string | null };
        seen.push(...page.launches);
        cursor = page.next ?? '';
      } while (cursor);
      expect(sorted(seen.map((r) => r.sessionId))).toEqual(sorted(range(LAUNCHES, 's')));
      const keys = seen.map((r) => [Date.parse(r.at), r.id] as const);
      const inOrder = [...keys].sort((x, y) => x[0] - y[0] || x[1] - y[1]);
      expect(keys).toEqual(order === 'oldest' ? inOrder : inOrder.reverse());
    }
  });

  it('exports every row once from the API and the dashboard, many pages past the page size', async () => {
    const { t, a, course, licenses } = await setup();
    const api = await t.call('GET', `/v1/courses/${course.id}/launches?format=csv`, { key: a.owner.key });
    const apiLines = (await api.text()).trim().split('\r\n');
    const sessionCol = apiLines[0]?.split(',').indexOf('sessionId') ?? -1;
    expect(sorted(apiLines.slice(1).map((l) => l.split(',')[sessionCol] ?? ''))).toEqual(
      sorted(range(LAUNCHES, 's')),
    );

    const dash = await dashboardSignIn(t, a.owner.member);
    const csv = await dash('GET', '/launches?format=csv');
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const lines = (await csv.text()).trim().split('\r\n');
    const col = lines[0]?.split(',').indexOf('sessionId') ?? -1;
    expect(sorted(lines.slice(1).map((l) => l.split(',')[col] ?? ''))).toEqual(sorted(range(LAUNCHES, 's')));
    const ndjson = await (await dash('GET', `/launches?format=ndjson&licenseId=${licenses[0]}`)).text();
    const rows = ndjson
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { sessionId: string });
    expect(sorted(rows.map((r) => r.sessionId))).toEqual(
      sorted(range(LAUNCHES, 's').filter((_, i) => i % 2 === 0)),
    );
    const errors = (await (await dash('GET', '/errors?format=csv')).text()).trim().split('\r\n');
    expect(errors).toHaveLength(STATEMENTS + 1);
  });

  it('pages the dashboard log by Older and Newer links, and searches licenses instead of listing them', async () => {
    const { t, a } = await setup();
    const dash = await dashboardSignIn(t, a.owner.member);
    const sessionsOn = (html: string) =>
      [...html.matchAll(/data-label="Session"[^>]*>(s\d+)</g)].map((m) => m[1]);
    const first = await (await dash('GET', '/launches')).text();
    expect(first).not.toContain('<option value="lic_');
    // The total of every page is the whole filter's, not the page's; names first, ids under them.
    const total = (html: string) => /id="log-total">([^<]*)</.exec(html)?.[1]?.replace(/\s+/g, ' ');
    expect(total(first)).toMatch(new RegExp(`^${LAUNCHES} launches match`));
    expect(first).toMatch(/data-label="Client \(license\)"[^>]*>Acme Labs<br\/><code class="id">lic_/);
    expect(first).toContain('<th scope="col">Time (UTC)</th>');
    const older = /href="\/dashboard(\/launches\?older=[^"]+)"/.exec(first)?.[1]?.replaceAll('&amp;', '&');
    expect(older).toBeDefined();
    const second = await (await dash('GET', older as string)).text();
    expect(sorted([...sessionsOn(first), ...sessionsOn(second)])).toEqual(sorted(range(LAUNCHES, 's')));
    expect(second).not.toMatch(/\?older=/);
    const newer = /href="\/dashboard(\/launches\?newer=[^"]+)"/.exec(second)?.[1]?.replaceAll('&amp;', '&');
    expect(sessionsOn(await (await dash('GET', newer as string)).text())).toEqual(sessionsOn(first));

    // "Acme" is a prefix of two of A's licenses (and of B's, which A never sees): pick one of two.
    const many = await (await dash('GET', '/launches?license=acme')).text();
    expect(many).toContain('2 licenses match');
    expect(many).not.toContain('Acme Elsewhere');
    const one = await (await dash('GET', '/launches?license=Acme%20Labs')).text();
    expect(sessionsOn(one)).toHaveLength(LAUNCHES / 2);
    expect(total(one)).toMatch(new RegExp(`^${LAUNCHES / 2} launches match`));
    expect(sessionsOn(one).every((s) => Number(s?.slice(1)) % 2 === 1)).toBe(true);
    const none = await (await dash('GET', '/launches?license=Initech')).text();
    expect(sessionsOn(none)).toEqual([]);
    expect(total(none)).toMatch(/^0 launches match/);
    expect(total(await (await dash('GET', '/errors')).text())).toMatch(
      new RegExp(`^${STATEMENTS} error groups match`),
    );
  });

  it('walks every statement once through `more` links, with ties on their stored time', async () => {
    const { t, a } = await setup();
    const key = a.owner.key;
    for (const query of [
      'limit=3',
      'limit=3&ascending=true',
      'limit=2&verb=http://adlnet.gov/expapi/verbs/passed',
    ]) {
      const ids: string[] = [];
      let next = `/xapi/statements?${query}`;
      while (next) {
        const page = (await (
          await t.call('GET', next, { key, headers: { 'x-experience-api-version': '1.0.3' } })
        ).json()) as {
          statements: { id: string }[];
          more: string;
        };
        ids.push(...page.statements.map((s) => s.id));
        next = page.more;
      }
      const all = range(STATEMENTS).filter((i) => !query.includes('verb') || Number(i) % 3 === 0);
      expect(sorted(ids)).toEqual(sorted(all.map((i) => `00000000-0000-4000-8000-${i.padStart(12, '0')}`)));
    }
  });

  it('reads every log through an index that serves its filter and its order: no table scan, no sort', async () => {
    const { t, a, course, licenses } = await setup();
    const orgId = a.org.id;
    const cursor = { at: t.clock.now.getTime(), key: 1_000_000 };
    const walk = { newest: true, limit: 10, cursor };
    const plans = await plansOf(
      t.db,
      async () => {
        for (const f of [
          {},
          { courseId: course.id },
          { licenseId: licenses[0] },
          { licenseId: licenses[0], outcome: 'denied' as const },
          { outcome: 'denied' as const, from: 0, to: cursor.at },
        ]) {
          await launchLog(t.db, orgId, f, walk);
          await launchLog(t.db, orgId, f, { ...walk, newest: false });
        }
        for (const read of [errorLog, completionLog]) {
          await read(t.db, orgId, {}, walk);
          await read(t.db, orgId, { courseId: course.id, from: 0 }, walk);
        }
        for (const kind of ['launches', 'errors', 'completions'] as const)
          await queryLog(t.db, kind, { orgId, courseId: course.id, limit: 10, after: cursor, since: 0 });
        for (const f of [
          {},
          { verb: 'v' },
          { courseId: course.id },
          { sessionId: 'ses' },
          { since: 0, until: 1 },
        ])
          await queryStatements(t.db, { orgId, limit: 10, after: cursor, ...f });
      },
      /launch_events|error_events|completions|statements/,
    );
    expect(plans).toHaveLength(22);
    for (const { q, plan } of plans) {
      expect(plan.join(' | '), q).not.toMatch(
        /TEMP B-TREE|\bSCAN (launch_events|error_events|completions|statements)\b/,
      );
      expect(plan.join(' | '), q).toMatch(/SEARCH (launch_events|error_events|completions|statements) USING/);
    }
  });
});
