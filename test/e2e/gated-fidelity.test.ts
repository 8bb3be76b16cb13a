import { readFileSync } from 'node:fs';
import type { Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useBrowser } from '../helpers/browser.js';
import { exitCourse, goTo } from '../helpers/golf-course.js';
import {
  currentPage,
  finishWithQuiz,
  readNote,
  saveNote,
  skipToTest,
  suspendHalfWay,
} from '../helpers/golf-learner.js';
import {
  comparable,
  comparableSets,
  errorCounts,
  type GolfSession,
  golfSessions,
  headingShown,
  openAndLeave,
  sideBySide,
} from '../helpers/manifest-lms/fidelity.js';
import { keepOnLoopback, lmsInitialized } from '../helpers/manifest-lms/lms-driver.js';
import { type ManifestLms, startManifestLms } from '../helpers/manifest-lms/lms-server.js';
import { type RealGatekeeper, realGatekeeper } from '../helpers/real-gatekeeper.js';
import { sharedFile } from '../helpers/shared.js';

/**
 * Issue 19's judge: an LMS that knows nothing of Coursegate (it reads each package's own imsmanifest.xml in
 * Chromium and seeds scorm-again from it) runs each golf fixture once as imported directly and once through
 * the gated package a real Gatekeeper hands out, with the same learner doing the same things; the records
 * and the SetValue sequences must be the same, session after session.
 */
const b = useBrowser();
let gk: RealGatekeeper;
let lms: ManifestLms;

beforeAll(async () => {
  gk = realGatekeeper();
  lms = await startManifestLms({ gatekeeper: gk.handler });
  await gk.start(lms.gate);
});
afterAll(async () => {
  await lms?.close();
  await gk?.close();
});

async function learnerPage(): Promise<Page & { errors: string[]; escaped: string[] }> {
  const page = (await b.page()) as Page & { errors: string[]; escaped: string[] };
  page.escaped = await keepOnLoopback(page.context());
  page.on('dialog', (d) => void d.accept());
  return page;
}

/** Imports the fixture into the LMS as it is. */
const importDirect = (name: string, zip: string) => lms.importPackage(`direct/${name}`, readFileSync(zip));

/** Deploys the fixture to the Gatekeeper and imports the gated package of `standard` it hands out. */
async function importGated(name: string, zip: string, standard: 'scorm12' | 'scorm2004') {
  const courseId = await gk.deploy(name, zip, 'shared/launchpage.html');
  const license = await gk.license(courseId);
  return lms.importPackage(`gated/${name}`, await gk.gatedPackage(license.id, standard));
}

type Learner = (course: Frame) => Promise<unknown>;
const resumeAndQuiz: Learner = async (course) => {
  const page = await currentPage(course);
  await finishWithQuiz(course);
  return page;
};
const justExit: Learner = (course) => exitCourse(course);

const FIXTURES: Array<{
  name: string;
  learners: Learner[];
  /** Not vacuous: what the direct run's last record must hold. */
  expectLast: Record<string, string>;
}> = [
  {
    name: 'golf-scorm12-basic-runtime',
    learners: [suspendHalfWay, resumeAndQuiz],
    expectLast: { 'cmi.core.score.raw': '93', 'cmi.core.lesson_status': 'passed' },
  },
  {
    name: 'golf-scorm2004v3-basic-runtime',
    learners: [suspendHalfWay, resumeAndQuiz],
    expectLast: { 'cmi.score.raw': '93', 'cmi.success_status': 'passed' },
  },
  {
    name: 'golf-scorm2004v3-advanced-runtime',
    // The third launch relaunches a record with 15 interactions and 5 objectives.
    learners: [suspendHalfWay, resumeAndQuiz, justExit],
    expectLast: {
      'cmi.score.scaled': '0.93',
      'cmi.objectives.4.id': 'obj_playing',
      'cmi.interactions.14.result': 'correct',
    },
  },
  {
    name: 'golf-scorm2004v4-sequencing',
    learners: [
      async (course) => {
        await goTo(course, 2);
        await saveNote(course, 'keep the head down');
        await skipToTest(course);
      },
      async (course) => {
        const resumed = { page: await currentPage(course), note: await readNote(course) };
        await goTo(course, 4);
        await skipToTest(course);
        return resumed;
      },
    ],
    expectLast: {
      'cmi.completion_status': 'completed',
      'adl.data.com.scorm.golfsamples.sequencing.forcedsequential.notesStorage.store': 'keep the head down',
    },
  },
];

/** Each fixture's sessions, for the error-log judgement below. */
const runs = new Map<string, { direct: GolfSession[]; gated: GolfSession[] }>();

