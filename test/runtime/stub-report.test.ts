import { describe, expect, it, vi } from 'vitest';
import { entryUrl, withSession } from '../../delivery/player/params.js';
import type { SeedableApi } from '../../delivery/player/relay-api.js';
import type { LmsApi } from '../../delivery/stub/lms-api.js';
import { createRelay } from '../../delivery/stub/relay.js';
import { createReporter } from '../../delivery/stub/report.js';
import { readSnapshot } from '../../delivery/stub/snapshot.js';
import { Scorm12API, Scorm2004API } from '../helpers/scorm-again.js';

const QUIET = { autocommit: false, lmsCommitUrl: false, logLevel: 5 } as const;
const JANE = { 'cmi.core.student_id': 'jane@example.com', 'cmi.core.student_name': 'Doe, Jane' };

function lms12() {
  const api = new Scorm12API(QUIET);
  (api as unknown as SeedableApi).loadFromFlattenedJSON(JANE, '');
  api.LMSInitialize('');
  return api;
}

describe('the stub reports the outcome the LMS holds', () => {
  it('SCORM 1.2: status, score and session time at each Commit and Terminate; no learner data', () => {
    const reports: Record<string, string>[] = [];
    const api = lms12() as unknown as LmsApi;
    const relay = createRelay(api, 'scorm12', readSnapshot(api, 'scorm12'), (o) => reports.push({ ...o }));
    for (const [k, v] of [
      ['cmi.core.lesson_location', 'page-2'],
      ['cmi.suspend_data', 'Jane Doe was here'],
      ['cmi.core.score.raw', '80'],
      ['cmi.core.score.max', '100'],
      ['cmi.core.lesson_status', 'not-a-status'],
      ['cmi.comments', 'jane@example.com'],
      ['cmi.interactions.0.id', 'q1'],
      ['cmi.interactions.0.student_response', 'Jane'],
    ])
      relay.apply('SetValue', [k, v]);
    relay.apply('Commit', []);
    relay.apply('SetValue', ['cmi.core.lesson_status', 'passed']);
    relay.apply('SetValue', ['cmi.core.session_time', '0000:01:02']);
    relay.apply('Terminate', []);
    expect(reports).toEqual([
      { 'cmi.core.lesson_status': 'not attempted', 'cmi.core.score.raw': '80', 'cmi.core.score.max': '100' },
      {
        'cmi.core.score.raw': '80',
        'cmi.core.score.max': '100',
        'cmi.core.lesson_status': 'passed',
        'cmi.core.session_time': '0000:01:02',
      },
    ]);
    expect(JSON.stringify(reports)).not.toMatch(/Jane|jane/);
  });

  it('SCORM 2004: statuses as the LMS decides them, scaled score and progress; a page that never started is reported as the LMS holds it', () => {
    const api = new Scorm2004API(QUIET);
    (api as unknown as SeedableApi).loadFromFlattenedJSON({ 'cmi.scaled_passing_score': '0.8' }, '');
    api.Initialize('');
    const lms = api as unknown as LmsApi;
    const reports: Record<string, string>[] = [];
    const relay = createRelay(lms, 'scorm2004', readSnapshot(lms, 'scorm2004'), (o) =>
      reports.push({ ...o }),
    );
    relay.apply('SetValue', ['cmi.score.scaled', '0.93']);
    relay.apply('SetValue', ['cmi.progress_measure', '0.5']);
    relay.apply('Commit', []);
    // The course set no success: the LMS judged it against scaled_passing_score.
    expect(reports.at(-1)).toEqual({
      'cmi.completion_status': 'unknown',
      'cmi.success_status': 'passed',
      'cmi.score.scaled': '0.93',
      'cmi.progress_measure': '0.5',
    });
    const idle = new Scorm2004API(QUIET);
    idle.Initialize('');
    const idleReports: Record<string, string>[] = [];
    const idleLms = idle as unknown as LmsApi;
    const idleRelay = createRelay(idleLms, 'scorm2004', readSnapshot(idleLms, 'scorm2004'), (o) =>
      idleReports.push({ ...o }),
    );
    idleRelay.finish();
    expect(idleReports).toEqual([{ 'cmi.completion_status': 'unknown', 'cmi.success_status': 'unknown' }]);
  });

  it('reads back only elements known to be set: no "not initialized" error in the LMS at any report', () => {
    const api = new Scorm2004API(QUIET);
    api.Initialize('');
    const lms = api as unknown as LmsApi;
    const relay = createRelay(lms, 'scorm2004', readSnapshot(lms, 'scorm2004'), () => {});
    const errors: string[] = [];
    const getValue = api.GetValue.bind(api);
    (api as unknown as Record<string, unknown>).GetValue = (k: string) => {
      const v = getValue(k);
      if (api.GetLastError() !== '0') errors.push(k);
      return v;
    };
    relay.apply('SetValue', ['cmi.completion_status', 'incomplete']);
    relay.apply('Commit', []);
    relay.apply('SetValue', ['cmi.score.raw', '5']);
    relay.apply('Commit', []);
    relay.apply('Terminate', []);
    expect(errors).toEqual([]);
  });
});

