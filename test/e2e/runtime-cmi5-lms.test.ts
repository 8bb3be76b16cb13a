import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Cmi5Launch, type Cmi5Lms, startCmi5Lms } from '../helpers/cmi5-lms/index.js';

/** The test LMS + LRS itself behaves as cmi5 §8.2 and §10 and xAPI require, so other tests can trust it. */
let lms: Cmi5Lms;

beforeAll(async () => {
  lms = await startCmi5Lms();
});
afterAll(async () => {
  await lms?.close();
});

async function token(launch: Cmi5Launch): Promise<string> {
  const body = await (await fetch(launch.fetchUrl, { method: 'POST' })).json();
  return body['auth-token'];
}

function xapi(t: string | undefined, path: string, query: Record<string, string>, init: RequestInit = {}) {
  const headers: Record<string, string> = {
    'X-Experience-API-Version': '1.0.3',
    'Content-Type': 'application/json',
  };
  if (t) headers.Authorization = `Basic ${t}`;
  return fetch(`${lms.endpoint}${path}?${new URLSearchParams(query)}`, { ...init, headers });
}

const stateQuery = (l: Cmi5Launch, stateId: string) => ({
  activityId: l.activityId,
  agent: JSON.stringify(l.actor),
  registration: l.registration,
  stateId,
});

