import { afterEach, describe, expect, it } from 'vitest';
import { start } from '../../runtime/index.js';

type Win = Window & { API?: unknown };

/** A minimal SCORM 1.2 API object on the window, as an LMS frame would expose it. */
function scorm12Api(values: Record<string, string>) {
  const set: Record<string, string> = {};
  return {
    set,
    api: {
      LMSInitialize: () => 'true',
      LMSGetValue: (el: string) => values[el] ?? '',
      LMSSetValue: (el: string, v: string) => {
        set[el] = v;
        return 'true';
      },
      LMSCommit: () => 'true',
      LMSFinish: () => 'true',
      LMSGetLastError: () => '0',
      LMSGetErrorString: () => '',
    },
  };
}

afterEach(() => {
  delete (window as Win).API;
  localStorage.clear();
});

describe('start()', () => {
  it('detects SCORM 1.2 from the API object and reads the launch data', async () => {
    const lms = scorm12Api({
      'cmi.core.student_name': 'Doe, Jane',
      'cmi.core.lesson_mode': 'review',
      'cmi.student_data.mastery_score': '75',
    });
    (window as Win).API = lms.api;
    const course = await start();
    expect([course.standard, course.learner.name, course.mode, course.masteryScore]).toEqual([
      'scorm12',
      'Doe, Jane',
      'review',
      0.75,
    ]);
  });

  it('falls back to standalone without an LMS', async () => {
    const course = await start();
    expect(course.standard).toBe('standalone');
  });

  it('lets an option force the standard', async () => {
    (window as Win).API = scorm12Api({}).api;
    const course = await start({ standard: 'standalone' });
    expect(course.standard).toBe('standalone');
  });

  it('reports lms_not_found when a forced SCORM LMS is missing, and the course keeps working', async () => {
    const course = await start({ standard: 'scorm2004', commitDelayMs: 1 });
    const codes: string[] = [];
    course.on('error', (e) => codes.push(e.code));
    course.location = 'p1';
    await course.exit();
    expect(codes).toEqual(['lms_not_found']);
    expect(course.location).toBe('p1');
  });

  it('detects cmi5 from the launch parameters before any SCORM API', async () => {
    (window as Win).API = scorm12Api({}).api;
    const actor = JSON.stringify({
      objectType: 'Agent',
      account: { homePage: 'https://lms.example', name: 'l1' },
    });
    const query = new URLSearchParams({
      endpoint: 'http://127.0.0.1:9/xapi/',
      fetch: 'http://127.0.0.1:9/fetch',
      actor,
      registration: 'r1',
      activityId: 'https://example.com/au',
    });
    history.replaceState(null, '', `/course/index.html?${query}`);
    try {
      const course = await start({ commitDelayMs: 1 });
      const codes: string[] = [];
      course.on('error', (e) => codes.push(e.code));
      expect(course.standard).toBe('cmi5');
      expect(codes).toContain('fetch_failed');
    } finally {
      history.replaceState(null, '', '/');
    }
  });

  it('SCORM 1.2: writes score only where cmi.core.score._children advertises it', async () => {
    for (const children of ['raw', '']) {
      const lms = scorm12Api({ 'cmi.core.score._children': children });
      (window as Win).API = lms.api;
      const course = await start({ commitDelayMs: 1 });
      course.score(42);
      await course.exit();
      expect(Object.keys(lms.set).filter((el) => el.startsWith('cmi.core.score'))).toEqual(
        children ? ['cmi.core.score.raw'] : [],
      );
    }
  });
});
