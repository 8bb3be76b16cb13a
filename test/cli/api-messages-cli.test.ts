import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliGatekeeper, cliGatekeeper } from '../helpers/cli-gatekeeper.js';
import { makeCourseDir, removeDir, tempDir } from '../packager/fixtures.js';
import { runCoursegate } from '../packager/run-cli.js';

// The CLI in this process against the Gatekeeper app, its stderr a captured stream as a pipe in CI.
describe('what the CLI says about the Gatekeeper’s answers', { timeout: 60_000 }, () => {
  let gk: CliGatekeeper;
  let owner: Awaited<ReturnType<CliGatekeeper['org']>>;
  let courseId: string;
  let home: string;
  let course: string;
  const coursegate = (args: string[]) =>
    runCoursegate(args, {
      env: { HOME: home, ...owner.env },
      isolated: true,
      cwd: home,
      fetch: gk.fetch,
    });

  beforeAll(async () => {
    gk = await cliGatekeeper();
    owner = await gk.org();
    courseId = (await owner.api('POST /v1/courses', { body: { slug: 'msgs', title: 'Messages' } })).id;
    home = tempDir('cg-msgs-');
    course = makeCourseDir({
      'index.html': '<!doctype html><title>msgs</title>',
      'a.js': 'a',
      'b.css': 'b{}',
      'c.txt': 'c',
    });
  });
  afterAll(async () => {
    await gk?.close();
    removeDir(home);
    removeDir(course);
  });

  it('names the course the user typed when there is no such course', async () => {
    for (const args of [
      ['deploy', course, '--course', 'nocourse'],
      ['deploy', course, '--course', 'nocourse', '--dry-run'],
      ['export', 'nocourse', '--format', 'scorm12'],
      ['history', 'nocourse'],
    ]) {
      const r = await coursegate(args);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr).toBe('coursegate: No course "nocourse" in your organisation [api_error]\n');
    }
  });

  it('names --deployment when exporting a course with no live deployment', async () => {
    const r = await coursegate(['export', 'msgs', '--format', 'scorm12', '-o', join(home, 'x.zip')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      'coursegate: Course "msgs" has no live deployment; name one with --deployment <id> (or promote one first) [api_error]\n',
    );
    expect(existsSync(join(home, 'x.zip'))).toBe(false);
  });

  it('ends deploy progress on every file uploaded, each line once', async () => {
    const r = await coursegate(['deploy', course, '--course', 'msgs']);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stderr.trimEnd().split('\n');
    // How many lines come between depends on when each upload is answered; the last one does not.
    for (const line of lines) expect(line).toMatch(/^uploaded [0-4]\/4 files, 0\.0 of 0\.0 MB$/);
    expect(lines.at(-1)).toBe('uploaded 4/4 files, 0.0 of 0.0 MB');
    expect(new Set(lines).size).toBe(lines.length);
    const deployment = /deployed (dep_[\w-]+)/.exec(r.stdout)![1]!;
    expect((await coursegate(['promote', deployment, '--reason', 'go live'])).code).toBe(0);
  });

  it('warns that a revoked license’s package will refuse launches, and downloads it all the same', async () => {
    const { license } = await owner.api('POST /v1/licenses', {
      body: { courseId, clientName: 'Client LMS' },
    });
    const active = await coursegate(['licenses', 'package', license.id, '-o', join(home, 'active.zip')]);
    expect(active.code, active.stderr).toBe(0);
    expect(active.stderr).toBe('');

    await owner.api('POST /v1/licenses/:id/revoke', { params: license, body: { reason: 'contract ended' } });
    const out = join(home, 'revoked.zip');
    const revoked = await coursegate(['licenses', 'package', license.id, '-o', out]);
    expect(revoked.code).toBe(0);
    expect(revoked.stderr).toBe(
      `coursegate: warning: license ${license.id} is revoked; launches of this package will be refused until "coursegate licenses unrevoke ${license.id}"\n`,
    );
    expect(revoked.stdout).toMatch(/revoked\.zip: gated scorm12 package, \d+ bytes\n$/);
    expect(existsSync(out)).toBe(true);
  });
});
