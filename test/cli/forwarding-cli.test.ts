import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliGatekeeper, cliGatekeeper } from '../helpers/cli-gatekeeper.js';
import { adminInitArgs, runCoursegate } from '../packager/run-cli.js';

/** An owner points a course at an LRS on the command line; nothing is sent (no outbox tick runs here). */
describe('coursegate forwarding', { timeout: 60_000 }, () => {
  let gk: CliGatekeeper;
  let home: string;
  const cli = (args: string[], env: Record<string, string> = {}) =>
    runCoursegate(args, { env: { HOME: home, ...env }, cwd: home, fetch: gk.fetch });

  beforeAll(async () => {
    gk = await cliGatekeeper({ forwardingKey: Buffer.alloc(32, 3).toString('base64') });
    home = mkdtempSync(join(tmpdir(), 'cg-home-'));
  });
  afterAll(async () => {
    await gk.close();
    rmSync(home, { recursive: true, force: true });
  });

  it('sets (password from the environment, never printed), shows the backlog, clears; refuses plain http', async () => {
    const init = await cli(adminInitArgs({ dataDir: gk.dataDir, url: gk.url, email: 'o@acme.test' }));
    expect(init.code, init.stderr).toBe(0);
    expect((await cli(['courses', 'create', 'intro', '--title', 'Intro'])).code).toBe(0);
    const help = await cli(['forwarding', 'set', '--help']);
    expect(help.stdout).toContain('COURSEGATE_LRS_PASSWORD');

    const args = [
      'forwarding',
      'set',
      'intro',
      '--endpoint',
      'https://lrs.example.com/xapi',
      '--username',
      'k',
    ];
    const noPassword = await cli(args);
    expect(noPassword.code).toBe(1);
    expect(noPassword.stderr).toContain('COURSEGATE_LRS_PASSWORD');
    const http = await cli(
      ['forwarding', 'set', 'intro', '--endpoint', 'http://lrs.example.com/xapi', '--username', 'k'],
      { COURSEGATE_LRS_PASSWORD: 'pw-7c1e' },
    );
    expect(http.stderr).toContain('(forwarding_url_refused)');

    const set = await cli(args, { COURSEGATE_LRS_PASSWORD: 'pw-7c1e' });
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout).toMatch(/LRS:\s+https:\/\/lrs\.example\.com\/xapi/);
    expect(set.stdout).not.toContain('pw-7c1e');
    const shown = await cli(['forwarding', 'show', 'intro']);
    expect(shown.stdout).toMatch(/Backlog:\s+0/);
    expect(shown.stdout).toMatch(/Last error:\s+-/);

    const cleared = await cli(['forwarding', 'clear', 'intro']);
    expect(cleared.stdout).toContain('Stopped forwarding');
    const gone = await cli(['forwarding', 'show', 'intro']);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toContain('(forwarding_not_found)');
  });
});
