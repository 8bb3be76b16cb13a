import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeDir, tempDir } from '../packager/fixtures.js';
import { runCoursegate } from '../packager/run-cli.js';

const home = tempDir('cg-flags-');
afterAll(() => removeDir(home));

// Nothing listens there: a command that got past its options fails on the network instead.
const env = { HOME: home, COURSEGATE_URL: 'http://127.0.0.1:9', COURSEGATE_API_KEY: 'cg_unused' };
const run = (args: string[], extra: Record<string, string> = {}) =>
  runCoursegate(args, { env: { ...env, ...extra }, isolated: true, cwd: home });
const create = ['licenses', 'create', '--course', 'intro', '--client', 'x'];

// Each case is a fresh `coursegate` process (tsx start-up included).
describe('options the API would refuse by a JSON field name are refused by flag first', {
  timeout: 120_000,
}, () => {
  it.each([
    [['preview', 'dep_x', '--expires', '10s'], '--expires must be at least 60s'],
    [['preview', 'dep_x', '--expires', '31d'], '--expires must be at most 30d'],
    [
      ['preview', 'pvw_x', '--revoke', '--expires', '1h'],
      '--expires and --channel apply to a new link, not to --revoke',
    ],
    [[...create, '--cap', '5', '--cap-period', 'weekly'], '--cap-period must be day, month or total'],
    [
      [...create, '--origin', 'x'],
      '--origin must be an origin like https://lms.example.com (scheme, host, optional port; no path), not "x"',
    ],
    [
      [...create, '--origin', 'https://lms.example.com/course'],
      '--origin must be an origin like https://lms.example.com (scheme, host, optional port; no path), not "https://lms.example.com/course"',
    ],
    [[...create, '--cap-period', 'day'], '--cap-period needs --cap (the number of launches)'],
    [['licenses', 'create', '--course', 'intro', '--client', ' '], '--client must be 1 to 200 characters'],
    [[...create, '--starts', '2030-01-01', '--expires', '2029-01-01'], '--starts must be before --expires'],
    [
      ['logs', 'launches', '--course', 'intro', '--deployment', 'dep_x'],
      'logs launches cannot be filtered by --deployment; it takes --license and --code',
    ],
    [
      ['logs', 'errors', '--course', 'intro', '--license', 'lic_x'],
      'logs errors cannot be filtered by --license; it takes --deployment and --code',
    ],
    [
      ['logs', 'completions', '--course', 'intro', '--license', 'lic_x', '--code', 'ok'],
      'logs completions cannot be filtered by --license and --code; it takes --deployment',
    ],
  ])('%j', async (args, message) => {
    const r = await run(args);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`coursegate: ${message} [invalid_config]\n`);
  });

  it.each([
    [['preview', 'dep_x', '--expires', '60']],
    [[...create, '--cap', '5', '--cap-period', 'day', '--origin', 'https://LMS.example.com:443']],
    [['logs', 'errors', '--course', 'intro', '--deployment', 'dep_x', '--code', 'boom']],
  ])('accepts %j and goes on to the server', async (args) => {
    const r = await run(args);
    expect(r.stderr).toMatch(/^coursegate: Cannot reach http:\/\/127\.0\.0\.1:9: .*\[api_error\]\n$/);
  });
});

describe('command-line mistakes and help', { timeout: 60_000 }, () => {
  it.each([
    [['package', '.'], "required option '-f, --format <format>' not specified"],
    [
      ['package', '.', '-f', 'aicc'],
      "option '-f, --format <format>' argument 'aicc' is invalid. Allowed choices are scorm12, scorm2004, cmi5",
    ],
    [['lisences'], "unknown command 'lisences' (Did you mean licenses?)"],
  ])('reports %j in the one-line form of every failure', async (args, message) => {
    const r = await run(args);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`coursegate: ${message}; see --help [invalid_config]\n`);
  });

  it('states the default SCORM 2004 edition and shows one default for --origin', async () => {
    const pkg = await run(['package', '--help']);
    expect(pkg.stdout.replace(/\s+/g, ' ')).toContain('--edition <n> SCORM 2004 edition (default: 4)');
    const lic = await run(['licenses', 'create', '--help']);
    expect(lic.stdout).toMatch(/--origin <origin> +allowed LMS origin, repeatable \(default: any\)\n/);
  });
});

describe('admin init --save-config', { timeout: 120_000 }, () => {
  const config = join(home, '.config/coursegate/config.json');
  const init = (dataDir: string, ...flags: string[]) =>
    run(['admin', 'init', '--org', 'Acme', '--email', 'a@acme.test', '--data-dir', dataDir, ...flags]);

  it('refuses to overwrite an existing config file before creating anything, unless --force', async () => {
    mkdirSync(join(home, '.config/coursegate'), { recursive: true });
    const theirs = `${JSON.stringify({ url: 'https://other.example', apiKey: 'cg_theirs' })}\n`;
    writeFileSync(config, theirs);
    const dataDir = join(home, 'data');

    const refused = await init(dataDir, '--save-config');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(
      `coursegate: ${config} already exists; add --force to overwrite it, or leave out --save-config [invalid_config]\n`,
    );
    expect(existsSync(dataDir)).toBe(false);
    expect(readFileSync(config, 'utf8')).toBe(theirs);

    const forceAlone = await init(dataDir, '--force');
    expect(forceAlone.stderr).toBe('coursegate: --force applies to --save-config only [invalid_config]\n');
    expect(existsSync(dataDir)).toBe(false);

    const forced = await init(dataDir, '--save-config', '--force', '--url', 'http://gk.test:8787');
    expect(forced.code, forced.stderr).toBe(0);
    expect(JSON.parse(readFileSync(config, 'utf8'))).toMatchObject({ url: 'http://gk.test:8787' });
  });
});
