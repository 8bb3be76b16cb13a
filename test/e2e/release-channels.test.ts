import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useBrowser } from '../helpers/browser.js';
import { useRealGatedBench } from '../helpers/real-gatekeeper.js';

/**
 * Issue 26 in Chromium, through the gated packages: one course, three licenses (on `live`, on `beta`,
 * pinned), each gated SCORM 1.2 package downloaded once and imported into the LMS. Each launch opens its
 * own deployment; after a promotion to `beta` the same packages, not downloaded again, open the new beta
 * deployment for the beta license only.
 */
const b = useBrowser();
const bench = useRealGatedBench();

const page = (version: string) => ({
  'index.html': new TextEncoder().encode(
    `<!doctype html><html lang="en"><title>${version}</title><h1>${version}</h1></html>`,
  ),
});

/** The heading of the course page the gated launch framed from the content origin. */
async function launchedVersion(lmsUrl: string): Promise<string> {
  const p: Page = await b.page();
  await p.goto(lmsUrl);
  const framed = () =>
    p
      .frames()
      .find(
        (f) =>
          f.url().startsWith(`${bench.gk.contentUrl}/courses/`) &&
          new URL(f.url()).pathname.endsWith('/index.html'),
      );
  await expect
    .poll(() => (framed() ? 'found' : p.frames().map((f) => f.url())), { timeout: 30_000 })
    .toBe('found');
  const heading = await framed()!.locator('h1').textContent();
  await p.close();
  return heading ?? '';
}

describe('release channels through gated packages in Chromium', () => {
  it('live, beta and pinned licenses launch three versions; promoting beta moves only the beta license', async () => {
    const { gk, h } = bench;
    const course = await gk.deploy('channels', page('v1'), 'index.html');
    const v1 = (await (await gk.call('GET', `/v1/courses/${course}`)).json()).liveDeploymentId as string;
    const licenses = await Promise.all(['live', 'beta', 'pinned'].map(() => gk.license(course)));
    const [onLive, onBeta, pinned] = [licenses[0]!, licenses[1]!, licenses[2]!];
    await gk.call('POST', `/v1/licenses/${pinned.id}/follow`, { deployment: v1, reason: 'audited v1' });
    const v2 = await gk.redeploy(course, page('v2'), 'index.html');
    await gk.call('POST', `/v1/courses/${course}/channels`, { name: 'beta' });
    await gk.call('POST', `/v1/courses/${course}/promote`, {
      channel: 'beta',
      deployment: v2,
      expectedLive: null,
      reason: 'pilot v2',
    });
    await gk.call('POST', `/v1/licenses/${onBeta.id}/follow`, { channel: 'beta', reason: 'pilot' });
    const v3 = await gk.redeploy(course, page('v3'), 'index.html');
    // Each package once: what a license launches is decided at launch, not in the package.
    const lms: string[] = [];
    for (const [i, l] of licenses.entries()) {
      const folder = h.lmsFiles(`gated/channels-${i}`, await gk.gatedPackage(l.id, 'scorm12'));
      lms.push(h.lmsPage({ standard: 'scorm12', seed: {}, sco: `${folder}index.html` }));
    }
    const versions = async () => {
      const seen: string[] = [];
      for (const url of lms) seen.push(await launchedVersion(url));
      return seen;
    };
    expect(await versions()).toEqual(['v3', 'v2', 'v1']);
    await gk.call('POST', `/v1/courses/${course}/promote`, {
      channel: 'beta',
      deployment: v3,
      expectedLive: v2,
      reason: 'beta gets v3',
    });
    expect(await versions()).toEqual(['v3', 'v3', 'v1']);
    expect(onLive.id).not.toBe(onBeta.id);
  }, 120_000);
});
