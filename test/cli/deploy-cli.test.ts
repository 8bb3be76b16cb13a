import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliGatekeeper, cliGatekeeper } from '../helpers/cli-gatekeeper.js';
import { startDeployGatekeeper } from '../helpers/deploy-gatekeeper.js';
import { ROOT } from '../helpers/paths.js';
import { makeCourseDir, removeDir, tempDir } from '../packager/fixtures.js';
import { runCoursegate } from '../packager/run-cli.js';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

// The CLI in this process against the Gatekeeper app (`app.request`): its logic, not its start-up.
describe('coursegate deploy / promote / rollback / history / preview', { timeout: 60_000 }, () => {
  let gk: CliGatekeeper;
  let owner: Awaited<ReturnType<CliGatekeeper['org']>>;
  let courseId: string;
  let home: string;
  const dirs: string[] = [];
  const coursegate = (args: string[]): Promise<Run> =>
    runCoursegate(args, { env: { HOME: home, ...owner.env }, isolated: true, fetch: gk.fetch });

  beforeAll(async () => {
    gk = await cliGatekeeper();
    owner = await gk.org('Deployers', 'author@deploy.test');
    courseId = (
      await owner.api('POST /v1/courses', { body: { slug: 'cli-course', title: 'Deployed course' } })
    ).id;
    home = tempDir('cg-home-');
  });
  afterAll(async () => {
    await gk?.close();
    removeDir(home);
    for (const d of dirs) removeDir(d);
  });

  it('deploys, names what it left out, promotes with a reason, refuses one without, rolls back, shows history', async () => {
    const dir = makeCourseDir({
      'index.html': '<!doctype html><title>cli</title>',
      'app.js': 'x',
      'app.js.map': '{}',
      '.git/HEAD': 'ref: refs/heads/main',
      'node_modules/dep/index.js': '',
      '.env': 'SECRET=1',
      // The author's metadata, read by deploy but not course content: `package` leaves it out too.
      'coursegate.json': JSON.stringify({ id: 'cli', title: 'CLI', version: '1', entry: 'index.html' }),
    });
    dirs.push(dir);
    const first = await coursegate(['deploy', dir, '--course', 'cli-course', '--message', 'v1']);
    expect(first.code, first.stderr).toBe(0);
    for (const name of ['.git/', 'node_modules/', '.env', 'app.js.map'])
      expect(first.stderr).toContain(`left out ${name}`);
    expect(first.stderr).toContain('left out coursegate.json (course metadata, not content)');
    expect(first.stdout).toMatch(/uploaded 2 file\(s\)/);
    const one = /deployed (dep_[\w-]+)/.exec(first.stdout)![1]!;
    expect(await gk.listDeployment(courseId, one)).toEqual(
      [
        '_coursegate/player.html',
        '_coursegate/player.js',
        '_coursegate/scorm12.min.js',
        '_coursegate/scorm2004.min.js',
        'app.js',
        'index.html',
      ].sort(),
    );

    const dry = await coursegate(['deploy', dir, '--course', 'cli-course', '--dry-run']);
    expect(dry.stdout).toContain('dry run: 0 file(s)');

    const noReason = await coursegate(['promote', one, '--reason', ' ']);
    expect(noReason.code).toBe(1);
    expect(noReason.stderr).toContain('reason_required');
    expect((await coursegate(['promote', one, '--reason', 'first release'])).code).toBe(0);

    const second = await coursegate(['deploy', dir, '--course', 'cli-course', '--message', 'same']);
    expect(second.stdout).toMatch(/uploaded 0 file\(s\).*2 unchanged copied/);
    const two = /deployed (dep_[\w-]+)/.exec(second.stdout)![1]!;
    expect((await coursegate(['promote', two, '--reason', 'second'])).code).toBe(0);
    const back = await coursegate(['rollback', '--course', 'cli-course', '--reason', 'oops']);
    expect(back.code, back.stderr).toBe(0);
    expect(JSON.parse(back.stdout)).toMatchObject({ from: two, to: one });

    const history = await coursegate(['history', 'cli-course']);
    const lines = history.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^at\s+action\s+actor\s+from\s+to\s+reason$/);
    expect(lines.slice(1).map((l) => l.split(/\s{2,}/).slice(1))).toEqual([
      ['rollback', 'author@deploy.test', `1 (#2) ${two}`, `1 (#1) ${one}`, 'oops'],
      ['promote', 'author@deploy.test', `1 (#1) ${one}`, `1 (#2) ${two}`, 'second'],
      ['promote', 'author@deploy.test', '-', `1 (#1) ${one}`, 'first release'],
    ]);
    // Each deployment by its version label (the course config's version and its number in the course) and
    // its deploy message.
    const listed = (await coursegate(['deployments', 'cli-course'])).stdout.trim().split('\n');
    expect(listed[0]).toMatch(/^label\s+id\s+status\s+createdAt\s+message$/);
    expect(listed[1]).toMatch(new RegExp(`^1 \\(#2\\)\\s+${two}\\s+\\w+\\s+\\S+\\s+same$`));
    expect(listed[2]).toMatch(new RegExp(`^1 \\(#1\\)\\s+${one}\\s+live\\s`));

    const preview = await coursegate(['preview', two, '--expires', '2h']);
    const link = JSON.parse(preview.stdout) as { id: string; url: string };
    expect((await gk.fetch(link.url, { redirect: 'manual' })).status).toBe(302);
    expect((await coursegate(['preview', link.id, '--revoke'])).code).toBe(0);
    expect((await gk.fetch(link.url, { redirect: 'manual' })).status).toBe(404);
  });
});

