import { afterEach, describe, expect, it } from 'vitest';
import { VERBS } from '../../protocol/xapi.js';
import { createCourse } from '../../runtime/course.js';
import { createEvents } from '../../runtime/events.js';
import type { Changes, Interaction, LmsAdapter } from '../../runtime/lms/adapter.js';
import { createTelemetry, type Telemetry } from '../../runtime/telemetry/index.js';
import { createIngestStub } from '../helpers/ingest-stub.js';

const HOME = 'https://gk.example.com';
let telemetry: Telemetry | undefined;
afterEach(() => {
  telemetry?.uninstall();
  localStorage.clear();
});

/** An LMS that knows the learner by name and email, and refuses its first commit. */
function lms(
  onError: (code: 'lms_call_failed', message: string) => void,
  mode: 'normal' | 'review' = 'normal',
  writes: Changes[] = [],
): LmsAdapter {
  let refused = false;
  return {
    standard: 'scorm12',
    open: async () => {
      onError('lms_call_failed', 'LMSGetValue(cmi.core.lesson_location) failed');
      return {
        learner: { id: 'jane@example.com', name: 'Jane Doe' },
        mode,
        credit: true,
        entry: 'ab-initio',
        maxSuspendDataLength: 4096,
        masteryScore: 0.8,
      };
    },
    write: async (c) => {
      writes.push(c);
      if (refused) return true;
      refused = true;
      return true;
    },
    close: async () => {},
    closeOnUnload: () => {},
  };
}

/** An ingest that knows session `sess-1`, and telemetry for it that sends only when flushed. */
function gatedSession() {
  const ingest = createIngestStub({ homePage: HOME, sessions: [{ id: 'sess-1', token: 'tok-1' }] });
  telemetry = createTelemetry({
    endpoint: HOME,
    sessionToken: 'tok-1',
    sessionId: 'sess-1',
    course: 'intro',
    fetch: ingest.fetch,
    storage: null,
    flushDelayMs: 60_000,
  });
  return ingest;
}

