import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LAUNCH_ERROR_CODES, type LaunchErrorCode } from '../../protocol/errors.js';
import { useBrowser } from '../helpers/browser.js';
import { type GatedHarness, startGatedHarness } from '../helpers/gated-lms.js';
import { courseFrame, lmsLog } from '../helpers/golf-course.js';
import { sharedFile } from '../helpers/shared.js';

/**
 * A refused launch shows the learner why, in plain words, and leaves the LMS untouched: the stub asks the
 * Gatekeeper before it even looks for the LMS API.
 */
const b = useBrowser();
let h: GatedHarness;
const golf = sharedFile('fixtures/scorm/golf-scorm12-basic-runtime.zip');

beforeAll(async () => {
  h = await startGatedHarness();
});
afterAll(async () => {
  await h?.close();
});

const WORDS: Record<LaunchErrorCode, RegExp> = {
  token_invalid: /not valid/,
  signing_key_retired: /out of date/,
  license_revoked: /revoked/,
  license_expired: /expired/,
  license_not_started: /not started/,
  origin_not_allowed: /not licensed for use on this site/,
  launch_limit_reached: /cap reached/,
  course_not_live: /not live/,
  rate_limited: /rate limited/,
};

const SEED = { 'cmi.core.student_id': 'learner-3', 'cmi.core.student_name': 'Learner, Three' };

describe('refused launches', () => {
  for (const code of LAUNCH_ERROR_CODES) {
    it(`${code}: a focused alert says why and the LMS is never initialized`, async () => {
      const sco = h.gatedPackage(`deny-${code}`, { token: `deny:${code}`, standard: 'scorm12' });
      const page = await b.page();
      await page.goto(h.lmsPage({ standard: 'scorm12', seed: SEED, sco }));
      const stub = page.frameLocator('#sco');
      const alert = stub.getByRole('alert');
      await alert.waitFor();
      expect(await alert.textContent()).toMatch(WORDS[code]);
      const frame = page.frames().find((f) => f.url().includes(`/pkg/deny-${code}/`))!;
      expect(await frame.evaluate(() => document.activeElement?.tagName)).toBe('H1');
      expect(await stub.getByRole('button', { name: 'Try again' }).count()).toBe(
        code === 'rate_limited' ? 1 : 0,
      );
      expect(await lmsLog(page)).toEqual([]);
      expect(page.errors).toEqual([]);
    });
  }

  it.skipIf(!golf.path)(
    'network failure: a retry button that launches once the Gatekeeper is back',
    async () => {
      const { contentRoot } = h.deploy('golf-scorm12-basic-runtime', golf.path!);
      h.gatekeeper.allow('retry-token', { contentUrl: `${contentRoot}shared/launchpage.html` });
      const sco = h.gatedPackage('retry', {
        token: 'retry-token',
        standard: 'scorm12',
        entry: 'shared/launchpage.html',
      });
      h.gatekeeper.state.down = true;
      const page = await b.page();
      try {
        await page.goto(h.lmsPage({ standard: 'scorm12', seed: SEED, sco }));
        const stub = page.frameLocator('#sco');
        await stub.getByRole('alert').waitFor();
        expect(await stub.getByRole('alert').textContent()).toMatch(/did not answer/);
        expect(await lmsLog(page)).toEqual([]);
      } finally {
        h.gatekeeper.state.down = false;
      }
      await page.frameLocator('#sco').getByRole('button', { name: 'Try again' }).click();
      await courseFrame(page);
      const log = await lmsLog(page);
      expect(log[0]).toEqual(['LMSInitialize', '']);
      expect(log.filter((e) => e[0] === 'LMSInitialize')).toHaveLength(1);
    },
  );
});
