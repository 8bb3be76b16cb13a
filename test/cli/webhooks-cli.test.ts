import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliGatekeeper, cliGatekeeper } from '../helpers/cli-gatekeeper.js';
import { adminInitArgs, runCoursegate } from '../packager/run-cli.js';

/** An owner manages webhooks on the command line; nothing is sent (the drain is not running here). */
describe('coursegate webhooks', { timeout: 60_000 }, () => {
  let gk: CliGatekeeper;
  let home: string;
  const cli = (args: string[]) => runCoursegate(args, { env: { HOME: home }, cwd: home, fetch: gk.fetch });

  beforeAll(async () => {
    gk = await cliGatekeeper();
    home = mkdtempSync(join(tmpdir(), 'cg-home-'));
  });
  afterAll(async () => {
    await gk.close();
    rmSync(home, { recursive: true, force: true });
  });

  it('adds (secret once), lists, rotates, queues a test event, shows the log, removes; refuses plain http', async () => {
    const init = await cli(adminInitArgs({ dataDir: gk.dataDir, url: gk.url, email: 'o@acme.test' }));
    expect(init.code, init.stderr).toBe(0);

    const refused = await cli(['webhooks', 'add', 'http://hooks.example.com/in', '--events', '*']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('(webhook_url_refused)');

    const added = await cli([
      'webhooks',
      'add',
      'https://hooks.example.com/in',
      '--events',
      'license.revoked,deployment.promoted',
    ]);
    expect(added.code, added.stderr).toBe(0);
    const id = /Endpoint:\s+(\S+)/.exec(added.stdout)?.[1] as string;
    const secret = /Secret:\s+(whsec_\S+)/.exec(added.stdout)?.[1] as string;
    expect(Buffer.from(secret.slice('whsec_'.length), 'base64')).toHaveLength(24);

    const listed = await cli(['webhooks', 'list']);
    expect(listed.stdout).toContain('https://hooks.example.com/in');
    expect(listed.stdout).toContain('license.revoked,deployment.promoted');
    expect(listed.stdout).not.toContain(secret);

    const rotated = await cli(['webhooks', 'rotate', id]);
    const next = /Secret:\s+(whsec_\S+)/.exec(rotated.stdout)?.[1];
    expect(next).toMatch(/^whsec_/);
    expect(next).not.toBe(secret);

    const test = await cli(['webhooks', 'test', id]);
    const eventId = /Queued test event (\S+)/.exec(test.stdout)?.[1] as string;
    const log = await cli(['webhooks', 'deliveries', id]);
    expect(log.stdout).toMatch(new RegExp(`${eventId}\\s+webhook.test\\s+pending\\s+0`));

    expect((await cli(['webhooks', 'remove', id])).code).toBe(0);
    const gone = await cli(['webhooks', 'deliveries', id]);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toContain('(webhook_not_found)');
  });
});
