import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BridgeStandard } from '../../protocol/bridge.js';
import { useBrowser } from '../helpers/browser.js';
import { type GatedHarness, startGatedHarness } from '../helpers/gated-lms.js';
import { courseFrame, exitCourse, goTo, lmsRecord, lmsTerminated, takeQuiz } from '../helpers/golf-course.js';
import { sharedFile } from '../helpers/shared.js';

/**
 * A learner leaves a gated course half-way and comes back: the second launch starts from what the LMS kept
 * (location, suspend data, entry=resume), because the player is seeded with it before the course's first GetValue.
 */
const b = useBrowser();
let h: GatedHarness;

const CASES: Array<{
  name: string;
  standard: BridgeStandard;
  keys: { location: string; status: string; entry: string; exit: string };
}> = [
  {
    name: 'golf-scorm12-basic-runtime',
    standard: 'scorm12',
    keys: {
      location: 'cmi.core.lesson_location',
      status: 'cmi.core.lesson_status',
      entry: 'cmi.core.entry',
      exit: 'cmi.core.exit',
    },
  },
  {
    name: 'golf-scorm2004v3-basic-runtime',
    standard: 'scorm2004',
    keys: { location: 'cmi.location', status: 'cmi.completion_status', entry: 'cmi.entry', exit: 'cmi.exit' },
  },
];
const zips = Object.fromEntries(CASES.map((c) => [c.name, sharedFile(`fixtures/scorm/${c.name}.zip`)]));
const advanced = sharedFile('fixtures/scorm/golf-scorm2004v3-advanced-runtime.zip');

/** scorm-again's CMI JSON as the flat `cmi.a.b` record an LMS keeps between attempts (times left to the LMS). */
function flatten(value: unknown, prefix = 'cmi'): Record<string, string> {
  if (typeof value !== 'object' || value === null) return value === '' ? {} : { [prefix]: String(value) };
  return Object.assign(
    {},
    ...Object.entries(value)
      .filter(([k]) => k !== 'session_time' && k !== 'total_time')
      .map(([k, v]) => flatten(v, `${prefix}.${k}`)),
  );
}

beforeAll(async () => {
  h = await startGatedHarness();
});
afterAll(async () => {
  await h?.close();
});

async function open(url: string) {
  const page = await b.page();
  page.on('dialog', (d) => void d.accept());
  await page.goto(url);
  return page;
}

const get = (o: unknown, path: string): string =>
  String(path.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], o) ?? '');

/** Reads or writes through the API the course itself found (the player's), as course code does. */
function courseApi(page: Page, standard: BridgeStandard, call: 'get' | 'set', key: string, value = '') {
  return courseFrame(page).then((f) =>
    f.evaluate(
      ([std, c, k, v]) => {
        const w = window as unknown as Record<string, Record<string, (...a: string[]) => string>>;
        // The golf SCOs keep the API they found in a global named `API`, whichever the standard.
        const api = w.API!;
        const name =
          std === 'scorm12'
            ? c === 'get'
              ? 'LMSGetValue'
              : 'LMSSetValue'
            : c === 'get'
              ? 'GetValue'
              : 'SetValue';
        return api[name]!(k!, v!);
      },
      [standard, call, key, value] as const,
    ),
  );
}

describe('relaunching a gated course', () => {
  for (const c of CASES) {
    it.skipIf(!zips[c.name]!.path)(
      `${c.name}: resumes from the first session's location and suspend data`,
      async () => {
        const { contentRoot } = h.deploy(c.name, zips[c.name]!.path!);
        const token = `resume-${c.name}`;
        h.gatekeeper.allow(token, { contentUrl: `${contentRoot}shared/launchpage.html` });
        const sco = h.gatedPackage(`resume-${c.name}`, {
          token,
          standard: c.standard,
          entry: 'shared/launchpage.html',
        });
        const learner: Record<string, string> =
          c.standard === 'scorm12'
            ? { 'cmi.core.student_id': 'learner-2', 'cmi.core.student_name': 'Learner, Two' }
            : { 'cmi.learner_id': 'learner-2', 'cmi.learner_name': 'Learner, Two' };

        const first = await open(h.lmsPage({ standard: c.standard, seed: learner, sco }));
        await goTo(await courseFrame(first), 4);
        expect(await courseApi(first, c.standard, 'set', 'cmi.suspend_data', 'visited=0-4')).toBe('true');
        await exitCourse(await courseFrame(first));
        await lmsTerminated(first);
        const kept = (await lmsRecord(first)).cmi;
        const value = (k: string) => get(kept, k.replace(/^cmi\./, ''));
        expect(value(c.keys.location)).toBe('4');
        expect(value(c.keys.exit)).toBe('suspend');
        expect(value('cmi.suspend_data')).toBe('visited=0-4');

        // What the LMS hands the next attempt after a suspended exit.
        const seed: Record<string, string> = {
          ...learner,
          [c.keys.location]: value(c.keys.location),
          [c.keys.status]: value(c.keys.status),
          'cmi.suspend_data': value('cmi.suspend_data'),
          [c.keys.entry]: 'resume',
        };
        const second = await open(h.lmsPage({ standard: c.standard, seed, sco }));
        const course = await courseFrame(second);
        // The course asked for its bookmark on start and went straight back to page 4.
        expect(await course.evaluate(() => (window as unknown as { currentPage: number }).currentPage)).toBe(
          4,
        );
        expect(await courseApi(second, c.standard, 'get', 'cmi.suspend_data')).toBe('visited=0-4');
        expect(await courseApi(second, c.standard, 'get', c.keys.entry)).toBe('resume');
        expect(second.errors).toEqual([]);
      },
    );
  }

  it.skipIf(!advanced.path)(
    'golf-scorm2004v3-advanced-runtime: a second attempt adds its interactions after the first ones',
    async () => {
      const { contentRoot } = h.deploy('golf-scorm2004v3-advanced-runtime', advanced.path!);
      h.gatekeeper.allow('advanced-token', { contentUrl: `${contentRoot}shared/launchpage.html` });
      const sco = h.gatedPackage('resume-advanced', {
        token: 'advanced-token',
        standard: 'scorm2004',
        entry: 'shared/launchpage.html',
      });
      const objectives = ['PRIMARYOBJ', 'obj_etiquette', 'obj_handicapping', 'obj_havingfun', 'obj_playing'];
      const seed = Object.fromEntries(objectives.map((id, i) => [`cmi.objectives.${i}.id`, id]));

      const first = await open(
        h.lmsPage({ standard: 'scorm2004', seed: { ...seed, 'cmi.scaled_passing_score': '0.8' }, sco }),
      );
      const course1 = await courseFrame(first);
      await takeQuiz(course1);
      await exitCourse(course1);
      await lmsTerminated(first);
      const kept = (await lmsRecord(first)).cmi as { interactions: Record<string, unknown> };
      expect(Object.keys(kept.interactions)).toHaveLength(15);

      const second = await open(h.lmsPage({ standard: 'scorm2004', seed: flatten(kept), sco }));
      const course2 = await courseFrame(second);
      // Back on the quiz page (the bookmark), the course counts the interactions the LMS already has.
      await takeQuiz(course2);
      await exitCourse(course2);
      await lmsTerminated(second);
      const now = (await lmsRecord(second)).cmi as { interactions: Record<string, { id: string }> };
      expect(Object.keys(now.interactions)).toHaveLength(30);
      expect(now.interactions['15']!.id).toBe(now.interactions['0']!.id);
      expect(now.interactions['0']).toEqual(kept.interactions['0']);
      expect(second.errors).toEqual([]);
    },
  );
});