describe('cmi5 test LMS + LRS', () => {
  it('builds the launch URL and LMS.LaunchData of spec §8.1 and §10, and records launched', async () => {
    const launch = lms.launch('http://au.example/index.html?lang=en', {
      masteryScore: 0.7,
      launchMode: 'Review',
    });
    const url = new URL(launch.url);
    expect(url.searchParams.get('lang')).toBe('en');
    expect(JSON.parse(url.searchParams.get('actor') as string)).toEqual(launch.actor);
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      endpoint: lms.endpoint,
      fetch: launch.fetchUrl,
      registration: launch.registration,
      activityId: launch.activityId,
    });
    const t = await token(launch);
    const res = await xapi(t, 'activities/state', stateQuery(launch, 'LMS.LaunchData'));
    expect(await res.json()).toEqual({
      contextTemplate: {
        contextActivities: { grouping: [{ id: launch.publisherId, objectType: 'Activity' }] },
        extensions: { 'https://w3id.org/xapi/cmi5/context/extensions/sessionid': launch.sessionId },
      },
      launchMode: 'Review',
      masteryScore: 0.7,
      moveOn: 'CompletedOrPassed',
      returnURL: `${lms.origin}/return`,
    });
    const [launched] = lms.statements(launch.registration);
    expect(launched?.verb.id).toBe('http://adlnet.gov/expapi/verbs/launched');
    expect(launched?.context?.extensions).toMatchObject({
      'https://w3id.org/xapi/cmi5/context/extensions/launchmode': 'Review',
      'https://w3id.org/xapi/cmi5/context/extensions/masteryscore': 0.7,
    });
  });

  it('answers the fetch URL once; a second call gets error-code 1 with status 200 (§8.2.3)', async () => {
    const launch = lms.launch('http://au.example/');
    expect(await token(launch)).toMatch(/\S+/);
    const again = await fetch(launch.fetchUrl, { method: 'POST' });
    expect(again.status).toBe(200);
    expect(again.headers.get('content-type')).toContain('application/json');
    expect(await again.json()).toMatchObject({ 'error-code': '1' });
    expect(lms.fetchCalls(launch)).toBe(2);
  });

  it('accepts xAPI calls only with a fetched token and the version header', async () => {
    const launch = lms.launch('http://au.example/');
    const t = await token(launch);
    expect((await xapi(undefined, 'statements', {})).status).toBe(401);
    expect((await xapi('bm90LWEtdG9rZW4=', 'statements', {})).status).toBe(401);
    const noVersion = await fetch(`${lms.endpoint}statements`, { headers: { Authorization: `Basic ${t}` } });
    expect(noVersion.status).toBe(400);
    const ok = await xapi(t, 'statements', { registration: launch.registration });
    expect(ok.headers.get('x-experience-api-version')).toBe('1.0.3');
    expect(lms.requests.at(-1)).toMatchObject({ auth: 'ok', status: 200, sessionId: launch.sessionId });
    expect(JSON.stringify(lms.requests)).not.toContain(t);
  });

  it('keeps LMS.LaunchData read-only, merges state on POST and deletes on DELETE', async () => {
    const launch = lms.launch('http://au.example/');
    const t = await token(launch);
    const put = await xapi(t, 'activities/state', stateQuery(launch, 'LMS.LaunchData'), {
      method: 'PUT',
      body: '{}',
    });
    expect(put.status).toBe(403);
    const q = stateQuery(launch, 'bookmark');
    expect((await xapi(t, 'activities/state', q)).status).toBe(404);
    await xapi(t, 'activities/state', q, { method: 'PUT', body: JSON.stringify({ a: 1 }) });
    await xapi(t, 'activities/state', q, { method: 'POST', body: JSON.stringify({ b: 2 }) });
    expect(await (await xapi(t, 'activities/state', q)).json()).toEqual({ a: 1, b: 2 });
    expect(lms.state(launch, 'bookmark')).toEqual({ a: 1, b: 2 });
    await xapi(t, 'activities/state', q, { method: 'DELETE' });
    expect((await xapi(t, 'activities/state', q)).status).toBe(404);
  });

  it('stores statements by POST and PUT, refuses a reused id, and finds them again', async () => {
    const launch = lms.launch('http://au.example/');
    const t = await token(launch);
    const statement = {
      id: crypto.randomUUID(),
      actor: launch.actor,
      verb: { id: 'http://adlnet.gov/expapi/verbs/experienced' },
      object: { id: launch.activityId },
      context: { registration: launch.registration },
    };
    const posted = await xapi(t, 'statements', {}, { method: 'POST', body: JSON.stringify([statement]) });
    expect(await posted.json()).toEqual([statement.id]);
    const dup = await xapi(t, 'statements', {}, { method: 'POST', body: JSON.stringify(statement) });
    expect(dup.status).toBe(409);
    const id = crypto.randomUUID();
    const put = await xapi(
      t,
      'statements',
      { statementId: id },
      { method: 'PUT', body: JSON.stringify({ ...statement, id }) },
    );
    expect(put.status).toBe(204);
    expect(await (await xapi(t, 'statements', { statementId: id })).json()).toMatchObject({ id });
    const found = await (
      await xapi(t, 'statements', { registration: launch.registration, verb: statement.verb.id })
    ).json();
    expect(found.statements.map((s: { id: string }) => s.id)).toEqual([id, statement.id]);
    expect(lms.auStatements(launch.registration)).toHaveLength(2);
  });

  it('records abandoned when a registration is launched again before its session terminated (§9.3.6)', async () => {
    const first = lms.launch('http://au.example/');
    const t = await token(first);
    expect((await xapi(t, 'statements', {})).status).toBe(200);
    lms.launch('http://au.example/', { registration: first.registration });
    const verbs = lms.statements(first.registration).map((s) => s.verb.id.split('/').pop());
    expect(verbs).toEqual(['launched', 'abandoned', 'launched']);
    // §9.3.6: nothing more is recorded for the abandoned session.
    expect((await xapi(t, 'statements', {})).status).toBe(401);
  });

  it('rejects, when strict, a statement that breaks a MUST of §9 and names the rule (§6.3)', async () => {
    const strict = await startCmi5Lms({ strict: true });
    try {
      const launch = strict.launch('http://au.example/');
      const t = (await (await fetch(launch.fetchUrl, { method: 'POST' })).json())['auth-token'];
      const completed = {
        id: crypto.randomUUID(),
        timestamp: new Date().toISOString(),
        actor: launch.actor,
        verb: { id: 'http://adlnet.gov/expapi/verbs/completed' },
        object: { id: launch.activityId },
        result: { completion: true, duration: 'PT1S' },
        context: {
          ...launch.contextTemplate,
          registration: launch.registration,
          contextActivities: {
            ...(launch.contextTemplate.contextActivities as object),
            category: [
              { id: 'https://w3id.org/xapi/cmi5/context/categories/cmi5' },
              { id: 'https://w3id.org/xapi/cmi5/context/categories/moveon' },
            ],
          },
        },
      };
      const res = await fetch(`${strict.endpoint}statements`, {
        method: 'POST',
        headers: {
          Authorization: `Basic ${t}`,
          'X-Experience-API-Version': '1.0.3',
          'Content-Type': 'application/json',
        },
        body: JSON.stringify(completed),
      });
      expect(res.status).toBe(400);
      expect((await res.json()).violations).toEqual([expect.objectContaining({ rule: '9.3.2' })]);
      expect(strict.auStatements(launch.registration)).toEqual([]);
    } finally {
      await strict.close();
    }
  });
});
