import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLAYER_FRAME_ID } from '../../protocol/launch-page.js';
import { useBrowser } from '../helpers/browser.js';
import { type GatedHarness, startGatedHarness } from '../helpers/gated-lms.js';
import { completeCourse, courseFrame, GOLF_FIXTURES, lmsLog } from '../helpers/golf-course.js';
import { sharedFile } from '../helpers/shared.js';

/**
 * A gated launch page holds the player in a hidden frame (docs/gated-delivery.md, "Launch overhead"): the
 * content origin's process, the player and its scorm-again load while the Gatekeeper decides, yet nothing
 * of the course is asked for before an allowed launch, a refusal leaves no frame behind, and the course
 * records in the LMS what it records ungated.
 */
const b = useBrowser();
let h: GatedHarness;
const golf = GOLF_FIXTURES.find((f) => f.name === 'golf-scorm12-basic-runtime')!;
const zip = sharedFile(`fixtures/scorm/${golf.name}.zip`);
const ENTRY = 'shared/launchpage.html';

/** A page that accepts the golf course's exit dialog, then at `url` once given one. */
async function open(url?: string): Promise<Page & { errors: string[] }> {
  const page = await b.page();
  page.on('dialog', (d) => void d.accept());
  if (url) await page.goto(url, { waitUntil: 'commit' });
  return page;
}

beforeAll(async () => {
  h = await startGatedHarness();
});
afterAll(async () => {
  await h?.close();
});

/**
 * Deploys golf as `name` and writes its gated launch page with the early frame on that deployment's
 * player; `token` launches it (allowed unless it is a `deny:` one). Returns the LMS page and the root.
 */
function earlyLaunch(name: string, token = name) {
  const { contentRoot } = h.deploy(name, zip.path!);
  h.gatekeeper.allow(token, { contentUrl: `${contentRoot}${ENTRY}`, contentBase: contentRoot });
  const player = `${contentRoot}_coursegate/player.html`;
  const sco = h.gatedPackage(name, { token, standard: 'scorm12', entry: ENTRY, player });
  return { url: h.lmsPage({ standard: 'scorm12', seed: golf.seed, sco }), contentRoot };
}

/** Content-origin requests for anything but the player: the course's own files. */
const courseRequests = () => h.contentRequests.filter((r) => !r.url.includes('/_coursegate/'));

describe('the launch page starts the player before the launch is allowed', () => {
  it.skipIf(!zip.path)(
    'while the answer is held the player and scorm-again load, nothing of the course; then the course records as ungated',
    async () => {
      const { ungated } = h.deploy(golf.name, zip.path!);
      const expected = await completeCourse(
        await open(h.lmsPage({ standard: golf.standard, seed: golf.seed, sco: `${ungated}${ENTRY}` })),
      );
      const { url } = earlyLaunch('early-live');
      let release = () => {};
      h.gatekeeper.state.held = new Promise<void>((r) => {
        release = r;
      });
      h.contentRequests.length = 0;
      const page = await open();
      try {
        const asked = page.waitForRequest((r) => r.url().endsWith('/_coursegate/scorm12.min.js'));
        const posted = page.waitForRequest((r) => r.url().endsWith('/v1/launch'));
        await page.goto(url, { waitUntil: 'commit' });
        await Promise.all([asked, posted]);
        expect(courseRequests()).toEqual([]);
        expect(await page.frameLocator('#sco').locator(`#${PLAYER_FRAME_ID}`).isHidden()).toBe(true);
        expect(await lmsLog(page)).toEqual([]);
      } finally {
        h.gatekeeper.state.held = undefined;
        release();
      }
      const actual = await completeCourse(page);
      expect(JSON.stringify(expected)).toMatch(/"raw":"93"/);
      expect(actual).toEqual(expected);
      // The launch reached the frame as a new fragment: the player page was asked for once, never reloaded.
      expect(h.contentRequests.filter((r) => r.url.includes('/_coursegate/player.html'))).toHaveLength(1);
      expect(page.errors).toEqual([]);
    },
  );

  it.skipIf(!zip.path)(
    'an answer that comes before the player page does: the frame still gets the launch',
    async () => {
      const { url, contentRoot } = earlyLaunch('early-slow');
      let release = () => {};
      h.contentHold.held = new Promise<void>((r) => {
        release = r;
      });
      const page = await open();
      try {
        await page.goto(url, { waitUntil: 'commit' });
        // The stub has the answer and shows the frame while its first page is still on its way.
        await page.frameLocator('#sco').locator(`#${PLAYER_FRAME_ID}`).waitFor({ state: 'visible' });
      } finally {
        h.contentHold.held = undefined;
        release();
      }
      const course = await courseFrame(page);
      expect(course.url().startsWith(`${contentRoot}${ENTRY}`)).toBe(true);
    },
  );

  it.skipIf(!zip.path)(
    'a refused launch removes the frame and asks the content origin for nothing of the course',
    async () => {
      const { url } = earlyLaunch('early-refused', 'deny:license_revoked');
      h.contentRequests.length = 0;
      const page = await open(url);
      const stub = page.frameLocator('#sco');
      await stub.getByRole('alert').waitFor();
      expect(await stub.locator(`#${PLAYER_FRAME_ID}`).count()).toBe(0);
      expect(page.frames().some((f) => f.url().includes('/_coursegate/'))).toBe(false);
      expect(courseRequests()).toEqual([]);
      expect(await lmsLog(page)).toEqual([]);
    },
  );

  it.skipIf(!zip.path)(
    'when another deployment went live since the package was written, the frame opens that one',
    async () => {
      const old = h.deploy('early-old', zip.path!);
      const live = h.deploy('early-new', zip.path!);
      h.gatekeeper.allow('early-moved', {
        contentUrl: `${live.contentRoot}${ENTRY}`,
        contentBase: live.contentRoot,
      });
      const sco = h.gatedPackage('early-moved', {
        token: 'early-moved',
        standard: 'scorm12',
        entry: ENTRY,
        player: `${old.contentRoot}_coursegate/player.html`,
      });
      const page = await open(h.lmsPage({ standard: 'scorm12', seed: golf.seed, sco }));
      const course = await courseFrame(page);
      expect(course.url().startsWith(`${live.contentRoot}${ENTRY}`)).toBe(true);
      expect((await lmsLog(page)).filter((e) => e[0] === 'LMSInitialize')).toHaveLength(1);
    },
  );
});
