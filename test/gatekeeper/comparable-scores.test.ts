import { describe, expect, it } from 'vitest';
import { dashboardSignIn } from '../helpers/dashboard.js';
import { onWorker } from '../helpers/worker-target.js';
import { ingestSetup, postStatements, statement } from './ingest-setup.js';

/**
 * Issue 24, "Comparable scores": one learner answers 2 of 3 questions right in the same course delivered
 * as SCORM 1.2, SCORM 2004 and cmi5. Each standard reports it its own way (as the Coursegate runtime
 * and common authoring tools write it), and every view of the completions shows the same percent.
 */
const PERCENT = 66.67; // 2 of 3, to the two decimals SCORM 1.2 keeps (cmi.core.score.raw)

type Json = Record<string, unknown>;

describe('completions of the same answers in every standard', () => {
  it('show the same percent on the API, its exports and the dashboard, with the scores as reported', async () => {
    const s = await ingestSetup();
    const report = (token: string, cmi: Record<string, string>) =>
      s.t.call('POST', '/v1/sessions/report', {
        body: { seq: 1, cmi },
        headers: { authorization: `Bearer ${token}` },
      });
    // SCORM 1.2: raw is a percentage (RTE section 3.4: "a normalized value between 0 and 100"), with and without min/max.
    const scorm12 = await s.launch('scorm12');
    const passed12 = { 'cmi.core.lesson_status': 'passed', 'cmi.core.score.raw': '66.67' };
    expect(
      (await report(scorm12.token, { ...passed12, 'cmi.core.score.min': '0', 'cmi.core.score.max': '100' }))
        .status,
    ).toBe(204);
    const scorm12RawOnly = await s.launch('scorm12');
    expect((await report(scorm12RawOnly.token, passed12)).status).toBe(204);
    // SCORM 2004: scaled as real(10,7), raw of the quiz's own range.
    const scorm2004 = await s.launch('scorm2004');
    const cmi2004 = {
      'cmi.completion_status': 'completed',
      'cmi.success_status': 'passed',
      'cmi.score.scaled': '0.6666667',
      'cmi.score.raw': '2',
      'cmi.score.min': '0',
      'cmi.score.max': '3',
    };
    expect((await report(scorm2004.token, cmi2004)).status).toBe(204);
    // cmi5: the score rides on the `passed` statement (scaled to four decimals, §9.5.1).
    const cmi5 = await s.launch('cmi5');
    const posted = await postStatements(s.t, cmi5.token, [
      statement(cmi5.id, {
        verb: { id: 'http://adlnet.gov/expapi/verbs/passed' },
        result: { success: true, score: { scaled: 0.6667, raw: 2, min: 0, max: 3 } },
      }),
    ]);
    expect(posted.status).toBe(200);

    const reported: Record<string, Json> = {
      [scorm12.id]: { score: 66.67, scoreMin: 0, scoreMax: 100 },
      [scorm12RawOnly.id]: { score: 66.67, scoreMin: null, scoreMax: null },
      [scorm2004.id]: { score: 2, scoreMin: 0, scoreMax: 3, scoreScaled: 0.6666667 },
      [cmi5.id]: { score: 2, scoreMin: 0, scoreMax: 3, scoreScaled: 0.6667 },
    };
    const ids = Object.keys(reported).sort();
    const bySession = (rows: Json[]) =>
      Object.fromEntries(rows.map((r) => [r.sessionId, r])) as Record<string, Json>;

    const path = `/v1/courses/${s.course.id}/completions`;
    const get = (query = '') => s.t.call('GET', `${path}${query}`, { key: s.a.member.key });
    const api = bySession(((await (await get()).json()) as { completions: Json[] }).completions);
    expect(Object.keys(api).sort()).toEqual(ids);
    for (const id of ids)
      expect(api[id], id).toMatchObject({ success: true, percent: PERCENT, ...reported[id] });

    const ndjson = (await (await get('?format=ndjson')).text())
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Json);
    const csv = parseCsv(await (await get('?format=csv')).text());
    for (const rows of [bySession(ndjson), bySession(csv)])
      for (const id of ids) expect(Number(rows[id]?.percent), id).toBe(PERCENT);
    expect(Number(bySession(csv)[scorm2004.id]?.scoreMax)).toBe(3);

    // dashboardSignIn drives the in-process Node app: on the Worker, the API and its exports above are checked.
    if (onWorker) return;
    const dashboard = await dashboardSignIn(s.t, s.a.member.member);
    const html = await (await dashboard('GET', '/completions')).text();
    const cells = dashboardRows(html);
    expect(Object.keys(cells).sort()).toEqual(ids);
    for (const id of ids) expect(cells[id], id).toMatchObject({ Score: `${PERCENT} %`, Result: 'passed' });
    const exported = parseCsv(await (await dashboard('GET', '/completions?format=csv')).text());
    for (const id of ids) expect(bySession(exported)[id], id).toMatchObject({ percent: String(PERCENT) });
  });
});

/** RFC 4180 rows with no quoted commas (none of these cells has one), keyed by the header. */
function parseCsv(text: string): Json[] {
  const [head = '', ...lines] = text.trim().split(/\r?\n/);
  const columns = head.split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [columns[i], v])));
}

/** The completions table as the page shows it: each row's cells by their `data-label`, by session id. */
function dashboardRows(html: string): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  for (const [, row = ''] of html.matchAll(/<tr>(.*?)<\/tr>/gs)) {
    const cells = Object.fromEntries(
      [...row.matchAll(/<td data-label="([^"]+)"[^>]*>(.*?)<\/td>/gs)].map(([, k, v]) => [k, v]),
    );
    if (cells.Session) out[cells.Session] = cells;
  }
  return out;
}
