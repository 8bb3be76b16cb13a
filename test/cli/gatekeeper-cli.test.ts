import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliGatekeeper, cliGatekeeper } from '../helpers/cli-gatekeeper.js';
import { adminInitArgs, runCoursegate } from '../packager/run-cli.js';

let gk: CliGatekeeper;

/** Runs `coursegate` in this process with a private HOME, so no user config leaks in or out. */
function coursegate(args: string[], env: Record<string, string>) {
  return runCoursegate(args, { env, isolated: true, fetch: gk.fetch });
}

describe('coursegate CLI against the Gatekeeper app (in process)', { timeout: 60_000 }, () => {
  let home: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    gk = await cliGatekeeper();
    home = mkdtempSync(join(tmpdir(), 'cg-home-'));
    env = { HOME: home };
  });
  afterAll(async () => {
    await gk.close();
    rmSync(home, { recursive: true, force: true });
  });

  it('admin init → courses → licenses create/list/revoke/unrevoke/extend/reissue → members → keys', async () => {
    const init = await coursegate(
      adminInitArgs({ dataDir: gk.dataDir, url: gk.url, email: 'owner@acme.test' }),
      env,
    );
    expect(init.code, init.stderr).toBe(0);
    const key = /API key:\s+(cg_\S+)/.exec(init.stdout)?.[1];
    expect(key).toBeDefined();
    const configFile = join(home, '.config/coursegate/config.json');
    expect(statSync(configFile).mode & 0o777).toBe(0o600);

    const again = await coursegate(
      ['admin', 'init', '--data-dir', gk.dataDir, '--org', 'X', '--email', 'x@x.test'],
      env,
    );
    expect(again.code).toBe(1);
    expect(again.stderr.trim().split('\n')).toHaveLength(1);
    expect(again.stderr).toMatch(/already has an organisation/);

    // From here on the CLI reads URL and key from the saved config file.
    const course = await coursegate(['courses', 'create', 'intro', '--title', 'Intro'], env);
    expect(course.code, course.stderr).toBe(0);
    expect((await coursegate(['courses', 'list'], env)).stdout).toMatch(/intro\s+Intro/);

    const created = await coursegate(
      [
        'licenses',
        'create',
        '--course',
        'intro',
        '--client',
        'Client LMS',
        '--origin',
        'https://lms.example',
        '--expires',
        '2030-01-01',
      ],
      env,
    );
    expect(created.code, created.stderr).toBe(0);
    const issued = JSON.parse(created.stdout) as {
      license: { id: string; allowedOrigins: string[] };
      token: string;
    };
    expect(issued.license.allowedOrigins).toEqual(['https://lms.example']);
    expect(issued.token.split('.')).toHaveLength(3);
    const id = issued.license.id;

    expect((await coursegate(['licenses', 'list'], env)).stdout).toContain(id);
    // A license expiring within 14 days is flagged in the list; one expiring in 2030 is not.
    const soon = new Date(Date.now() + 5 * 86_400_000).toISOString().slice(0, 10);
    const expiring = await coursegate(
      ['licenses', 'create', '--course', 'intro', '--client', 'Soon LMS', '--expires', soon],
      env,
    );
    const soonId = (JSON.parse(expiring.stdout) as { license: { id: string } }).license.id;
    const lines = (await coursegate(['licenses', 'list'], env)).stdout.split('\n');
    expect(lines[0]).toMatch(/\bflags$/);
    expect(lines.find((l) => l.startsWith(soonId))).toMatch(/expires in [4-6] days \(\d{4}-\d{2}-\d{2}\)$/);
    expect(lines.find((l) => l.startsWith(id))).toMatch(/ -$/);
    expect((await coursegate(['licenses', 'revoke', id, '--reason', 'unpaid'], env)).stdout).toBe(
      `${id}: revoked\n`,
    );
    expect((await coursegate(['licenses', 'unrevoke', id], env)).stdout).toBe(`${id}: active\n`);
    expect((await coursegate(['licenses', 'extend', id, '--expires', 'never'], env)).stdout).toBe(
      `${id}: expires never\n`,
    );
    const reissued = JSON.parse((await coursegate(['licenses', 'reissue', id], env)).stdout) as {
      token: string;
    };
    expect(reissued.token).not.toBe(issued.token);

    const member = await coursegate(['members', 'add', 'dev@acme.test', '--role', 'member'], env);
    expect(member.code, member.stderr).toBe(0);
    expect((await coursegate(['members', 'list'], env)).stdout).toMatch(/dev@acme\.test\s.*member/);

    const newKey = await coursegate(['keys', 'create', '--name', 'ci'], env);
    const keyId = /Key id:\s+(\S+)/.exec(newKey.stdout)?.[1];
    expect(keyId).toBeDefined();
    expect((await coursegate(['keys', 'revoke', keyId!], env)).code).toBe(0);
    const listed = await coursegate(['keys', 'list'], env);
    expect(listed.stdout).toContain(keyId);
    expect(listed.stdout).not.toContain(key!.slice(3));
  });

  it('fails with one line and a non-zero exit on API errors, missing configuration and bad arguments', async () => {
    const unknown = await coursegate(['licenses', 'revoke', 'lic_nope'], env);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toBe('coursegate: No such license (license_not_found) [api_error]\n');

    const bare = await coursegate(['licenses', 'list'], { HOME: join(home, 'elsewhere') });
    expect(bare.code).toBe(1);
    expect(bare.stderr).toMatch(
      /^coursegate: Set COURSEGATE_URL and COURSEGATE_API_KEY.*\[not_configured\]\n$/,
    );

    const badKey = await coursegate(['courses', 'list'], { ...env, COURSEGATE_API_KEY: 'cg_wrong' });
    expect(badKey.code).toBe(1);
    expect(badKey.stderr).toMatch(/\(unauthorized\)/);

    const missing = await coursegate(['licenses', 'create', '--client', 'x'], env);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toMatch(/required option '--course/);

    for (const group of ['admin', 'members', 'keys', 'courses', 'licenses']) {
      const help = await coursegate([group, '--help'], env);
      expect(help.code).toBe(0);
      expect(help.stdout).toMatch(/^Usage: coursegate /);
    }
  });
});