function expectSame(direct: GolfSession[], gated: GolfSession[]) {
  // The same item of the same organization (an LMS lines records up by item identifier).
  expect(gated.map((s) => [s.launch.standard, s.launch.item])).toEqual(
    direct.map((s) => [s.launch.standard, s.launch.item]),
  );
  expect(gated.map((s) => comparable(s.record))).toEqual(direct.map((s) => comparable(s.record)));
  expect(gated.map((s) => comparableSets(s.sets))).toEqual(direct.map((s) => comparableSets(s.sets)));
  expect(gated.map((s) => [s.startPage, s.seen])).toEqual(direct.map((s) => [s.startPage, s.seen]));
}

describe('a gated golf package records in a manifest-reading LMS what the package records imported directly', () => {
  for (const f of FIXTURES) {
    const zip = sharedFile(`fixtures/scorm/${f.name}.zip`);
    it.skipIf(!zip.path)(`${f.name}: every session's record and SetValue sequence`, async () => {
      const page = await learnerPage();
      const direct = await golfSessions(page, lms.lmsUrl, importDirect(f.name, zip.path!), f.learners);
      // The direct run is the reference: it must have done something, and resumed where it left off.
      expect(direct.at(-1)!.record).toMatchObject(f.expectLast);
      expect(direct[1]!.startPage).toBe(2);
      // The gated package of the fixture's own standard, as the LMS's manifest reader found it.
      const gatedRoot = await importGated(f.name, zip.path!, direct[0]!.launch.standard);
      const gated = await golfSessions(page, lms.lmsUrl, gatedRoot, f.learners);
      runs.set(f.name, { direct, gated });
      console.log(errorCounts(f.name, direct, gated));
      expectSame(direct, gated);
      expect(page.escaped).toEqual([]);
      expect(page.errors).toEqual([]);
    });
  }
});

describe("the LMS's error log", () => {
  const name = 'golf-scorm2004v3-advanced-runtime';
  it.skipIf(!sharedFile(`fixtures/scorm/${name}.zip`).path)(
    `${name} (15 interactions, 5 objectives): a gated launch leaves at most 3 more errors than the direct one, first launch and relaunches`,
    () => {
      const run = runs.get(name);
      expect(run, 'the fidelity test above ran the fixture').toBeDefined();
      run!.direct.forEach((d, i) => {
        const g = run!.gated[i]!;
        const onlyGated = g.errors.filter(
          (e) => !d.errors.some((x) => JSON.stringify(x) === JSON.stringify(e)),
        );
        expect(
          g.errors.length,
          `launch ${i + 1}, errors only gated: ${JSON.stringify(onlyGated)}`,
        ).toBeLessThanOrEqual(d.errors.length + 3);
      });
    },
  );
});

const singleSco = sharedFile('fixtures/scorm/golf-scorm12-single-sco.zip');

describe('content that never calls the API', () => {
  it.skipIf(!singleSco.path)(
    'golf-scorm12-single-sco: the gated record is the direct one, or what a SCO that only opens and closes its session leaves',
    async () => {
      const roots = {
        direct: importDirect('golf-scorm12-single-sco', singleSco.path!),
        gated: await importGated('golf-scorm12-single-sco', singleSco.path!, 'scorm12'),
      };
      const page = await learnerPage();
      const shown = (p: Page) => headingShown(p, 'Not implemented yet');
      const direct = await openAndLeave(page, lms.lmsUrl, { packageRoot: roots.direct }, shown);
      const initFinish = await openAndLeave(
        page,
        lms.lmsUrl,
        { packageRoot: roots.direct, frameUrl: lms.probeUrl },
        lmsInitialized,
      );
      const gated = await openAndLeave(page, lms.lmsUrl, { packageRoot: roots.gated }, shown);
      const records = {
        direct: comparable(direct.record),
        gated: comparable(gated.record),
        'initialize+finish': comparable(initFinish.record),
      };
      // Method names, repeats folded: LMSGetValue ×24.
      const calls = (x: { calls: Array<{ call: string[] }> }) =>
        x.calls
          .map((c) => c.call[0])
          .join(' ')
          .replace(/(\w+)( \1\b)+/g, (run, m: string) => `${m} ×${run.split(' ').length}`);
      console.log(
        `golf-scorm12-single-sco, the three records (* where they differ):\n${sideBySide(records)}\n` +
          `calls: direct [${calls(direct)}] | gated [${calls(gated)}] | initialize+finish [${calls(initFinish)}]`,
      );
      // The direct record is untouched; the probe's is what scorm-again does on an empty session.
      expect(direct.calls).toEqual([]);
      expect(initFinish.calls.map((c) => c.call[0])).toEqual(['LMSInitialize', 'LMSFinish']);
      expect(gated.sets).toEqual([]);
      expect([records.direct, records['initialize+finish']]).toContainEqual(records.gated);
      expect(page.escaped).toEqual([]);
    },
  );
});
