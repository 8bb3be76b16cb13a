import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/paths.js';
import { runCoursegate } from '../packager/run-cli.js';

const run = promisify(execFile);
const home = mkdtempSync(join(tmpdir(), 'cg-bin-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));

// The other CLI tests run `runCli` in-process; these start `bin/coursegate.js` itself, as a user does, for
// what only the binary does: its exit code, and which streams it writes to.
const spawned = (args: string[]) => runCoursegate(args, { env: { HOME: home }, isolated: true, spawn: true });

describe('the coursegate binary', () => {
  it('prints the package version and exits 0', async () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    const r = await spawned(['--version']);
    expect(r).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  });

  it('ends a mistake as one line on stderr with its code, and exit code 1', async () => {
    const typo = await spawned(['lisences']);
    expect(typo.code).toBe(1);
    expect(typo.stdout).toBe('');
    expect(typo.stderr).toBe(
      "coursegate: unknown command 'lisences' (Did you mean licenses?); see --help [invalid_config]\n",
    );
    const unconfigured = await spawned(['courses', 'list']);
    expect(unconfigured.code).toBe(1);
    expect(unconfigured.stderr).toMatch(
      /^coursegate: Set COURSEGATE_URL and COURSEGATE_API_KEY.*\[not_configured\]\n$/,
    );
  });

  it('ends quietly with exit code 0 when its reader closes the pipe early (`| head`)', async () => {
    const child = spawn(process.execPath, [join(ROOT, 'bin/coursegate.js'), '--help'], {
      env: { ...process.env, HOME: home },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // Closed before the CLI has started (tsx takes a while), so its first write meets a closed pipe.
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d;
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
  });

  it('loads no SQLite (nor any Gatekeeper module) unless an admin command runs', async () => {
    const probe = `
      import { createRequire } from 'node:module';
      const { runCli } = await import('./packager/cli.ts');
      const loaded = () => Object.keys(createRequire(import.meta.url).cache).some((m) => m.includes('better-sqlite3'));
      await runCli(['--version']);
      const before = loaded();
      await runCli(['admin', 'purge', '--data-dir', ${JSON.stringify(join(home, 'none'))}]);
      console.log(JSON.stringify({ before, after: loaded() }));`;
    const { stdout } = await run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', probe], {
      cwd: ROOT,
    });
    // The admin command (refused: no database there) is what loads it, through the Gatekeeper's admin module.
    expect(JSON.parse(stdout.trim().split('\n').at(-1)!)).toEqual({ before: false, after: true });
  });
});
