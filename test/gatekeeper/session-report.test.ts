import { describe, expect, it } from 'vitest';
import { ingestSetup, postStatements, statement } from './ingest-setup.js';

type Json = Record<string, unknown>;
const code = async (res: Response) => ((await res.json()) as { error: { code: string } }).error.code;

async function records(s: Awaited<ReturnType<typeof ingestSetup>>): Promise<Json[]> {
  const res = await s.t.call('GET', `/v1/courses/${s.course.id}/completions`, { key: s.a.member.key });
  return ((await res.json()) as { completions: Json[] }).completions;
}

function report(s: Awaited<ReturnType<typeof ingestSetup>>, token: string, body: unknown) {
  return s.t.call('POST', '/v1/sessions/report', { body, headers: { authorization: `Bearer ${token}` } });
}

describe('POST /v1/sessions/report (launch stub, session token)', () => {
  it('turns a SCORM 1.2 report into the completion record the LMS holds', async () => {
    const s = await ingestSetup();
    const session = await s.launch('scorm12');
    const cmi = {
      'cmi.core.lesson_status': 'passed',
      'cmi.core.score.raw': '80',
      'cmi.core.score.min': '0',
      'cmi.core.score.max': '100',
      'cmi.core.session_time': '0000:01:01.50',
    };
    expect((await report(s, session.token, { seq: 1, cmi })).status).toBe(204);
    expect(await records(s)).toEqual([
      {
        sessionId: session.id,
        deploymentId: s.deployment.id,
        completed: true,
        success: true,
        percent: 80,
        score: 80,
        scoreMin: 0,
        scoreMax: 100,
        scoreScaled: 0.8,
        progress: null,
        durationMs: 61_500,
        updatedAt: '2026-03-01T12:00:00.000Z',
      },
    ]);
  });

  it('takes SCORM 2004 statuses, scaled score and progress; the latest report wins, a late one changes nothing', async () => {
    const s = await ingestSetup();
    const session = await s.launch('scorm2004');
    const first = {
      'cmi.completion_status': 'incomplete',
      'cmi.success_status': 'failed',
      'cmi.score.scaled': '0.4',
      'cmi.score.raw': '4',
      'cmi.progress_measure': '0.5',
    };
    const second = {
      ...first,
      'cmi.completion_status': 'completed',
      'cmi.success_status': 'passed',
      'cmi.score.scaled': '0.9',
      'cmi.score.raw': '9',
      'cmi.progress_measure': '1',
      'cmi.session_time': 'PT2M',
    };
    expect((await report(s, session.token, { seq: 1, cmi: first })).status).toBe(204);
    expect((await report(s, session.token, { seq: 3, cmi: second })).status).toBe(204);
    // Sent before the third but arriving after it, and a retry of the third: neither changes the record.
    expect((await report(s, session.token, { seq: 2, cmi: first })).status).toBe(204);
    expect((await report(s, session.token, { seq: 3, cmi: first })).status).toBe(204);
    expect(await records(s)).toMatchObject([
      { completed: true, success: true, score: 9, scoreScaled: 0.9, progress: 1, durationMs: 120_000 },
    ]);
  });

  it('refuses learner fields and anything it does not know, and stores nothing', async () => {
    const s = await ingestSetup();
    const session = await s.launch('scorm12');
    const bad = [
      { seq: 1, cmi: { 'cmi.core.student_name': 'Doe, Jane' } },
      { seq: 1, cmi: { 'cmi.learner_id': 'jane@example.com' } },
      { seq: 1, cmi: { 'cmi.suspend_data': 'x' } },
      { seq: 1, cmi: { 'cmi.interactions.0.learner_response': 'Jane' } },
      { seq: 1, cmi: { 'cmi.core.lesson_status': 'done' } },
      { seq: 1, cmi: { 'cmi.core.score.raw': 'Jane Doe' } },
      { seq: 1, cmi: {}, learner: 'Jane Doe' },
      { seq: 0, cmi: {} },
      'Jane Doe',
    ];
    for (const body of bad) {
      const res = await report(s, session.token, body);
      expect([res.status, await code(res)], JSON.stringify(body)).toEqual([400, 'invalid_request']);
    }
    expect(await records(s)).toEqual([]);
  });

  it('needs a session token and answers CORS for any LMS origin, without credentials', async () => {
    const s = await ingestSetup();
    const body = { seq: 1, cmi: { 'cmi.core.lesson_status': 'completed' } };
    expect((await report(s, 'nope', body)).status).toBe(401);
    expect((await report(s, s.a.owner.key, body)).status).toBe(401);
    const preflight = await s.t.request('/v1/sessions/report', {
      method: 'OPTIONS',
      headers: {
        origin: 'https://lms.example.com',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization,content-type',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    expect(preflight.headers.get('access-control-allow-headers')).toContain('authorization');
    expect(preflight.headers.get('access-control-allow-credentials')).toBeNull();
  });

  it('merges with the same session’s statements into one record', async () => {
    const s = await ingestSetup();
    const session = await s.launch('scorm2004');
    await postStatements(s.t, session.token, [
      statement(session.id, {
        verb: { id: 'http://adlnet.gov/expapi/verbs/passed' },
        result: { score: { raw: 2, scaled: 0.67 }, success: true },
      }),
    ]);
    const cmi = {
      'cmi.completion_status': 'completed',
      'cmi.success_status': 'passed',
      'cmi.score.scaled': '0.67',
    };
    expect((await report(s, session.token, { seq: 1, cmi })).status).toBe(204);
    // The LMS's score (scaled only) replaces the statement's whole score: a raw 2 of no known range
    // would otherwise sit beside a scaled score it was not reported with.
    expect(await records(s)).toMatchObject([
      { sessionId: session.id, completed: true, success: true, score: null, scoreScaled: 0.67, percent: 67 },
    ]);
  });
});

describe('success that is not known yet', () => {
  it('a later report or statement batch without success keeps the pass', async () => {
    const s = await ingestSetup();
    const session = await s.launch('scorm12');
    const status = (v: string) => ({ 'cmi.core.lesson_status': v });
    await report(s, session.token, { seq: 1, cmi: status('incomplete') });
    expect(await records(s)).toMatchObject([{ completed: false, success: null }]);
    await report(s, session.token, { seq: 2, cmi: status('passed') });
    await report(s, session.token, { seq: 3, cmi: { ...status('passed'), 'cmi.core.score.raw': '' } });
    await postStatements(s.t, session.token, [
      statement(session.id, { verb: { id: 'http://adlnet.gov/expapi/verbs/terminated' } }),
    ]);
    expect(await records(s)).toMatchObject([{ completed: true, success: true }]);
  });
});
