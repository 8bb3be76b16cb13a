import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/paths.js';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'cg-compiled-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * A published package runs the compiled output under dist/node (bin/coursegate.js falls back to it):
 * `npm run build:node` must compile, and what it writes must open a database, which needs the SQL
 * migrations beside the compiled code.
 */
describe('the compiled Node build (npm run build:node)', () => {
  it('compiles, and its CLI and startServer create and serve a Gatekeeper', {
    timeout: 600_000,
  }, async () => {
    await run('npm', ['run', 'build:node'], { cwd: ROOT });
    // The compiled server is the server alone: npm start's demo and the build scripts stay out of it.
    const compiled = readdirSync(join(ROOT, 'dist/node'));
    expect(compiled).not.toContain('examples');
    expect(compiled).not.toContain('scripts');
    expect(compiled).not.toContain('demo');
    expect(existsSync(join(ROOT, 'dist/node/gatekeeper/demo'))).toBe(false);
    const dataDir = join(dir, 'data');
    const init = await run(
      process.execPath,
      [
        join(ROOT, 'dist/node/packager/main.js'),
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
      const { startServer, loadConfig } = await import(${JSON.stringify(join(ROOT, 'dist/node/gatekeeper/index.js'))});
      const running = await startServer(loadConfig());
      const res = await fetch(running.listenUrl + '/healthz');
      console.log(res.status, JSON.stringify(await res.json()));
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
    expect(served.stdout).toMatch(/^200 \{"ok":true/);
  });
});
