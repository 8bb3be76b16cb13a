import type { D1Database } from '@cloudflare/workers-types/latest/index.ts';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { migrateD1, openD1 } from '../../gatekeeper/db/d1.js';
import { readMigrations } from '../../gatekeeper/db/open-sqlite.js';
import { errorGroups } from '../../gatekeeper/errors/queries.js';
import { startBareD1 } from '../helpers/bare-d1.js';
import { errorGroupsByGroupBy } from '../helpers/error-groups-oracle.js';

let bare: Awaited<ReturnType<typeof startBareD1>>;
let d1: D1Database;
beforeAll(async () => {
  bare = await startBareD1({ name: 'error-groups' });
  d1 = bare.d1;
  await migrateD1(d1, readMigrations(), 1);
});
afterAll(() => bare.dispose());

// The page's walk and its key joins (row values, a VALUES table, `+` on a column) run on D1 as on SQLite.
it('error groups on D1: the walk answers what the GROUP BY answers, with more rows than one batch', async () => {
  const rows = Array.from({ length: 150 }, (_, i) => {
    const fp = i < 80 ? 'hot' : `f${i % 9}`;
    // Row ids do not follow time: the hot group's rows are the newest, shuffled (more than a walk's first
    // batch of 64), the others run backwards over the insert order in blocks of ten.
    const at = i < 80 ? 2_000_000 + ((i * 37) % 80) : 1_000_000 + (i % 10) * 10_000 + Math.floor(i / 10);
    return d1
      .prepare(
        "INSERT INTO error_events (org_id, course_id, code, message, deployment_id, fingerprint, count, first_at, at) VALUES (?, ?, 'e', ?, ?, ?, ?, ?, ?)",
      )
      .bind(i % 7 ? 'org_a' : 'org_b', i % 2 ? 'c1' : 'c2', `m${i}`, `d${i}`, fp, 1 + (i % 3), at - i, at);
  });
  await d1.batch(rows);
  const db = openD1(d1);
  for (const courseId of [undefined, 'c1'])
    for (const limit of [3, 50]) {
      const got = await errorGroups(db, 'org_a', { courseId, limit });
      expect(got.length).toBeGreaterThan(0);
      expect(got, `${courseId} ${limit}`).toEqual(
        await errorGroupsByGroupBy(db, 'org_a', { courseId, limit }),
      );
    }
});