describe('course core with telemetry', () => {
  it('claims no progress, completion or verdict in review mode, where the LMS records none', async () => {
    const ingest = gatedSession();
    const events = createEvents();
    const course = await createCourse(lms(events.error, 'review'), { events, telemetry, commitDelayMs: 1 });
    course.progress(1);
    course.pass();
    course.complete();
    await course.exit();
    const verbs = ingest.statements().map((s) => (s.verb as { id: string }).id);
    expect(verbs).toEqual([VERBS.launched, VERBS.initialized, VERBS.terminated]);
  });

  it('states the session lifecycle about the anonymous actor and never the LMS learner', async () => {
    const ingest = gatedSession();
    const events = createEvents();
    const course = await createCourse(lms(events.error), { events, telemetry, commitDelayMs: 1 });
    const seen: string[] = [];
    course.on('error', (e) => seen.push(e.code));
    expect(seen, 'the early error still reaches course code').toEqual(['lms_call_failed']);

    course.progress(0.5);
    course.progress(0.5);
    course.score(9, { min: 0, max: 10 });
    course.complete();
    course.track('http://adlnet.gov/expapi/verbs/answered', 'quiz-1/q1', { response: 'b', success: true });
    await course.exit();

    const verbs = ingest.statements().map((s) => (s.verb as { id: string }).id);
    expect(verbs).toEqual([
      VERBS.launched,
      VERBS.initialized,
      VERBS.progressed,
      VERBS.passed,
      VERBS.completed,
      'http://adlnet.gov/expapi/verbs/answered',
      VERBS.terminated,
    ]);
    const passed = ingest.statements()[3] as { result: Record<string, unknown> };
    expect(passed.result).toMatchObject({ success: true, score: { scaled: 0.9 } });
    for (const s of ingest.statements())
      expect(s.actor).toEqual({ objectType: 'Agent', account: { homePage: HOME, name: 'sess-1' } });
    expect(ingest.reports().map((r) => r.code)).toEqual(['lms_call_failed']);
    for (const r of ingest.requests) {
      expect(r.body).not.toContain('Jane');
      expect(r.body).not.toContain('jane');
    }
  });

  it('without telemetry, track is a no-op', async () => {
    const events = createEvents();
    const course = await createCourse(lms(events.error), { events });
    expect(() => course.track('answered', 'q1')).not.toThrow();
    await course.exit();
  });

  describe('interactions', () => {
    const TYPED = 'Paris, said jane.doe@example.com';
    /** One interaction of each type; each free-text one carries what a learner might type. */
    const ANSWERS: Pick<Interaction, 'type' | 'response'>[] = [
      { type: 'true-false', response: 'true' },
      { type: 'choice', response: ['b', 'c'] },
      { type: 'fill-in', response: TYPED },
      { type: 'long-fill-in', response: TYPED },
      { type: 'matching', response: ['1.a', '2.b'] },
      { type: 'performance', response: ['step1.done'] },
      { type: 'sequencing', response: ['c', 'a', 'b'] },
      { type: 'likert', response: 'agree' },
      { type: 'numeric', response: '42' },
      { type: 'other', response: TYPED },
    ];
    /** The `answered` statements as the ingest received them on the wire, by interaction type. */
    type Sent = {
      verb: { id: string };
      object: { definition?: { interactionType: string } };
      result?: unknown;
    };
    const answeredOnWire = (ingest: ReturnType<typeof gatedSession>): Record<string, Sent> =>
      Object.fromEntries(
        ingest.requests
          .filter((r) => r.path === '/xapi/statements')
          .flatMap((r) => JSON.parse(r.body) as Sent[])
          .filter((st) => st.verb.id === 'http://adlnet.gov/expapi/verbs/answered')
          .map((st) => [st.object.definition?.interactionType, st]),
      );
    async function answerAll(options: { telemetryFreeText?: boolean }, perInteraction?: boolean) {
      const ingest = gatedSession();
      const events = createEvents();
      const writes: Changes[] = [];
      const course = await createCourse(lms(events.error, 'normal', writes), {
        events,
        telemetry,
        commitDelayMs: 1,
        ...options,
      });
      for (const a of ANSWERS)
        course.interaction({
          id: `q ${a.type}`,
          ...a,
          result: 'correct',
          ...(perInteraction === undefined ? {} : { telemetryFreeText: perInteraction }),
        });
      await course.exit();
      const recorded = writes.flatMap((w) => w.interactions ?? []);
      return { wire: answeredOnWire(ingest), lms: recorded, bodies: ingest.requests.map((r) => r.body) };
    }
    const sent = (wire: Record<string, Sent>) =>
      Object.fromEntries(Object.entries(wire).map(([type, st]) => [type, st.result]));
    const closedTypes = {
      'true-false': { response: 'true', success: true },
      choice: { response: 'b[,]c', success: true },
      matching: { response: '1[.]a[,]2[.]b', success: true },
      performance: { response: 'step1[.]done', success: true },
      sequencing: { response: 'c[,]a[,]b', success: true },
      likert: { response: 'agree', success: true },
      numeric: { response: '42', success: true },
    };
    const withheld = { success: true };
    const shared = { response: TYPED, success: true };

    it('sends each as an answered statement, without the free-text responses by default; the LMS gets them all', async () => {
      const { wire, lms: recorded, bodies } = await answerAll({});
      expect(sent(wire)).toEqual({
        ...closedTypes,
        'fill-in': withheld,
        'long-fill-in': withheld,
        other: withheld,
      });
      expect(wire['fill-in']!.object).toEqual({
        objectType: 'Activity',
        id: `${HOME}/courses/intro/interactions/q%20fill-in`,
        definition: {
          type: 'http://adlnet.gov/expapi/activities/cmi.interaction',
          interactionType: 'fill-in',
        },
      });
      for (const body of bodies) expect(body).not.toContain('jane.doe');
      expect(recorded.map((i) => i.response)).toEqual(ANSWERS.map((a) => a.response));
    });

    it('sends the free-text responses when the course opts in, unless an interaction opts out', async () => {
      expect(sent((await answerAll({ telemetryFreeText: true })).wire)).toEqual({
        ...closedTypes,
        'fill-in': shared,
        'long-fill-in': shared,
        other: shared,
      });
      const { wire, lms: recorded } = await answerAll({ telemetryFreeText: true }, false);
      expect(sent(wire)).toEqual({
        ...closedTypes,
        'fill-in': withheld,
        'long-fill-in': withheld,
        other: withheld,
      });
      expect(recorded.map((i) => i.response)).toEqual(ANSWERS.map((a) => a.response));
      expect(
        recorded.some((i) => 'telemetryFreeText' in i),
        'the option is not the LMS’s business',
      ).toBe(false);
    });

    it('sends a free-text response when that interaction opts in', async () => {
      expect(sent((await answerAll({}, true)).wire)).toEqual({
        ...closedTypes,
        'fill-in': shared,
        'long-fill-in': shared,
        other: shared,
      });
    });
  });
});