describe('createReporter', () => {
  it('POSTs numbered reports with the session token as keepalive, and sends again what was not acknowledged', async () => {
    const fetchFn = vi.fn(async () => {
      throw new TypeError('Failed to fetch');
    });
    const report = createReporter(fetchFn as unknown as typeof fetch, 'https://gate.example/', 'tok');
    report({});
    report({ 'cmi.core.lesson_status': 'incomplete' });
    await Promise.resolve();
    // Not acknowledged (the network failed): the same outcome goes again with the next report.
    report({ 'cmi.core.lesson_status': 'incomplete' });
    report({ 'cmi.core.lesson_status': 'passed' });
    expect(fetchFn).toHaveBeenCalledTimes(3);
    const [url, init] = fetchFn.mock.calls[2] as unknown as [string, RequestInit];
    expect(url).toBe('https://gate.example/v1/sessions/report');
    expect(init).toMatchObject({
      method: 'POST',
      keepalive: true,
      credentials: 'omit',
      referrerPolicy: 'no-referrer',
      headers: { authorization: 'Bearer tok', 'content-type': 'application/json' },
    });
    expect(JSON.parse(String(init.body))).toEqual({ seq: 3, cmi: { 'cmi.core.lesson_status': 'passed' } });
  });

  it('does not send an acknowledged outcome again, but does one the Gatekeeper refused (401, 5xx)', async () => {
    const statuses = [204, 401, 204];
    const fetchFn = vi.fn(async () => new Response(null, { status: statuses.shift() ?? 204 }));
    const report = createReporter(fetchFn as unknown as typeof fetch, 'https://gate.example', 'tok');
    const settle = () => new Promise((r) => setTimeout(r, 0));
    report({ 'cmi.core.lesson_status': 'incomplete' });
    await settle();
    report({ 'cmi.core.lesson_status': 'incomplete' });
    expect(fetchFn).toHaveBeenCalledTimes(1);
    report({ 'cmi.core.lesson_status': 'passed' });
    await settle();
    report({ 'cmi.core.lesson_status': 'passed' });
    await settle();
    report({ 'cmi.core.lesson_status': 'passed' });
    expect(fetchFn).toHaveBeenCalledTimes(3);
  });
});

describe('withSession (the player hands the session to the course)', () => {
  it('puts the token in the entry URL fragment, after a fragment the entry has', () => {
    const src = entryUrl('https://c.example/d/_coursegate/player.html#n=1', 'shared/a.html?q=1')!;
    expect(withSession(src, 'a.b.c')).toBe('https://c.example/d/shared/a.html?q=1#cg-session=a.b.c');
    expect(withSession('https://c.example/d/a.html#p=2', 'a.b.c')).toBe(
      'https://c.example/d/a.html#p=2&cg-session=a.b.c',
    );
  });
});
