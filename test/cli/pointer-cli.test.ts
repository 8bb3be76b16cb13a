import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDeployment } from '../../gatekeeper/db/deployments.js';
import { expectUnbrokenChain } from '../helpers/audit-chain.js';
import { type CliGatekeeper, cliGatekeeper } from '../helpers/cli-gatekeeper.js';
import { removeDir, tempDir } from '../packager/fixtures.js';
import { runCoursegate } from '../packager/run-cli.js';

/**
 * `coursegate promote` / `rollback` when someone else moves the course first: the CLI sends the live
 * deployment it saw, and on `live_changed` says (from the code and its details) what is live now and
 * what to do. In this process against the Gatekeeper app, whose `fetch` a test may step into.
 */
describe('coursegate promote / rollback against a change made meanwhile', { timeout: 60_000 }, () => {
  let gk: CliGatekeeper;
  let owner: Awaited<ReturnType<CliGatekeeper['org']>>;
  let home: string;
  const d: string[] = [];
  /** Runs before the CLI's next request matching `path` reaches the Gatekeeper. */
  let meanwhile: { path: string; run: () => Promise<unknown> } | undefined;
  const coursegate = (args: string[]) =>
    runCoursegate(args, {
      env: { HOME: home, ...owner.env },
      isolated: true,
      fetch: async (input, init) => {
        const step = meanwhile;
        if (step && new Request(input, init).url.endsWith(step.path)) {
          meanwhile = undefined;
          await step.run();
        }
        return gk.fetch(input, init);
      },
    });
  const live = async () =>
    (await owner.api('GET /v1/courses/:id', { params: { id: 'race' } })).liveDeploymentId;

  beforeAll(async () => {
    gk = await cliGatekeeper();
    owner = await gk.org('Racers', 'ops@race.test');
    const course = await owner.api('POST /v1/courses', { body: { slug: 'race', title: 'Race' } });
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
    home = tempDir('cg-home-');
  });
  afterAll(async () => {
    await gk?.close();
    removeDir(home);
  });

  it('says what is live now and how to go on, changes nothing, and succeeds once told the live deployment', async () => {
    expect((await coursegate(['promote', d[0]!, '--reason', 'first', '--expect-live', 'none'])).code).toBe(0);
    // A colleague releases d1 while this operator, still looking at d0, rolls back "the bad release".
    expect((await coursegate(['promote', d[1]!, '--reason', 'v2', '--expect-live', d[0]!])).code).toBe(0);
    const rollbackFrom = (seen: string) =>
      coursegate(['rollback', '--course', 'race', '--reason', 'broken', '--expect-live', seen]);
    const stale = await rollbackFrom(d[0]!);
    expect(stale.code).toBe(1);
    expect(stale.stdout).toBe('');
    expect(stale.stderr).toBe(
      `coursegate: Nothing was changed: the live deployment of course "race" changed meanwhile. Live now: ${d[1]} (you expected ${d[0]}). See who changed it with "coursegate history race"; if your change still applies, run the command again with --expect-live ${d[1]}. [api_error]\n`,
    );
    const none = await coursegate(['promote', d[2]!, '--reason', 'v3', '--expect-live', 'none']);
    expect(none.stderr).toContain(`Live now: ${d[1]} (you expected no deployment)`);
    expect(await live()).toBe(d[1]);

    const again = await rollbackFrom(d[1]!);
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ from: d[1], to: d[0] });
  });

  it('without --expect-live sends the deployment live when it read the course, not the one live when it writes', async () => {
    const before = await live();
    // Between the CLI's read and its rollback, another operator promotes d2.
    meanwhile = {
      path: '/v1/courses/race/rollback',
      run: () =>
        owner.api('POST /v1/courses/:id/promote', {
          params: { id: 'race' },
          body: { deployment: d[2]!, reason: 'meanwhile', expectedLive: before },
        }),
    };
    const rolled = await coursegate(['rollback', '--course', 'race', '--reason', 'undo']);
    expect(meanwhile).toBeUndefined();
    expect(rolled.code).toBe(1);
    expect(rolled.stderr).toContain(`Live now: ${d[2]} (you expected ${before})`);
    expect(await live()).toBe(d[2]);

    // Read after the change, the same command goes through: from d2 back to where it was promoted from.
    const read = await coursegate(['rollback', '--course', 'race', '--reason', 'undo']);
    expect(JSON.parse(read.stdout)).toMatchObject({ from: d[2], to: before });
    const { events } = await owner.api('GET /v1/courses/:id/history', { params: { id: 'race' } });
    expectUnbrokenChain(events, null, await live());
  });

  it('documents --expect-live in the help of both commands', async () => {
    for (const command of ['promote', 'rollback']) {
      const help = (await coursegate([command, '--help'])).stdout;
      expect(help).toMatch(/--expect-live <deployment>\s+the deployment you saw live/);
      expect(help).toContain('"none"');
    }
  });
});
