import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useBrowser } from '../helpers/browser.js';
import { type GatedHarness, startGatedHarness } from '../helpers/gated-lms.js';
import { completeCourse, GOLF_FIXTURES, lmsLog } from '../helpers/golf-course.js';
import { sharedFile } from '../helpers/shared.js';

/**
 * Third-party SCORM content launched through the gated path (stub on the LMS origin, player and course on
 * the content origin) records in the LMS exactly what it records when the LMS hosts it itself.
 */
const b = useBrowser();
let h: GatedHarness;

const FIXTURES = GOLF_FIXTURES;

const zips = Object.fromEntries(FIXTURES.map((f) => [f.name, sharedFile(`fixtures/scorm/${f.name}.zip`)]));

beforeAll(async () => {
  h = await startGatedHarness();
});
afterAll(async () => {
  await h?.close();
});

async function open(url: string): Promise<Page & { errors: string[] }> {
  const page = await b.page();
  page.on('dialog', (d) => void d.accept());
  await page.goto(url);
  return page;
}

let tokens = 0;
function gatedLaunch(f: (typeof FIXTURES)[number], mode: 'contentBase' | 'entry-suffix' | 'root-url') {
  const { contentRoot } = h.deploy(f.name, zips[f.name]!.path!);
  const token = `tok-${++tokens}`;
  const entry = 'shared/launchpage.html';
  // The three ways the stub finds the deployment root (docs/gated-delivery.md), one per fixture.
  if (mode === 'contentBase')
    h.gatekeeper.allow(token, { contentUrl: `${contentRoot}${entry}`, contentBase: contentRoot });
  else if (mode === 'entry-suffix') h.gatekeeper.allow(token, { contentUrl: `${contentRoot}${entry}` });
  else h.gatekeeper.allow(token, { contentUrl: contentRoot });
  return h.gatedPackage(`${f.name}-${tokens}`, { token, standard: f.standard, entry });
}

const MODES = ['entry-suffix', 'contentBase', 'root-url'] as const;

describe('gated golf courses record in the LMS what they record ungated', () => {
  FIXTURES.forEach((f, i) => {
    it.skipIf(!zips[f.name]!.path)(
      `${f.name}: same completion, success, score, suspend data and interactions`,
      async () => {
        const { ungated } = h.deploy(f.name, zips[f.name]!.path!);
        const plain = await open(
          h.lmsPage({ standard: f.standard, seed: f.seed, sco: `${ungated}shared/launchpage.html` }),
        );
        const expected = await completeCourse(plain);

        const gated = await open(
          h.lmsPage({ standard: f.standard, seed: f.seed, sco: gatedLaunch(f, MODES[i] ?? 'contentBase') }),
        );
        const actual = await completeCourse(gated);

        // Not vacuous: the ungated run recorded the quiz (one answer wrong out of 15: 93).
        expect(JSON.stringify(expected)).toMatch(/"raw":"93"/);
        expect(actual).toEqual(expected);
        const log = await lmsLog(gated);
        expect(log.filter((e) => e[0]?.endsWith('Initialize'))).toHaveLength(1);
        expect(log.filter((e) => e[0] === 'LMSFinish' || e[0] === 'Terminate')).toHaveLength(1);
        expect(
          gated
            .frames()
            .some((fr) => fr.url().startsWith(`${h.content}/c/${f.name}/_coursegate/player.html#`)),
        ).toBe(true);
        // The launch body goes as text/plain: the Gatekeeper sees no CORS preflight, only the POST.
        const preflights = h.gatekeeper.requests.filter((r) => r.method === 'OPTIONS');
        expect(preflights.filter((r) => r.url.startsWith('/v1/launch'))).toEqual([]);
        expect(h.gatekeeper.launches().length).toBeGreaterThan(0);
        expect(plain.errors).toEqual([]);
        expect(gated.errors).toEqual([]);
      },
    );
  });
});
