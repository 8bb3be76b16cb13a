import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BridgeStandard } from '../../protocol/bridge.js';
import { useBrowser } from '../helpers/browser.js';
import type { RecordedRequest } from '../helpers/fake-launch.js';
import { type GatedHarness, startGatedHarness } from '../helpers/gated-lms.js';
import { courseFrame, exitCourse, lmsTerminated, takeQuiz } from '../helpers/golf-course.js';
import { sharedFile } from '../helpers/shared.js';

/**
 * The learner's name and id live in the LMS and reach the course through the bridge only: no request to the
 * Gatekeeper or to the content origin carries them, in its URL, headers or body, even when the LMS puts
 * them in the launch page's own URL (referrers are not sent).
 */
const b = useBrowser();
let h: GatedHarness;

const NAME = 'Jane Doe';
const ID = 'jane@example.com';
const FORMS = [
  NAME,
  ID,
  encodeURIComponent(NAME),
  encodeURIComponent(ID),
  'Jane+Doe',
  'jane%2540example.com',
];

const CASES: Array<{ name: string; standard: BridgeStandard; seed: Record<string, string>; read: string }> = [
  {
    name: 'golf-scorm12-basic-runtime',
    standard: 'scorm12',
    seed: { 'cmi.core.student_id': ID, 'cmi.core.student_name': NAME },
    read: 'cmi.core.student_name',
  },
  {
    name: 'golf-scorm2004v3-advanced-runtime',
    standard: 'scorm2004',
    seed: {
      'cmi.learner_id': ID,
      'cmi.learner_name': NAME,
      'cmi.objectives.0.id': 'obj_etiquette',
      'cmi.objectives.1.id': 'obj_handicapping',
      'cmi.objectives.2.id': 'obj_havingfun',
      'cmi.objectives.3.id': 'obj_playing',
    },
    read: 'cmi.learner_name',
  },
];
const zips = Object.fromEntries(CASES.map((c) => [c.name, sharedFile(`fixtures/scorm/${c.name}.zip`)]));

beforeAll(async () => {
  h = await startGatedHarness();
});
afterAll(async () => {
  await h?.close();
});

function leaks(requests: RecordedRequest[]): string[] {
  return requests.flatMap((r) => {
    const text = JSON.stringify(r);
    return FORMS.filter((f) => text.includes(f)).map((f) => `${r.method} ${r.url}: ${f}`);
  });
}

describe('no learner PII leaves the LMS in a gated session', () => {
  for (const c of CASES) {
    it.skipIf(!zips[c.name]!.path)(
      `${c.name}: neither the Gatekeeper nor the content origin sees "${NAME}" or "${ID}"`,
      async () => {
        const { contentRoot } = h.deploy(c.name, zips[c.name]!.path!);
        const token = `pii-${c.name}`;
        h.gatekeeper.allow(token, { contentUrl: `${contentRoot}shared/launchpage.html` });
        const pkg = h.gatedPackage(`pii-${c.name}`, {
          token,
          standard: c.standard,
          entry: 'shared/launchpage.html',
        });
        // Some LMSs launch SCOs with the learner in the query string.
        const sco = `${pkg}?student_id=${encodeURIComponent(ID)}&student_name=${encodeURIComponent(NAME)}`;
        const gkBefore = h.gatekeeper.requests.length;
        const contentBefore = h.contentRequests.length;

        const page = await b.page();
        page.on('dialog', (d) => void d.accept());
        await page.goto(h.lmsPage({ standard: c.standard, seed: c.seed, sco }));
        const course = await courseFrame(page);
        // The course can still greet the learner: the name came through the bridge.
        const name = await course.evaluate(
          ([std, key]) => {
            const w = window as unknown as Record<string, Record<string, (k: string) => string>>;
            // The golf SCOs keep the API they found in a global named `API`, whichever the standard.
            return w.API![std === 'scorm12' ? 'LMSGetValue' : 'GetValue']!(key!);
          },
          [c.standard, c.read] as const,
        );
        expect(name).toBe(NAME);
        await takeQuiz(course);
        await exitCourse(course);
        await lmsTerminated(page);

        const gk = h.gatekeeper.requests.slice(gkBefore);
        const content = h.contentRequests.slice(contentBefore);
        expect(gk.filter((r) => r.method === 'POST')).toHaveLength(1);
        const post = gk.find((r) => r.method === 'POST')!;
        expect(JSON.parse(post.body)).toEqual({ token, standard: c.standard });
        // The Gatekeeper judges origin_not_allowed on Origin; no Referer is sent anywhere.
        expect(post.headers.origin).toBe(h.lms);
        expect(post.headers.referer).toBeUndefined();
        expect(
          content.find((r) => r.url.includes('/_coursegate/player.html'))?.headers.referer,
        ).toBeUndefined();
        expect(content.length).toBeGreaterThan(20);
        expect(leaks(gk)).toEqual([]);
        expect(leaks(content)).toEqual([]);
        expect(page.errors).toEqual([]);
      },
    );
  }
});