// The real binary over loopback HTTP: killed mid-upload by a signal, then run again. The one deploy that
// crosses a real socket end to end, so the upload engine's concurrency and resumption meet real I/O.
describe('coursegate deploy as a user runs it', { timeout: 240_000 }, () => {
  let env: Awaited<ReturnType<typeof startDeployGatekeeper>>;
  let home: string;
  const dirs: string[] = [];
  const userEnv = () => ({
    PATH: process.env.PATH ?? '',
    HOME: home,
    COURSEGATE_URL: env.gk.url,
    COURSEGATE_API_KEY: env.key,
  });
  const coursegate = (args: string[]) =>
    new Promise<Run>((resolve) => {
      execFile(
        process.execPath,
        [join(ROOT, 'bin/coursegate.js'), ...args],
        { cwd: ROOT, env: userEnv() },
        (err, stdout, stderr) =>
          resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      );
    });

  beforeAll(async () => {
    env = await startDeployGatekeeper('fs', 'cli-course');
    home = tempDir('cg-home-');
  });
  afterAll(async () => {
    await env?.close();
    removeDir(home);
    for (const d of dirs) removeDir(d);
  });

  it('a deploy process killed mid-upload and run again finishes without re-uploading finished files', async () => {
    const files: Record<string, Uint8Array | string> = {
      'index.html': '<!doctype html><title>killed</title>',
    };
    for (let i = 0; i < 40; i++) files[`media/m-${String(i).padStart(2, '0')}.bin`] = randomBytes(1_000_000);
    const dir = makeCourseDir(files);
    dirs.push(dir);
    const child = spawn(
      process.execPath,
      [join(ROOT, 'bin/coursegate.js'), 'deploy', dir, '--course', 'cli-course', '--concurrency', '2'],
      { cwd: ROOT, env: userEnv() },
    );
    // Killed without warning (SIGKILL) at its first progress line: some files are stored, others are not.
    await new Promise<void>((resolve) => {
      child.stderr.on('data', (chunk) => {
        if (/uploaded [1-9]\d*\//.test(String(chunk))) child.kill('SIGKILL');
      });
      child.on('exit', () => resolve());
    });
    expect(child.signalCode).toBe('SIGKILL');

    env.meter.mark();
    const again = await coursegate(['deploy', dir, '--course', 'cli-course', '--concurrency', '2']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain('resuming');
    const m = /uploaded (\d+) file\(s\).*, (\d+) already stored/.exec(again.stdout)!;
    const [uploaded, present] = [Number(m[1]), Number(m[2])];
    expect(present).toBeGreaterThan(0);
    expect(uploaded + present).toBe(41);
    const sent = env.meter.uploaded();
    // An upload in flight at the kill may still land after the mark; nothing finished is sent again.
    expect(sent.keys.length).toBeLessThan(41);
    expect(sent.keys.length).toBeGreaterThanOrEqual(uploaded);
  });
});
