import { afterEach, describe, expect, it } from 'vitest';
import { VERBS } from '../../protocol/xapi.js';
import { createCourse } from '../../runtime/course.js';
import { createEvents } from '../../runtime/events.js';
import type { LmsAdapter } from '../../runtime/lms/adapter.js';
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
    write: async () => {
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
});
