import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDeployment } from '../../gatekeeper/db/deployments.js';
import { type CliGatekeeper, cliGatekeeper } from '../helpers/cli-gatekeeper.js';
import { removeDir, tempDir } from '../packager/fixtures.js';
import { runCoursegate } from '../packager/run-cli.js';

/**
 * `coursegate channels …`, `promote --channel`, `rollback --channel`, `history --channel` and
 * `licenses follow|pin` (docs/deployments.md, "Channels"): in this process against the Gatekeeper app.
 */
describe('coursegate channels and licenses follow / pin', { timeout: 60_000 }, () => {
  let gk: CliGatekeeper;
  let owner: Awaited<ReturnType<CliGatekeeper['org']>>;
  let home: string;
  const d: string[] = [];
  let license = '';
  const coursegate = (args: string[]) =>
    runCoursegate(args, { env: { HOME: home, ...owner.env }, isolated: true, fetch: gk.fetch });

  beforeAll(async () => {
    gk = await cliGatekeeper();
    owner = await gk.org('Channels', 'ops@channels.test');
    const course = await owner.api('POST /v1/courses', { body: { slug: 'intro', title: 'Intro' } });
    for (let i = 0; i < 3; i++)
      d.push(
        (
          await createDeployment(gk.db, {
            orgId: owner.org.id,
            courseId: course.id,
            entry: 'index.html',
            files: [],
            now: Date.now(),
          })
        ).id,
      );
    const issued = await owner.api('POST /v1/licenses', {
      body: { courseId: course.id, clientName: 'Pilot Co' },
    });
    license = issued.license.id;
    home = tempDir('cg-home-');
  });
  afterAll(async () => {
    await gk?.close();
    removeDir(home);
  });

  it('creates a channel, promotes to it, makes a license follow it, and lists who is where', async () => {
    expect((await coursegate(['promote', d[0]!, '--reason', 'v1'])).code).toBe(0);
    expect((await coursegate(['channels', 'create', 'intro', 'beta'])).code).toBe(0);
    const promoted = await coursegate(['promote', d[1]!, '--channel', 'beta', '--reason', 'beta v2']);
    expect(promoted.code, promoted.stderr).toBe(0);
    expect(JSON.parse(promoted.stdout)).toMatchObject({ from: null, to: d[1], channel: 'beta' });
    const follow = await coursegate(['licenses', 'follow', license, 'beta', '--reason', 'pilot']);
    expect(follow.code, follow.stderr).toBe(0);
    expect(JSON.parse(follow.stdout).follows).toEqual({ channel: 'beta' });
    const listed = await coursegate(['channels', 'list', 'intro']);
    expect(listed.stdout).toMatch(new RegExp(`live\\s+${d[0]}`));
    expect(listed.stdout).toMatch(new RegExp(`beta\\s+${d[1]}\\s+Pilot Co`));
    const history = await coursegate(['history', 'intro', '--channel', 'beta']);
    expect(history.stdout).toContain('beta v2');
    expect(history.stdout).not.toContain('v1\n');
  });

  it('names the licenses when a followed channel cannot be deleted, and the channel when it does not exist', async () => {
    const del = await coursegate(['channels', 'delete', 'intro', 'beta']);
    expect(del.code).toBe(1);
    expect(del.stderr).toContain(`Channel "beta" is followed by Pilot Co (${license})`);
    const missing = await coursegate(['promote', d[2]!, '--channel', 'gamma', '--reason', 'x']);
    expect([missing.code, missing.stderr]).toEqual([
      1,
      expect.stringMatching(/has no channel "gamma"; see them with/),
    ]);
    const pin = await coursegate(['licenses', 'pin', license, d[2]!, '--reason', 'audited']);
    expect(pin.code, pin.stderr).toBe(0);
    expect(JSON.parse(pin.stdout).follows).toEqual({ deployment: d[2] });
    expect((await coursegate(['channels', 'delete', 'intro', 'beta'])).code).toBe(0);
  });

  it('--help documents the commands and flags', async () => {
    expect((await coursegate(['channels', '--help'])).stdout).toMatch(
      /list <course>[\s\S]*create <course> <name>/,
    );
    expect((await coursegate(['promote', '--help'])).stdout).toContain('--channel <name>');
    expect((await coursegate(['licenses', '--help'])).stdout).toMatch(
      /follow .*<license> <channel>[\s\S]*pin .*<license> <deployment>/,
    );
  });
});
