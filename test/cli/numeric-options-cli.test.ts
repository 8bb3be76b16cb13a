import { afterAll, describe, expect, it } from 'vitest';
import { makeCourseDir, removeDir, tempDir } from '../packager/fixtures.js';
import { runCoursegate } from '../packager/run-cli.js';

const home = tempDir('cg-numeric-');
const dist = makeCourseDir({ 'index.html': '<!doctype html>' });
afterAll(() => {
  removeDir(home);
  removeDir(dist);
});

// Nothing listens there: a command that got past its arguments fails on the network instead.
const env = { HOME: home, COURSEGATE_URL: 'http://127.0.0.1:9', COURSEGATE_API_KEY: 'cg_unused' };

// Each case is a fresh `coursegate` process (tsx start-up included).
describe('numeric options are checked before any work starts', { timeout: 120_000 }, () => {
  it.each([
    [
      ['deploy', dist, '--course', 'intro', '--concurrency', 'abc'],
      '--concurrency must be a positive integer',
    ],
    [['deploy', dist, '--course', 'intro', '--concurrency', '0'], '--concurrency must be a positive integer'],
    [['deploy', dist, '--course', 'intro', '--concurrency=-3'], '--concurrency must be a positive integer'],
    [
      ['deploy', dist, '--course', 'intro', '--concurrency', '2.5'],
      '--concurrency must be a positive integer',
    ],
    [['deploy', dist, '--course', 'intro', '--retry-for', '0'], '--retry-for must be a positive integer'],
    [
      ['licenses', 'create', '--course', 'intro', '--client', 'x', '--cap', 'abc'],
      '--cap must be a positive integer up to 1000000000',
    ],
    [
      ['licenses', 'create', '--course', 'intro', '--client', 'x', '--cap', '0'],
      '--cap must be a positive integer up to 1000000000',
    ],
    [['logs', 'launches', '--course', 'intro', '--limit', 'abc'], '--limit must be a positive integer'],
    [['logs', 'errors', '--course', 'intro', '--limit', '0'], '--limit must be a positive integer'],
    [
      ['admin', 'purge', '--data-dir', home, '--days', '1e3'],
      '--days must be a positive integer up to 36500',
    ],
  ])('%j', async (args, message) => {
    const r = await runCoursegate(args, { env, isolated: true, cwd: home });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`coursegate: ${message} [invalid_config]\n`);
  });

  it.each([
    [['deploy', dist, '--course', 'intro', '--concurrency', '2']],
    [['deploy', dist, '--course', 'intro', '--retry-for', '5']],
    [['licenses', 'create', '--course', 'intro', '--client', 'x', '--cap', '10']],
    [['logs', 'launches', '--course', 'intro', '--limit', '5']],
  ])('accepts %j and goes on to the server', async (args) => {
    const r = await runCoursegate(args, { env, isolated: true, cwd: home });
    expect(r.stderr).toMatch(/^coursegate: Cannot reach http:\/\/127\.0\.0\.1:9: .*\[api_error\]\n$/);
  });
});
