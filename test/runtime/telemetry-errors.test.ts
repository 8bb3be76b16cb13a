import { afterEach, describe, expect, it } from 'vitest';
import { scrub } from '../../protocol/scrub.js';
import type { ErrorReport } from '../../protocol/telemetry.js';
import { createErrorCapture, fingerprint, trimStack } from '../../runtime/telemetry/error-capture.js';

describe('scrub', () => {
  it('removes emails, bearer and JWT-looking tokens, and URL query strings and fragments', () => {
    expect(scrub('Could not save progress for jane@example.com (Jane.Doe+lms@corp.example.co.uk)')).toBe(
      'Could not save progress for [email] ([email])',
    );
    expect(scrub('no profile at /users/jane%40example.com/prefs')).toBe('no profile at /users/[email]/prefs');
    expect(scrub('401 with Authorization: Bearer abc.DEF-123_x/y=')).toBe(
      '401 with Authorization: Bearer [token]',
    );
    expect(scrub('token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJzIn0.c2lnbmF0dXJl expired')).toBe(
      'token [token] expired',
    );
    expect(
      scrub(
        'GET https://lms.example.com/au/index.html?endpoint=https%3A%2F%2Flrs&actor=%7B%22mbox%22%7D#cg=tok failed',
      ),
    ).toBe('GET https://lms.example.com/au/index.html failed');
    expect(scrub('at /course/page.html?name=Jane+Doe&x=1')).toBe('at /course/page.html');
  });

  it('keeps line and column after a stripped query, so stack frames still point somewhere', () => {
    expect(scrub('at run (http://127.0.0.1:8080/index.html?actor=jane%40example.com:12:5)')).toBe(
      'at run (http://127.0.0.1:8080/index.html:12:5)',
    );
  });

  it('bounds the length of any text', () => {
    expect(scrub('x'.repeat(5000))).toHaveLength(500);
  });
});

describe('trimStack and fingerprint', () => {
  const stack = [
    'Error: boom',
    ...Array.from({ length: 20 }, (_, i) => `    at f${i} (https://c.example.com/app.js?v=${i}:1${i}:3)`),
  ].join('\n');

  it('keeps the message line and the top frames, scrubbed', () => {
    const trimmed = trimStack(stack, 3);
    expect(trimmed.split('\n')).toEqual([
      'Error: boom',
      'at f0 (https://c.example.com/app.js:10:3)',
      'at f1 (https://c.example.com/app.js:11:3)',
      'at f2 (https://c.example.com/app.js:12:3)',
    ]);
  });

  it('is stable for the same error at the same place and differs by message or place', () => {
    const a = fingerprint('error', 'boom', trimStack(stack));
    expect(fingerprint('error', 'boom', trimStack(stack))).toBe(a);
    expect(fingerprint('error', 'bang', trimStack(stack))).not.toBe(a);
    expect(
      fingerprint('error', 'boom', trimStack(stack.replace('f0 (', 'g (').replace(':10:3', ':99:1'))),
    ).not.toBe(a);
    expect(fingerprint('rejection', 'boom', trimStack(stack))).not.toBe(a);
  });
});

describe('createErrorCapture', () => {
  const reports: ErrorReport[] = [];
  const capture = createErrorCapture({
    course: 'intro',
    deployment: 'dep-1',
    now: () => new Date('2026-03-01T10:00:00Z'),
    report: (r) => reports.push(r),
    breadcrumbs: 3,
  });
  afterEach(() => {
    capture.uninstall();
    reports.length = 0;
  });

  it('attaches no listeners until installed, and none after uninstall', () => {
    window.dispatchEvent(new ErrorEvent('error', { message: 'before install' }));
    capture.install(window);
    capture.uninstall();
    window.dispatchEvent(new ErrorEvent('error', { message: 'after uninstall' }));
    expect(reports).toEqual([]);
  });

  it('captures window errors, unhandled rejections and failed resource loads', () => {
    capture.install(window);
    const err = new Error('Widget exploded for jane@example.com');
    window.dispatchEvent(new ErrorEvent('error', { message: err.message, error: err }));
    const rejection = new Event('unhandledrejection') as Event & { reason: unknown };
    rejection.reason = new Error('quiz fetch failed');
    window.dispatchEvent(rejection);
    const img = document.createElement('img');
    img.src = 'https://cdn.example.com/pic.png?sig=secret';
    document.body.append(img);
    img.dispatchEvent(new Event('error'));

    expect(reports.map((r) => [r.kind, r.message])).toEqual([
      ['error', 'Widget exploded for [email]'],
      ['rejection', 'quiz fetch failed'],
      ['resource', 'IMG failed: https://cdn.example.com/pic.png'],
    ]);
    expect(reports[0]).toMatchObject({ course: 'intro', deployment: 'dep-1', count: 1 });
    expect(reports[0]?.stack).toContain('Widget exploded for [email]');
  });

  it('reports the runtime’s own errors with their code, and the last few breadcrumbs', () => {
    for (const n of [1, 2, 3, 4]) capture.breadcrumb('statement', `https://gk/courses/intro/page-${n}?x=1`);
    capture.capture('runtime', 'LMSCommit returned false', undefined, 'lms_commit_failed');
    expect(reports[0]).toMatchObject({
      kind: 'runtime',
      code: 'lms_commit_failed',
      message: 'LMSCommit returned false',
    });
    expect(reports[0]?.breadcrumbs.map((b) => b.detail)).toEqual([
      'https://gk/courses/intro/page-2',
      'https://gk/courses/intro/page-3',
      'https://gk/courses/intro/page-4',
    ]);
  });
});
