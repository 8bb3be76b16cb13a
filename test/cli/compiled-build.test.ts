import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { withBuildLock } from '../helpers/build-lock.js';
import { ROOT } from '../helpers/paths.js';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'cg-compiled-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * The published CLI and Gatekeeper run their packages' compiled bundles (`npm run build:packages` writes
 * packager/dist and gatekeeper/dist): the CLI's operator commands must reach the Gatekeeper package, and
 * the server must open a database (SQL migrations beside the bundle) and find its browser assets.
 */
describe('the compiled packages (npm run build:packages)', () => {
  it(
    'bundle, and their CLI and startServer create and serve a Gatekeeper',
    {
      timeout: 600_000,
    },
    () =>
      // Nobody packs (rewriting the same dist/ folders) while this builds and runs them.
      withBuildLock(async () => {
        // Declarations are what `npm pack` adds (test/cli/packages.test.ts); the code is what runs.
        await run('npm', ['run', 'build:packages', '--', '--no-types'], { cwd: ROOT });
        // The server is the server alone: npm start's demo and the build scripts stay out of it.
        for (const built of ['packager/dist', 'gatekeeper/dist']) {
          const names = readdirSync(join(ROOT, built));
          expect(names.filter((n) => /examples|scripts|demo/.test(n))).toEqual([]);
        }
        expect(existsSync(join(ROOT, 'gatekeeper/dist/migrations'))).toBe(true);
        const dataDir = join(dir, 'data');
        const init = await run(
          process.execPath,
          [
            join(ROOT, 'packager/dist/cli.js'),
            'admin',
            'init',
            '--org',
            'Acme',
            '--email',
            'owner@acme.test',
            '--data-dir',
            dataDir,
          ],
          { cwd: dir, env: { PATH: process.env.PATH ?? '', HOME: dir } },
        );
        expect(init.stdout).toMatch(/cg_[A-Za-z0-9_-]{20,}/);
        const serve = `
      const { startServer, loadConfig } = await import(${JSON.stringify(join(ROOT, 'gatekeeper/dist/index.js'))});
      const config = loadConfig();
      const running = await startServer(config);
      const res = await fetch(running.listenUrl + '/healthz');
      console.log(res.status, JSON.stringify(await res.json()));
      console.log(config.assetsDir);
      await running.close();`;
        const served = await run(process.execPath, ['--input-type=module', '-e', serve], {
          cwd: dir,
          env: {
            PATH: process.env.PATH ?? '',
            HOME: dir,
            COURSEGATE_DATA_DIR: dataDir,
            COURSEGATE_PORT: '0',
            COURSEGATE_CONTENT_PORT: '0',
            COURSEGATE_LOG: 'off',
          },
        });
        const [health, assets] = served.stdout.trim().split('\n');
        expect(health).toMatch(/^200 \{"ok":true/);
        // The package's own copy of the player, stub and cmi5 launch page, not the checkout's dist/.
        expect(assets).toBe(join(ROOT, 'gatekeeper/dist/assets'));
      }),
  );
});
