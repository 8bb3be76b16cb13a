import { describe, expect, it } from 'vitest';
import { ingestSetup, errorReport as report } from './ingest-setup.js';

type Json = Record<string, unknown>;

describe('POST /v1/errors with a session token', () => {
  it('groups reports by fingerprint per course and deployment, counting each report id once', async () => {
    const s = await ingestSetup();
    const [one, two] = [await s.launch(), await s.launch()];
    const send = (token: string, errors: unknown[]) =>
      s.t.call('POST', '/v1/errors', { body: { errors }, headers: { authorization: `Bearer ${token}` } });
    const first = report({ count: 3 });
    expect((await send(one.token, [first, report({ count: 2 })])).status).toBe(200);
    expect((await send(one.token, [first])).status).toBe(200); // a retry adds nothing
    expect((await send(two.token, [report({ id: first.id, count: 4 })])).status).toBe(200);
    expect((await send(two.token, [report({ fingerprint: 'other', message: 'B' })])).status).toBe(200);
    const res = await s.t.call('GET', `/v1/courses/${s.course.id}/errors`, { key: s.a.owner.key });
    const { errors } = (await res.json()) as { errors: Json[] };
    expect(errors.map((e) => [e.fingerprint, e.count, e.deploymentId])).toEqual([
      ['abc123', 9, s.deployment.id],
      ['other', 1, s.deployment.id],
    ]);
    expect(errors[0]).toMatchObject({
      firstAt: '2026-03-01T11:59:00.000Z',
      lastAt: '2026-03-01T11:59:30.000Z',
    });
  });

  it('scrubs emails in any script and raw JSON in a query, and keeps Firefox stack frames', async () => {
    const { scrubText } = await import('../../gatekeeper/ingest/scrub.js');
    expect(scrubText('Failed for jane@exämple.com')).toBe('Failed for [email]');
    expect(scrubText('user jane@localhost and jane＠example.com')).toBe('user [email] and [email]');
    expect(scrubText('GET https://lms.example.com/launch.html?actor={"name":"Jane Doe"} failed')).toBe(
      'GET https://lms.example.com/launch.html failed',
    );
    expect(scrubText('onClick@https://cdn.test/app.js:10:5')).toBe('onClick@https://cdn.test/app.js:10:5');
  });

  it('keeps file names and line:column of stack frames, and still removes opaque secrets', async () => {
    const { scrubText } = await import('../../gatekeeper/ingest/scrub.js');
    // A content URL is one long run of URL-safe characters: it used to come back as `[token].js:12:34`.
    const frames = [
      'at boom (https://content.example.test/courses/org_1/intro/dep_0b6f2c3e-1111-4222-8333-444455556666/assets/app-3f9a8b7c.js?v=3:12:34)',
      'boom@http://127.0.0.1:4321/courses/org_abc/my-course/dep_0b6f2c3e-1111-4222-8333-444455556666/app.js:10:5',
    ];
    expect(frames.map((f) => scrubText(f))).toEqual([
      'at boom (https://content.example.test/courses/org_1/intro/dep_0b6f2c3e-1111-4222-8333-444455556666/assets/app-3f9a8b7c.js:12:34)',
      'boom@http://127.0.0.1:4321/courses/org_abc/my-course/dep_0b6f2c3e-1111-4222-8333-444455556666/app.js:10:5',
    ]);
    const secret = 'c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0/c2VjcmV0LXNlY3JldA';
    expect(scrubText(`key ${secret} refused`)).toBe('key [token] refused');
    expect(scrubText(`at https://cdn.test/${'a1B2'.repeat(20)}/app.js:1:2`)).toBe(
      'at https://cdn.test/[token]/app.js:1:2',
    );
  });

  it('stores error text scrubbed again, whatever the sender did', async () => {
    const s = await ingestSetup();
    const session = await s.launch();
    const raw = report({
      message: 'Failed for jane@example.com at https://lms.test/launch?actor=Jane%20Doe&token=s3cr3t#frag',
      stack: 'Error: x\n    at f (https://lms.test/app.js?session=s1:10:5)\n    at g (jane%40example.com)',
      page: '/course/index.html?endpoint=https://lrs.test&auth=Basic%20xyz',
      code: 'lms_call_failed',
    });
    const res = await s.t.call('POST', '/v1/errors', {
      body: { errors: [raw] },
      headers: { authorization: `Bearer ${session.token}` },
    });
    expect(res.status).toBe(200);
    const text = await (
      await s.t.call('GET', `/v1/courses/${s.course.id}/errors?format=ndjson`, { key: s.a.owner.key })
    ).text();
    const [row] = text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Json);
    expect(row?.message).toBe('Failed for [email] at https://lms.test/launch');
    expect(row?.url).toBe('/course/index.html');
    expect(row?.stack).toBe('Error: x\n    at f (https://lms.test/app.js:10:5)\n    at g ([email])');
    for (const secret of ['jane', 'Jane', 'actor=', 'token=', 's3cr3t', 'frag', 'xyz', 'session='])
      expect(text).not.toContain(secret);
  });

  it('refuses reports without a session token or of the wrong shape', async () => {
    const s = await ingestSetup();
    const session = await s.launch();
    expect((await s.t.call('POST', '/v1/errors', { body: { errors: [report()] } })).status).toBe(401);
    const bad = await s.t.call('POST', '/v1/errors', {
      body: { errors: [{ message: 'x' }] },
      headers: { authorization: `Bearer ${session.token}` },
    });
    expect(bad.status).toBe(400);
  });
});

