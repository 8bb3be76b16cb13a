import { describe, expect, it } from 'vitest';
import { TEST_CONTENT_URL } from '../helpers/gatekeeper.js';
import { ingestSetup, postStatements, statement } from './ingest-setup.js';

type Json = Record<string, unknown>;
const code = async (res: Response) => ((await res.json()) as { error: { code: string } }).error.code;

describe('POST/PUT /xapi/statements with a session token', () => {
  it('stores a batch once, in both xAPI versions, and answers the ids', async () => {
    const s = await ingestSetup();
    const session = await s.launch();
    const batch = [statement(session.id), statement(session.id)];
    const res = await postStatements(s.t, session.token, batch);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual(batch.map((b) => b.id));
    expect((await postStatements(s.t, session.token, [statement(session.id)], '2.0.0')).status).toBe(200);
    const read = await s.t.call('GET', `/xapi/statements?session=${session.id}`, { key: s.a.owner.key });
    expect(((await read.json()) as { statements: Json[] }).statements).toHaveLength(3);
  });

  it('same id and same body is no duplicate; same id and another body is 409', async () => {
    const s = await ingestSetup();
    const session = await s.launch();
    const one = statement(session.id);
    expect((await postStatements(s.t, session.token, [one])).status).toBe(200);
    expect((await postStatements(s.t, session.token, [one, statement(session.id)])).status).toBe(200);
    // The same statement with its keys in another order is the same body (stored in one canonical order).
    const reordered = Object.fromEntries(Object.entries(one).reverse());
    expect((await postStatements(s.t, session.token, [reordered])).status).toBe(200);
    const changed = { ...one, verb: { id: 'http://adlnet.gov/expapi/verbs/completed' } };
    // A new statement before the clash is not stored either: the request is refused whole.
    const conflict = await postStatements(s.t, session.token, [statement(session.id), changed]);
    expect([conflict.status, await code(conflict)]).toEqual([409, 'statement_conflict']);
    const put = await s.t.call('PUT', `/xapi/statements?statementId=${one.id}`, {
      body: one,
      headers: { authorization: `Bearer ${session.token}`, 'x-experience-api-version': '1.0.3' },
    });
    expect(put.status).toBe(204);
    const read = await s.t.call('GET', `/xapi/statements?session=${session.id}`, { key: s.a.owner.key });
    const stored = ((await read.json()) as { statements: Json[] }).statements;
    expect(stored.filter((x) => x.id === one.id)).toHaveLength(1);
    expect(stored).toHaveLength(2);
  });

  it('refuses any personal identifier on an agent with 400 pii_not_accepted', async () => {
    const s = await ingestSetup();
    const session = await s.launch();
    const base = statement(session.id);
    const actor = base.actor as Json;
    const cases = [
      { actor: { ...actor, mbox: 'mailto:jane@example.com' } },
      { actor: { ...actor, name: 'Jane Doe' } },
      { actor: { objectType: 'Agent', mbox_sha1sum: 'a'.repeat(40) } },
      { actor: { objectType: 'Agent', openid: 'https://jane.example.com' } },
      { context: { instructor: { name: 'Jane Doe', mbox: 'mailto:jane@example.com' } } },
      { object: { objectType: 'Agent', mbox: 'mailto:jane@example.com' } },
    ];
    for (const c of cases) {
      const res = await postStatements(s.t, session.token, [{ ...base, ...c }]);
      expect([res.status, await code(res)], JSON.stringify(c)).toEqual([400, 'pii_not_accepted']);
    }
    // An activity's definition may have a name: that is not a person.
    const named = { ...base, object: { id: 'https://x.test/a', definition: { name: { en: 'Quiz' } } } };
    expect((await postStatements(s.t, session.token, [named])).status).toBe(200);
  });

  it('takes xAPI 1.0 as 1.0.0, one context activity as an array and fileUrl attachments (issue 27)', async () => {
    const s = await ingestSetup();
    const session = await s.launch();
    const activity = { objectType: 'Activity', id: 'https://x.test/parent' };
    const attachment = {
      usageType: 'http://example.com/attachment-usage/test',
      display: { 'en-US': 'A file' },
      contentType: 'text/plain',
      length: 27,
      sha2: '495395e777cd98da653df9615d09c0fd6bb2f8d4788394cd53c56a3bfdcd848a',
      fileUrl: 'https://x.test/file.txt',
    };
    const sent = statement(session.id, {
      version: '1.0',
      context: { contextActivities: { parent: activity } },
      attachments: [attachment],
    });
    expect((await postStatements(s.t, session.token, [sent], '1.0')).status).toBe(200);
    const read = await s.t.call('GET', `/xapi/statements?statementId=${sent.id}`, { key: s.a.owner.key });
    const stored = (await read.json()) as Json;
    expect(stored.version).toBe('1.0.0');
    expect(stored.context).toEqual({ contextActivities: { parent: [activity] } });
    expect(stored.attachments).toEqual([attachment]);
    const content = statement(session.id, { attachments: [{ ...attachment, fileUrl: undefined }] });
    const refused = await postStatements(s.t, session.token, [content]);
    expect([refused.status, await code(refused)]).toEqual([400, 'invalid_request']);
  });

  it("refuses another session's actor, a bad token, a missing version and invalid statements", async () => {
    const s = await ingestSetup();
    const [one, two] = [await s.launch(), await s.launch()];
    const other = await postStatements(s.t, one.token, [statement(two.id)]);
    expect([other.status, await code(other)]).toEqual([400, 'invalid_request']);
    expect((await postStatements(s.t, 'nope', [statement(one.id)])).status).toBe(401);
    expect((await postStatements(s.t, s.a.owner.key, [statement(one.id)])).status).toBe(401);
    expect((await postStatements(s.t, one.token, [statement(one.id)], '0.95')).status).toBe(400);
    expect((await postStatements(s.t, one.token, [statement(one.id, { verb: { id: 'nope' } })])).status).toBe(
      400,
    );
    expect((await postStatements(s.t, one.token, [statement(one.id, { id: 'x' })])).status).toBe(400);
    s.t.clock.now = new Date(s.t.clock.now.getTime() + 25 * 3600_000);
    expect((await postStatements(s.t, one.token, [statement(one.id)])).status).toBe(401);
  });

  it('derives the completion record from the statements', async () => {
    const s = await ingestSetup();
    const session = await s.launch();
    const progress = (p: number) =>
      statement(session.id, {
        result: { extensions: { 'https://w3id.org/xapi/cmi5/result/extensions/progress': p } },
      });
    await postStatements(s.t, session.token, [progress(40), progress(20)]);
    await postStatements(s.t, session.token, [
      statement(session.id, {
        verb: { id: 'http://adlnet.gov/expapi/verbs/passed' },
        result: { score: { raw: 8, min: 0, max: 10, scaled: 0.8 }, success: true, duration: 'PT1M1S' },
      }),
      statement(session.id, { verb: { id: 'http://adlnet.gov/expapi/verbs/completed' } }),
    ]);
    const res = await s.t.call('GET', `/v1/courses/${s.course.id}/completions`, { key: s.a.member.key });
    const { completions } = (await res.json()) as { completions: Json[] };
    expect(completions).toEqual([
      {
        sessionId: session.id,
        deploymentId: s.deployment.id,
        completed: true,
        success: true,
        percent: 80,
        score: 8,
        scoreMin: 0,
        scoreMax: 10,
        scoreScaled: 0.8,
        progress: 1,
        durationMs: 61_000,
        updatedAt: '2026-03-01T12:00:00.000Z',
      },
    ]);
  });

  it('answers CORS preflights from the content origin with every method, other origins with POST only', async () => {
    const s = await ingestSetup();
    const preflight = (origin: string, path: string) =>
      s.t.request(path, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization,content-type,x-experience-api-version',
        },
      });
    for (const path of ['/xapi/statements', '/v1/errors']) {
      const ok = await preflight(TEST_CONTENT_URL, path);
      expect(ok.status).toBe(204);
      expect(ok.headers.get('access-control-allow-origin')).toBe(TEST_CONTENT_URL);
      expect(ok.headers.get('access-control-allow-headers')).toContain('authorization');
      // Portable packages with an ingest key post from any LMS origin (test/gatekeeper/ingest-keys.test.ts).
      const other = await preflight('https://evil.test', path);
      expect(other.headers.get('access-control-allow-methods')).toBe('POST');
      expect(other.headers.get('access-control-allow-credentials')).toBeNull();
    }
  });
});
