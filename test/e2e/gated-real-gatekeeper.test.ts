import { strFromU8 } from 'fflate';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BridgeStandard } from '../../protocol/bridge.js';
import { useBrowser } from '../helpers/browser.js';
import { type GatedHarness, startGatedHarness } from '../helpers/gated-lms.js';
import { completeCourse, courseFrame, GOLF_FIXTURES, lmsLog, lmsRecord } from '../helpers/golf-course.js';
import { manifestLaunchPaths } from '../helpers/manifest-launch-paths.js';
import { type RealGatekeeper, realGatekeeper } from '../helpers/real-gatekeeper.js';
import { sharedFile } from '../helpers/shared.js';

/**
 * The gated SCORM path against the real Gatekeeper: courses deployed into its storage, licensed through
 * its API, launched from the gated zip `GET /v1/licenses/:id/package` returns, unzipped on the LMS origin
 * (127.0.0.1). The API (localhost) and the content (127.0.0.2) are two more origins.
 */
const b = useBrowser();
let h: GatedHarness;
let gk: RealGatekeeper;

const FIXTURES = GOLF_FIXTURES;
const zips = Object.fromEntries(FIXTURES.map((f) => [f.name, sharedFile(`fixtures/scorm/${f.name}.zip`)]));
const multi = sharedFile('fixtures/scorm/golf-scorm2004v3-multi-sco.zip');

beforeAll(async () => {
  gk = realGatekeeper();
  h = await startGatedHarness({ gatekeeper: gk.handler });
  await gk.start(h.gate);
});
afterAll(async () => {
  await h?.close();
  await gk?.close();
});

async function open(url: string): Promise<Page & { errors: string[] }> {
  const page = await b.page();
  page.on('dialog', (d) => void d.accept());
  await page.goto(url);
  return page;
}

/** Deploys, licenses and imports the gated package into the LMS; returns the license and the package folder. */
async function gatedCourse(name: string, zip: string, standard: BridgeStandard, entry: string) {
  const courseId = await gk.deploy(name, zip, entry);
  const license = await gk.license(courseId);
  const files = await gk.gatedPackage(license.id, standard);
  return { license, folder: h.lmsFiles(`gated/${name}`, files), files };
}

function flatten(value: unknown, prefix = 'cmi'): Record<string, string> {
  if (typeof value !== 'object' || value === null) return value === '' ? {} : { [prefix]: String(value) };
  return Object.assign(
    {},
    ...Object.entries(value)
      .filter(([k]) => k !== 'session_time' && k !== 'total_time')
      .map(([k, v]) => flatten(v, `${prefix}.${k}`)),
  );
}

describe('gated golf courses through the real Gatekeeper', () => {
  for (const f of FIXTURES) {
    it.skipIf(!zips[f.name]!.path)(
      `${f.name}: the LMS records what it records ungated; a relaunch resumes`,
      async () => {
        const zip = zips[f.name]!.path!;
        const { ungated } = h.deploy(f.name, zip);
        const expected = await completeCourse(
          await open(
            h.lmsPage({ standard: f.standard, seed: f.seed, sco: `${ungated}shared/launchpage.html` }),
          ),
        );
        const { folder } = await gatedCourse(f.name, zip, f.standard, 'shared/launchpage.html');
        // The stub page sits where the manifest launches the course.
        const sco = `${folder}shared/launchpage.html`;
        const gated = await open(h.lmsPage({ standard: f.standard, seed: f.seed, sco }));
        const actual = await completeCourse(gated);
        expect(JSON.stringify(expected)).toMatch(/"raw":"93"/);
        expect(actual).toEqual(expected);
        expect(gated.frames().some((fr) => fr.url().startsWith(`${gk.contentUrl}/courses/`))).toBe(true);
        expect(gated.errors).toEqual([]);

        // Relaunch with what the LMS kept: the course opens on its bookmark with its suspend data.
        const kept = flatten((actual as { cmi: unknown }).cmi);
        const locationKey = f.standard === 'scorm12' ? 'cmi.core.lesson_location' : 'cmi.location';
        const entryKey = f.standard === 'scorm12' ? 'cmi.core.entry' : 'cmi.entry';
        const second = await open(
          h.lmsPage({ standard: f.standard, seed: { ...f.seed, ...kept, [entryKey]: 'resume' }, sco }),
        );
        const course = await courseFrame(second);
        expect(
          String(await course.evaluate(() => (window as unknown as { currentPage: number }).currentPage)),
        ).toBe(kept[locationKey]);
        expect(second.errors).toEqual([]);
      },
    );
  }

  it.skipIf(!multi.path)(
    'golf-scorm2004v3-multi-sco: every item of the gated package launches its asset, without an LMS session',
    async () => {
      const { folder, files } = await gatedCourse(
        'multi',
        multi.path!,
        'scorm2004',
        'shared/launchpage.html',
      );
      // A stub page at every path the (unchanged) manifest launches.
      const pages = [...manifestLaunchPaths(strFromU8(files['imsmanifest.xml']!)).keys()];
      expect(pages.length).toBeGreaterThanOrEqual(10);
      for (const p of pages) expect(files[p], p).toBeDefined();
      for (const p of pages) {
        const page = await open(
          h.lmsPage({ standard: 'scorm2004', seed: { 'cmi.learner_id': 'l-5' }, sco: `${folder}${p}` }),
        );
        // Every resource of this course is an asset (adlcp:scormType="asset"): after the license check the
        // stub frames the page itself from the content origin, with no player and no LMS session.
        const stub = () => page.frames().find((fr) => fr.url().includes(`${folder}${p}`));
        await expect
          .poll(() => stub()?.childFrames()[0]?.url() ?? '', { timeout: 20_000 })
          .toMatch(new RegExp(`^${gk.contentUrl}/.*/${p.replace(/[.?]/g, '\\$&')}$`));
        await stub()!.childFrames()[0]!.waitForLoadState('load');
        expect(page.frames().some((fr) => fr.url().includes('/_coursegate/player.html'))).toBe(false);
        await page.evaluate(() => document.getElementById('sco')!.remove());
        // The LMS API was never called: the record is the one the LMS started with, as after a direct launch.
        expect(await lmsLog(page), p).toEqual([]);
        expect(((await lmsRecord(page)).cmi as Record<string, unknown>).completion_status, p).toBe('unknown');
        expect(page.errors).toEqual([]);
        await page.close();
      }
    },
    // 18 launches, each a page, a launch request and the content page.
    180_000,
  );

  it.skipIf(!zips['golf-scorm12-basic-runtime']!.path)(
    'revocation: a launch works, the license is revoked, the relaunch shows why and never initializes',
    async () => {
      const f = FIXTURES[0]!;
      const { license, folder } = await gatedCourse(
        'revoked',
        zips[f.name]!.path!,
        f.standard,
        'shared/launchpage.html',
      );
      const sco = `${folder}shared/launchpage.html`;
      const first = await open(h.lmsPage({ standard: f.standard, seed: f.seed, sco }));
      await courseFrame(first);
      expect((await lmsLog(first)).filter((e) => e[0] === 'LMSInitialize')).toHaveLength(1);

      await gk.revoke(license.id);
      const again = await open(h.lmsPage({ standard: f.standard, seed: f.seed, sco }));
      const alert = again.frameLocator('#sco').getByRole('alert');
      await alert.waitFor();
      expect(await alert.textContent()).toMatch(/revoked/i);
      expect((await lmsLog(again)).filter((e) => e[0] === 'LMSInitialize')).toEqual([]);
    },
  );
});
