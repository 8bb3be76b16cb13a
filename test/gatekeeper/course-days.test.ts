import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Sqlite from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { DATABASE_FILE } from '../../gatekeeper/db/database-file.js';
import { openSqlite, readMigrations } from '../../gatekeeper/db/open-sqlite.js';
import { purgeBefore } from '../../gatekeeper/ingest/retention.js';
import { courseTotals, daySeries } from '../../gatekeeper/logs/course-days.js';

/**
 * The per-day counts (`course_days`, migration 0012) against the oracle they replace: counting the
 * rows themselves with plain SQL. Rows are written as the Gatekeeper writes them (one INSERT each, so
 * the triggers run as on a launch or an error report), before the migration (its backfill) and after
 * it, and retention then deletes the oldest.
 */
const dir = mkdtempSync(join(tmpdir(), 'cg-course-days-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const DAY = 86_400_000;
const T0 = Date.parse('2026-03-01T00:00:00Z');
const ORGS = ['org_a', 'org_b'];

function writeRows(sqlite: Sqlite.Database, seed: number, n: number) {
  const launch = sqlite.prepare(
    "INSERT INTO launch_events (license_id, org_id, allowed, reason, at) VALUES (?, ?, ?, 'x', ?)",
  );
  const report = sqlite.prepare('INSERT INTO error_reports (id, group_id, count, at) VALUES (?, ?, ?, ?)');
  sqlite.exec('BEGIN');
  for (let i = 0; i < n; i++) {
    const k = seed * 1000 + i;
    const org = ORGS[k % 2] as string;
    const lic = `lic_${org}_${k % 3}`;
    // Some events name a license of the other org: they belong to nobody and count nowhere.
    const claimed = k % 11 === 0 ? (ORGS[(k + 1) % 2] as string) : org;
    launch.run(lic, claimed, k % 5 === 0 ? 0 : 1, T0 + ((k * 7919) % (20 * DAY)));
    report.run(`r${k}`, 1 + (k % 4), 1 + (k % 3), T0 + ((k * 104_729) % (20 * DAY)));
  }
  sqlite.exec('COMMIT');
}

/** Per course and day, counted from the rows. */
function oracle(sqlite: Sqlite.Database, org: string, from: number, to: number) {
  const launches = sqlite
    .prepare(
      `SELECT l.course_id c, count(*) n, sum(1 - e.allowed) d FROM launch_events e
       JOIN licenses l ON l.id = e.license_id AND l.org_id = e.org_id
       WHERE e.org_id = ? AND e.at >= ? AND e.at < ? GROUP BY 1 ORDER BY 1`,
    )
    .all(org, from, to) as { c: string; n: number; d: number }[];
  const errors = sqlite
    .prepare(
      `SELECT g.course_id c, sum(r.count) n FROM error_reports r JOIN error_events g ON g.id = r.group_id
       WHERE g.org_id = ? AND r.at >= ? AND r.at < ? GROUP BY 1 ORDER BY 1`,
    )
    .all(org, from, to) as { c: string; n: number }[];
  return { launches, errors };
}

async function compare(file: string) {
  const db = await openSqlite({ file });
  const sqlite = new Sqlite(file, { readonly: true });
  try {
    for (const org of ORGS)
      for (const [from, to] of [
        [T0, T0 + 20 * DAY],
        [T0 + 3 * DAY, T0 + 4 * DAY],
        [T0 + 10 * DAY, T0 + 17 * DAY],
      ] as const) {
        const want = oracle(sqlite, org, from, to);
        const got = await courseTotals(db, org, { from, to });
        const launches = [...got]
          .filter(([, t]) => t.launches > 0)
          .map(([c, t]) => ({ c, n: t.launches, d: t.denied }));
        const errors = [...got].filter(([, t]) => t.errors > 0).map(([c, t]) => ({ c, n: t.errors }));
        expect(launches.sort((x, y) => x.c.localeCompare(y.c))).toEqual(want.launches);
        expect(errors.sort((x, y) => x.c.localeCompare(y.c))).toEqual(want.errors);
        const series = await daySeries(db, org, { from, to });
        expect(series).toHaveLength((to - from) / DAY);
        expect(series.reduce((s, d) => s + d.launches, 0)).toBe(want.launches.reduce((s, r) => s + r.n, 0));
      }
  } finally {
    sqlite.close();
  }
  return db;
}

describe('per-day counts of launches and errors', () => {
  it('equal the rows they count: backfilled by the migration, kept by every insert and delete', async () => {
    const file = join(dir, DATABASE_FILE);
    const old = new Sqlite(file);
    old.pragma('journal_mode = WAL');
    old.exec('CREATE TABLE _migrations (name TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)');
    for (const m of readMigrations().filter((m) => m.name < '0012')) {
      for (const stmt of m.sql.split('--> statement-breakpoint')) if (stmt.trim()) old.exec(stmt);
      old.prepare('INSERT INTO _migrations VALUES (?, 1)').run(m.name);
    }
    for (const org of ORGS) {
      old.prepare('INSERT INTO orgs (id, name, created_at) VALUES (?, ?, 1)').run(org, org);
      for (const c of [0, 1])
        old
          .prepare("INSERT INTO courses (id, org_id, slug, title, created_at) VALUES (?, ?, ?, 't', 1)")
          .run(`crs_${org}_${c}`, org, `s${c}`);
      for (const l of [0, 1, 2])
        old
          .prepare(
            "INSERT INTO licenses (id, org_id, course_id, client_name, status, current_jti, token_issued_at, created_by, created_at) VALUES (?, ?, ?, 'c', 'active', ?, 0, 'm', 1)",
          )
          .run(`lic_${org}_${l}`, org, `crs_${org}_${l % 2}`, `j${org}${l}`);
    }
    for (let g = 0; g < 4; g++)
      old
        .prepare(
          "INSERT INTO error_events (org_id, course_id, deployment_id, fingerprint, code, message, at) VALUES (?, ?, 'dep', ?, 'c', 'm', 1)",
        )
        .run(ORGS[g % 2], `crs_${ORGS[g % 2]}_${g % 2}`, `fp${g}`);
    writeRows(old, 1, 400);
    old.close();

    // The migration's backfill counts what was there.
    await (await compare(file)).close();
    // The triggers count what comes after.
    const now = new Sqlite(file);
    writeRows(now, 2, 400);
    now.close();
    const db = await compare(file);
    // Retention's deletes take their rows out of the counts.
    await purgeBefore(db, T0 + 8 * DAY + 3_600_000);
    await db.close();
    await (await compare(file)).close();
  });
});