describe('GET /v1/courses/:id/launches|errors|completions', () => {
  it('filters, pages with a cursor and exports CSV with a header row and NDJSON lines that parse', async () => {
    const s = await ingestSetup();
    for (let i = 0; i < 5; i++) await s.launch();
    await s.t.call('POST', '/v1/launch', { body: { token: 'bad', standard: 'scorm12' } });
    const get = (q: string) =>
      s.t.call('GET', `/v1/courses/${s.course.id}/launches${q}`, { key: s.a.owner.key });
    const first = (await (await get('?limit=2')).json()) as { launches: Json[]; next: string };
    expect(first.launches).toHaveLength(2);
    const second = (await (await get(`?limit=2&cursor=${first.next}`)).json()) as { launches: Json[] };
    expect(second.launches[0]?.id).not.toBe(first.launches[1]?.id);
    const all = (await (await get(`?license=${s.license.id}&code=ok`)).json()) as {
      launches: Json[];
      next: null;
    };
    expect(all.launches).toHaveLength(5);
    expect(all.next).toBeNull();
    expect(all.launches[0]).toMatchObject({ allowed: true, reason: 'ok', clientName: 'Client LMS' });
    const later = (await (await get('?since=2030-01-01T00:00:00Z')).json()) as { launches: Json[] };
    expect(later.launches).toEqual([]);

    const csv = await get('?format=csv');
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const lines = (await csv.text()).trim().split('\r\n');
    expect(lines[0]).toBe('id,at,allowed,reason,detail,licenseId,clientName,origin,standard,sessionId');
    expect(lines).toHaveLength(6);
    const nd = await (await get('?format=ndjson')).text();
    const rows = nd
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Json);
    expect(rows.map((r) => r.sessionId)).toEqual(all.launches.map((r) => r.sessionId));
    expect((await get('?format=xml')).status).toBe(400);
  });

  it('pages the latest first with order=newest, the cursor walking back through every row once', async () => {
    const s = await ingestSetup();
    for (let i = 0; i < 5; i++) await s.launch();
    const get = (q: string) =>
      s.t.call('GET', `/v1/courses/${s.course.id}/launches${q}`, { key: s.a.owner.key });
    const oldest = (await (await get('')).json()) as { launches: Json[] };
    const ids = oldest.launches.map((r) => r.id as number);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    const seen: number[] = [];
    let cursor = '';
    do {
      const page = (await (await get(`?order=newest&limit=2${cursor}`)).json()) as {
        launches: Json[];
        next: string | null;
      };
      seen.push(...page.launches.map((r) => r.id as number));
      cursor = page.next ? `&cursor=${page.next}` : '';
    } while (cursor);
    expect(seen).toEqual([...ids].reverse());
    const empty = await get('?limit=0');
    expect(empty.status).toBe(400);
    // Not a calendar date: refused, where Date.parse alone would read March 2nd.
    for (const q of ['?since=2026-02-30', '?until=2026-13-01T00:00:00Z', '?since=yesterday'])
      expect((await get(q)).status, q).toBe(400);
    expect((await get('?since=2026-02-28')).status).toBe(200);
    const lrs = await s.t.call('GET', '/xapi/statements?since=2026-02-30T00:00:00Z', { key: s.a.owner.key });
    expect(lrs.status).toBe(400);
    const bad = await get('?order=random');
    expect([bad.status, ((await bad.json()) as { error: { code: string } }).error.code]).toEqual([
      400,
      'invalid_request',
    ]);
  });
});
