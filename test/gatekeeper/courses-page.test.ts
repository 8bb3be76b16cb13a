import type Sqlite from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { dashboardSignIn } from '../helpers/dashboard.js';
import { createTestApp } from '../helpers/gatekeeper.js';

const COURSES = 55;
const DAY = 86_400_000;

/**
 * The dashboard's courses page: a search over titles and slugs, pages of 50 with the total, and each
 * course's launches, denied launches and errors over the chosen days, the same days the chart draws.
 */
describe('the courses page', () => {
  it('searches, pages with a total, and counts launches over the date range it is given', async () => {
    const t = await createTestApp();
    const a = await t.org('Org A');
    const { course } = await t.liveCourse(a.org.id, 'safety-basics');
    const raw = (t.db.orm as unknown as { $client: Sqlite.Database }).$client;
    const now = t.clock.now.getTime();
    const addCourse = raw.prepare(
      'INSERT INTO courses (id, org_id, slug, title, created_at) VALUES (?, ?, ?, ?, ?)',
    );
    raw.transaction(() => {
      for (let i = 0; i < COURSES - 1; i++)
        addCourse.run(`crs_${i}`, a.org.id, `course-${i}`, `Course number ${i}`, now - i);
    })();
    const res = await t.call('POST', '/v1/licenses', {
      key: a.owner.key,
      body: { courseId: course.id, clientName: 'Globex LMS' },
    });
    const license = ((await res.json()) as { license: { id: string } }).license.id;
    const launch = raw.prepare(
      "INSERT INTO launch_events (license_id, org_id, allowed, reason, at) VALUES (?, ?, ?, 'ok', ?)",
    );
    // Today 3 launches (1 denied), ten days ago 2: the default 14 days count 5, today alone 3.
    raw.transaction(() => {
      for (const [allowed, at] of [
        [1, now],
        [1, now - 1000],
        [0, now - 2000],
        [1, now - 10 * DAY],
        [1, now - 10 * DAY],
      ] as const)
        launch.run(license, a.org.id, allowed, at);
    })();
    const dash = await dashboardSignIn(t, a.owner.member);
    const cells = (html: string, label: string) =>
      [...html.matchAll(new RegExp(`data-label="${label}"[^>]*>([^<]*)<`, 'g'))].map((m) => m[1]?.trim());
    const titles = (html: string) =>
      [...html.matchAll(/data-label="Course"><a [^>]*>([^<]+)</g)].map((m) => m[1] as string);

    const first = await (await dash('GET', '')).text();
    expect(first).toContain(`${COURSES} courses`);
    expect(titles(first)).toHaveLength(50);
    const next = /href="\/dashboard(\?[^"]*older=[^"]+)"/.exec(first)?.[1]?.replaceAll('&amp;', '&');
    expect(next).toBeDefined();
    const second = await (await dash('GET', next as string)).text();
    expect(new Set([...titles(first), ...titles(second)]).size).toBe(COURSES);

    const found = await (await dash('GET', '?q=SAFETY')).text();
    expect(found).toContain('1 course matching');
    expect(titles(found)).toHaveLength(1);
    expect(cells(found, 'Launches')).toEqual(['5']);
    expect(cells(found, 'Denied')).toEqual(['1']);
    expect(found).toMatch(/5 launches, \d+ errors in 14 days/);

    const day = new Date(now).toISOString().slice(0, 10);
    const today = await (await dash('GET', `?q=safety&from=${day}&to=${day}`)).text();
    expect(cells(today, 'Launches')).toEqual(['3']);
    expect(today).toMatch(/3 launches, \d+ errors in 1 days/);
    expect(titles(await (await dash('GET', '?q=no-such-thing')).text())).toEqual([]);
  });
});
