import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractPackage } from '../../packager/index.js';
import { type CliGatekeeper, cliGatekeeper } from '../helpers/cli-gatekeeper.js';
import { makeCourseDir } from '../packager/fixtures.js';
import { adminInitArgs, runCoursegate } from '../packager/run-cli.js';

/** The owner's whole flow on the command line: issue a key, build a portable package with it, revoke it. */
describe('coursegate courses ingest-keys and package --ingest-key', { timeout: 60_000 }, () => {
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

  it('creates, lists and revokes a key; the package carries it; a revoked key is refused', async () => {
    const init = await cli(adminInitArgs({ dataDir: gk.dataDir, url: gk.url, email: 'o@acme.test' }));
    expect(init.code, init.stderr).toBe(0);
    expect((await cli(['courses', 'create', 'intro'])).code).toBe(0);

    const created = await cli(['courses', 'ingest-keys', 'create', 'intro', '--name', 'client x']);
    expect(created.code, created.stderr).toBe(0);
    const key = /Ingest key:\s+(cgi_\S+)/.exec(created.stdout)?.[1] as string;
    const id = /Key id:\s+(\S+)/.exec(created.stdout)?.[1] as string;
    expect(key).toMatch(/^cgi_/);

    const listed = await cli(['courses', 'ingest-keys', 'list', 'intro']);
    expect(listed.stdout).toContain(id);
    expect(listed.stdout).toContain('client x');
    expect(listed.stdout).not.toContain(key);

    const src = makeCourseDir({
      'index.html': '<!doctype html><head><title>c</title></head>',
      'coursegate.json': JSON.stringify({
        id: 'intro',
        title: 'Intro',
        version: '1.0.0',
        entry: 'index.html',
      }),
    });
    const zip = join(home, 'intro.zip');
    const half = await cli(['package', src, '--format', 'scorm12', '-o', zip, '--ingest-key', key]);
    expect(half.code).not.toBe(0);
    expect(half.stderr).toContain('[invalid_config]');
    const built = await cli([
      'package',
      src,
      '--format',
      'scorm12',
      '-o',
      zip,
      '--telemetry-endpoint',
      gk.url,
      '--ingest-key',
      key,
    ]);
    expect(built.code, built.stderr).toBe(0);
    rmSync(src, { recursive: true, force: true });
    await extractPackage(zip, join(home, 'out'));
    expect(readFileSync(join(home, 'out/index.html'), 'utf8')).toContain(
      `"endpoint":"${gk.url}","ingestKey":"${key}","course":"intro"`,
    );

    const send = () => {
      const session = crypto.randomUUID();
      return gk.fetch(`${gk.url}/v1/errors`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}.${session}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          errors: [
            {
              id: crypto.randomUUID(),
              fingerprint: 'f',
              kind: 'error',
              message: 'boom',
              count: 1,
              firstAt: new Date().toISOString(),
              lastAt: new Date().toISOString(),
              course: 'intro',
              breadcrumbs: [],
            },
          ],
        }),
      });
    };
    expect((await send()).status).toBe(200);
    const revoked = await cli(['courses', 'ingest-keys', 'revoke', 'intro', id]);
    expect(revoked.code, revoked.stderr).toBe(0);
    const refused = await send();
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('ingest_key_revoked');
    expect((await cli(['courses', 'ingest-keys', 'list', 'intro'])).stdout).toMatch(/20\d\d-\S+Z\s*$/m);
  });
});
