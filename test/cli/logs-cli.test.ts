import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completions, courses } from '../../gatekeeper/db/schema.js';
import { type CliGatekeeper, cliGatekeeper } from '../helpers/cli-gatekeeper.js';
import { adminInitArgs, runCoursegate } from '../packager/run-cli.js';

let gk: CliGatekeeper;

function coursegate(args: string[], env: Record<string, string>) {
  return runCoursegate(args, { env, isolated: true, fetch: gk.fetch });
}

describe('coursegate logs', { timeout: 60_000 }, () => {
  let home: string;

  beforeAll(async () => {
    gk = await cliGatekeeper();
    home = mkdtempSync(join(tmpdir(), 'cg-home-'));
  });
  afterAll(async () => {
    await gk.close();
    rmSync(home, { recursive: true, force: true });
  });

  it('prints a course’s launches as a table, CSV with a header row, and NDJSON', async () => {
    const env = { HOME: home };
    const init = await coursegate(
      adminInitArgs({ dataDir: gk.dataDir, url: gk.url, email: 'o@acme.test' }),
      env,
    );
    expect(init.code, init.stderr).toBe(0);
    const key = /API key:\s+(cg_\S+)/.exec(init.stdout)?.[1] as string;
    const api = async (method: string, path: string, body?: unknown) =>
      (await (
        await gk.fetch(`${gk.url}${path}`, {
          method,
          headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        })
      ).json()) as unknown;
    const course = (await api('POST', '/v1/courses', { slug: 'intro', title: 'Intro' })) as { id: string };
    const { token } = (await api('POST', '/v1/licenses', {
      courseId: course.id,
      clientName: 'Client A',
    })) as {
      token: string;
    };
    // The course has no live deployment: each launch is refused, and logged as such.
    for (let i = 0; i < 3; i++)
      await gk.fetch(`${gk.url}/v1/launch`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ token, standard: 'scorm12' }),
      });

    const table = await coursegate(['logs', 'launches', '--course', 'intro', '--since', '1d'], env);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout.trim().split('\n')).toHaveLength(4);
    expect(table.stdout).toMatch(/false\s+course_not_live\s+Client A/);

    const csv = await coursegate(['logs', 'launches', '--course', 'intro', '--format', 'csv'], env);
    const lines = csv.stdout.trim().split('\r\n');
    expect(lines[0]).toBe('id,at,allowed,reason,detail,licenseId,clientName,origin,standard,sessionId');
    expect(lines).toHaveLength(4);

    const nd = await coursegate(['logs', 'launches', '--course', course.id, '--format', 'ndjson'], env);
    const rows = nd.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { reason: string });
    expect(rows.map((r) => r.reason)).toEqual(['course_not_live', 'course_not_live', 'course_not_live']);

    // Table and JSON show the latest first; --oldest turns that round; CSV above is oldest first.
    const csvIds = lines.slice(1).map((l) => Number(l.split(',')[0]));
    const json = async (...extra: string[]) => {
      const res = await coursegate(
        ['logs', 'launches', '--course', 'intro', '--format', 'json', ...extra],
        env,
      );
      expect(res.code, res.stderr).toBe(0);
      return (JSON.parse(res.stdout) as { id: number }[]).map((r) => r.id);
    };
    expect(await json('--limit', '2')).toEqual([csvIds[2], csvIds[1]]);
    expect(await json('--limit', '2', '--oldest')).toEqual([csvIds[0], csvIds[1]]);

    const none = await coursegate(['logs', 'errors', '--course', 'intro'], env);
    expect(none.stdout.trim()).toBe('(none)');
    const missing = await coursegate(['logs', 'errors', '--course', 'nope'], env);
    expect(missing.code).not.toBe(0);

    // A record as a SCORM 2004 LMS reports 2 of 3 right with no scaled score: the table shows its percent.
    const [{ orgId } = { orgId: '' }] = await gk.db.orm
      .select({ orgId: courses.orgId })
      .from(courses)
      .where(eq(courses.id, course.id))
      .all();
    await gk.db.batch([
      gk.db.orm.insert(completions).values({
        sessionId: 'ses_cli',
        orgId,
        courseId: course.id,
        completed: true,
        passed: true,
        score: 2,
        scoreMin: 0,
        scoreMax: 3,
        updatedAt: Date.now(),
      }),
    ]);
    const done = await coursegate(['logs', 'completions', '--course', 'intro'], env);
    expect(done.code, done.stderr).toBe(0);
    expect(done.stdout).toMatch(/^updatedAt\s+sessionId\s+completed\s+success\s+percent\s+score\s/);
    expect(done.stdout).toMatch(/ses_cli\s+true\s+true\s+66\.67\s+2\s/);
  });
});
