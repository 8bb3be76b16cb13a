import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useBrowser } from '../helpers/browser.js';
import { type Cmi5Lms, startCmi5Lms } from '../helpers/cmi5-lms/index.js';
import { checkCmi5Rules } from '../helpers/cmi5-rules.js';
import { serveOrigins } from '../helpers/serve.js';
import { sharedFile } from '../helpers/shared.js';

/**
 * The test LMS and the §9 checker with an AU written elsewhere: ADL's CATAPULT single-AU course
 * (their cmi5.js library), unzipped to a temporary folder and launched in Chromium. It proves the LMS
 * speaks cmi5 as third-party AUs expect, and the checker works on any AU's statements.
 */
const fixture = sharedFile('fixtures/cmi5/catapult-single-au-basic-responsive.zip');
const b = useBrowser();
let lms: Cmi5Lms;
let au: Awaited<ReturnType<typeof serveOrigins>>;
let dir = '';

beforeAll(async () => {
  if (!fixture.path) return;
  dir = mkdtempSync(join(tmpdir(), 'cg-catapult-'));
  for (const [name, bytes] of Object.entries(unzipSync(readFileSync(fixture.path)))) {
    if (name.endsWith('/')) continue;
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), bytes);
  }
  lms = await startCmi5Lms();
  au = await serveOrigins([{ host: 'localhost', dir }]);
});
afterAll(async () => {
  await au?.close();
  await lms?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!fixture.path)('third-party cmi5 AU (CATAPULT) against the test LMS', () => {
  it('passes the quiz, terminates, returns to the LMS, and its statements pass the §9 checker', async () => {
    const page = await b.page();
    const launch = lms.launch(`${au.origins[0]}/index.html`, {
      publisherId:
        'https://w3id.org/xapi/cmi5/catapult/lts/course/geology-intro-single-au-basic-responsive/1',
    });
    await page.goto(launch.url);
    // The AU's `course` is a top-level `let`: a global binding, not a window property, so reach it by name.
    await page.waitForFunction('typeof course !== "undefined"');
    await expect
      .poll(() => lms.auStatements(launch.registration).map((s) => s.verb.id.split('/').pop()), {
        timeout: 15_000,
      })
      .toContain('initialized');
    await page.evaluate(
      'course.gotoPage(course.pageList.length - 1); course.autopass(); course.submitAnswers();',
    );
    await expect
      .poll(() => lms.auStatements(launch.registration).map((s) => s.verb.id.split('/').pop()), {
        timeout: 15_000,
      })
      .toContain('completed');
    await page.evaluate('course.exit()');
    await page.waitForURL(launch.returnURL as string);

    const statements = lms.auStatements(launch.registration);
    const verbs = statements.map((s) => s.verb.id.split('/').pop());
    expect(verbs).toEqual(
      expect.arrayContaining(['initialized', 'answered', 'passed', 'completed', 'terminated']),
    );
    expect(lms.fetchCalls(launch)).toBe(1);
    expect(checkCmi5Rules(statements, lms.launchesOf(launch.registration))).toEqual([]);
  });
});
