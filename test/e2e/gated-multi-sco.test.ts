import { readFileSync } from 'node:fs';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useBrowser } from '../helpers/browser.js';
import { type GatedHarness, startGatedHarness } from '../helpers/gated-lms.js';
import { lmsLog, lmsRecord, lmsTerminated } from '../helpers/golf-course.js';
import { sharedFile } from '../helpers/shared.js';

/**
 * A multi-SCO package gated item by item: each item's launch page names its SCO's entry in the stub
 * config, one license token serves them all, and each SCO records in the LMS. These SCOs are single
 * HTML pages with no SCORM calls of their own, so the stub records each launch as completed when the
 * LMS closes it, as an LMS does for such content.
 */
const b = useBrowser();
let h: GatedHarness;
const zip = sharedFile('fixtures/scorm/golf-scorm2004v3-multi-sco.zip');

/** Items with their resource's href and the item's parameters, in organization order. */
function scos(path: string): Array<{ id: string; entry: string }> {
  const xml = strFromU8(
    unzipSync(readFileSync(path), { filter: (f) => f.name === 'imsmanifest.xml' })['imsmanifest.xml']!,
  );
  const hrefs = new Map(
    [...xml.matchAll(/<resource\s[^>]*identifier="([^"]+)"[^>]*href="([^"]+)"/g)].map((m) => [m[1]!, m[2]!]),
  );
  return [
    ...xml.matchAll(
      /<item\s[^>]*identifier="([^"]+)"[^>]*identifierref="([^"]+)"(?:[^>]*parameters="([^"]*)")?/g,
    ),
  ].map((m) => ({
    id: m[1]!,
    entry: `${hrefs.get(m[2]!)}${m[3] ?? ''}`,
  }));
}

const items = zip.path ? scos(zip.path) : [];
let contentRoot = '';

beforeAll(async () => {
  h = await startGatedHarness();
  if (zip.path) {
    contentRoot = h.deploy('golf-scorm2004v3-multi-sco', zip.path).contentRoot;
    // One license for the course; the Gatekeeper answers with the course's first entry and the deployment root.
    h.gatekeeper.allow('multi-token', {
      contentUrl: `${contentRoot}${items[0]!.entry}`,
      contentBase: contentRoot,
    });
  }
});
afterAll(async () => {
  await h?.close();
});

describe('golf-scorm2004v3-multi-sco gated', () => {
  it.skipIf(!zip.path)('the manifest has many SCOs, some with launch parameters', () => {
    expect(items.length).toBeGreaterThanOrEqual(10);
    expect(items.some((i) => i.entry.includes('?questions='))).toBe(true);
  });

  for (const item of items) {
    it(`${item.id} (${item.entry}) launches gated and records in the LMS`, async () => {
      const sco = h.gatedPackage('multi', {
        token: 'multi-token',
        standard: 'scorm2004',
        entry: item.entry,
        file: `${item.id}.html`,
      });
      const page = await b.page();
      await page.goto(h.lmsPage({ standard: 'scorm2004', seed: { 'cmi.learner_id': 'learner-5' }, sco }));
      // The entry carries the session in its fragment, for a course runtime's telemetry.
      const want = `${contentRoot}${item.entry}#cg-session=`;
      const deadline = Date.now() + 20_000;
      while (!page.frames().some((f) => f.url().startsWith(want))) {
        if (Date.now() > deadline) throw new Error(`${want} never loaded`);
        await page.waitForTimeout(100);
      }
      const course = page.frames().find((f) => f.url().startsWith(want))!;
      await course.waitForLoadState('load');
      // The SCO is served by the player inside the stub, from the content origin.
      expect(course.parentFrame()?.url()).toMatch(new RegExp(`^${contentRoot}_coursegate/player\\.html#`));

      // The stub has heard that the page loaded.
      const stub = course.parentFrame()!.parentFrame()!;
      await expect.poll(() => stub.evaluate(() => document.body.dataset.cgContent)).toBe('loaded');

      // The LMS closes the SCO (the learner picks another item).
      await page.evaluate(() => document.getElementById('sco')!.remove());
      await lmsTerminated(page);
      // These pages never call the API: the stub writes nothing of its own (issue 19), so the record is
      // what scorm-again makes of an Initialize / Terminate pair with no writes: still "unknown".
      const record = (await lmsRecord(page)).cmi as Record<string, unknown>;
      expect(record.completion_status).toBe('unknown');
      const log = await lmsLog(page);
      // The stub reads the snapshot and the outcome back (GetValue); it writes nothing.
      const writes = log.filter((e) => e[0] !== 'GetValue');
      expect(writes.map((e) => e[0])).toEqual(['Initialize', 'Commit', 'Terminate']);
      expect(page.errors).toEqual([]);
    });
  }
});
