import type Sqlite from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { dashboardSignIn } from '../helpers/dashboard.js';
import { createTestApp } from '../helpers/gatekeeper.js';

const LICENSES = 130;

/** The dashboard's license list with thousands of licenses: pages of 50 by key, and a search. */
describe('the licenses page', () => {
  it('pages every license once by its Older links (ties on creation time included) and searches by client name', async () => {
    const t = await createTestApp();
    const a = await t.org('Org A');
    const b = await t.org('Org B');
    const { course } = await t.liveCourse(a.org.id, 'a-course');
    const { course: other } = await t.liveCourse(b.org.id, 'b-course');
    const raw = (t.db.orm as unknown as { $client: Sqlite.Database }).$client;
    const add = raw.prepare(
      "INSERT INTO licenses (id, org_id, course_id, client_name, status, current_jti, token_issued_at, created_by, created_at) VALUES (?, ?, ?, ?, 'active', ?, 0, 'x', ?)",
    );
    const at = t.clock.now.getTime();
    raw.transaction(() => {
      for (let i = 0; i < LICENSES; i++)
        add.run(`lic_${i}`, a.org.id, course.id, `Client ${i}`, `j${i}`, at - Math.floor(i / 10));
      add.run('lic_b', b.org.id, other.id, 'Client of B', 'jb', at);
    })();
    const dash = await dashboardSignIn(t, a.owner.member);
    const clients = (html: string) =>
      [...html.matchAll(/data-label="Client"><a [^>]*>([^<]+)</g)].map((m) => m[1] as string);

    const seen: string[] = [];
    let path: string | undefined = '/licenses';
    let pages = 0;
    while (path) {
      const html = await (await dash('GET', path)).text();
      const rows = clients(html);
      expect(rows.length).toBeLessThanOrEqual(50);
      seen.push(...rows);
      pages++;
      // Each page says where it is in the whole list.
      const from = 1 + (pages - 1) * 50;
      expect(html).toContain(`Licenses ${from}–${from + rows.length - 1} of ${LICENSES}`);
      path = /href="\/dashboard(\/licenses\?older=[^"]+)"/.exec(html)?.[1]?.replaceAll('&amp;', '&');
    }
    expect(pages).toBe(3);
    expect(seen.sort()).toEqual(Array.from({ length: LICENSES }, (_, i) => `Client ${i}`).sort());

    const found = clients(await (await dash('GET', '/licenses?q=client%2012')).text());
    expect(found.sort()).toEqual(
      [
        'Client 12',
        'Client 120',
        'Client 121',
        'Client 122',
        'Client 123',
        'Client 124',
        'Client 125',
        'Client 126',
        'Client 127',
        'Client 128',
        'Client 129',
      ].sort(),
    );
    expect(clients(await (await dash('GET', '/licenses?q=lic_7')).text())).toEqual(['Client 7']);
  });
});
