import { randomUUID } from 'node:crypto';
import { type Context, Hono } from 'hono';
import { cors } from 'hono/cors';
import { checkCmi5Rules } from './rules.js';
import {
  type Cmi5Launch,
  type Cmi5Store,
  profileKey,
  type RecordedRequest,
  type Statement,
  stateKey,
} from './store.js';

const LAUNCH_DATA = 'LMS.LaunchData';

/**
 * The LMS's HTTP side: the one-time fetch URL (spec §8.2) and a small LRS (xAPI 1.0.3 statements,
 * activities/state, agents/profile) that accepts only tokens the fetch URL handed out.
 */
export function createCmi5LmsApp(store: Cmi5Store, now: () => Date, options: { strict?: boolean } = {}) {
  // AUs join `endpoint` and resource names with their own slash (ADL's cmi5.js sends `/xapi//statements`).
  const app = new Hono<{ Variables: { launch?: Cmi5Launch; auth: RecordedRequest['auth'] } }>({
    getPath: (req) => new URL(req.url).pathname.replace(/\/{2,}/g, '/'),
  });

  app.use(
    '*',
    cors({
      origin: (origin) => origin,
      allowMethods: ['GET', 'POST', 'PUT', 'DELETE'],
      allowHeaders: ['Authorization', 'Content-Type', 'X-Experience-API-Version'],
      exposeHeaders: ['X-Experience-API-Version'],
    }),
  );

  // Every request is recorded for assertions, after it was answered.
  app.use('*', async (c, next) => {
    if (c.req.method === 'OPTIONS') return next();
    const text = c.req.method === 'GET' || c.req.method === 'DELETE' ? '' : await c.req.text();
    c.set('auth', 'missing');
    await next();
    let body: unknown = text || undefined;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {}
    store.requests.push({
      method: c.req.method,
      path: c.req.path,
      query: c.req.query(),
      auth: c.get('auth'),
      status: c.res.status,
      body,
      sessionId: c.get('launch')?.sessionId,
    });
  });

  // §8.2: always 200 with JSON; the auth-token once, an error object afterwards.
  app.post('/fetch/:key', (c) => {
    const entry = store.fetchKeys.get(c.req.param('key'));
    if (!entry) return c.json({ 'error-code': '2', 'error-text': 'Unknown fetch URL.' });
    if (entry.used)
      return c.json({
        'error-code': '1',
        'error-text': 'The authorization token has already been returned.',
      });
    entry.used = true;
    const token = Buffer.from(`au:${randomUUID()}`).toString('base64');
    store.tokens.set(token, entry.launch);
    return c.json({ 'auth-token': token });
  });

  app.get('/return', (c) => c.html('<!doctype html><title>LMS</title><h1>Back in the LMS</h1>'));

  const xapi = new Hono<{ Variables: { launch?: Cmi5Launch; auth: RecordedRequest['auth'] } }>();
  xapi.use('*', async (c, next) => {
    const header = c.req.header('authorization') ?? '';
    const launch = store.tokens.get(header.replace(/^Basic /, ''));
    c.set('auth', header ? (launch ? 'ok' : 'invalid') : 'missing');
    if (!launch) return c.json({ error: 'a token from the fetch URL is required' }, 401);
    c.set('launch', launch);
    if (!c.req.header('x-experience-api-version')) return c.json({ error: 'X-Experience-API-Version' }, 400);
    await next();
    c.header('X-Experience-API-Version', '1.0.3');
  });

  const store1 = (s: Statement) => {
    store.statements.push({ statement: s, by: 'au', stored: now().toISOString() });
  };
  const invalid = (s: Statement) => !s?.actor || !s.verb?.id || !s.object?.id;
  // Strict: reject what breaks a MUST of §9, as spec §6.3 says an LMS should (sessions count as open).
  const violations = (launch: Cmi5Launch, list: Statement[]) => {
    if (!options.strict) return [];
    const launches = store.launches.filter((l) => l.registration === launch.registration);
    const earlier = store.statements
      .filter((x) => x.by === 'au' && x.statement.context?.registration === launch.registration)
      .map((x) => x.statement);
    const ids = new Set(list.map((s) => s.id));
    return checkCmi5Rules([...earlier, ...list], launches, { open: launches.map((l) => l.sessionId) }).filter(
      (v) => v.level === 'must' && v.statementId !== undefined && ids.has(v.statementId),
    );
  };

  xapi.post('/statements', async (c) => {
    const body = await c.req.json();
    const list = (Array.isArray(body) ? body : [body]) as Statement[];
    if (list.some(invalid)) return c.json({ error: 'actor, verb and object are required' }, 400);
    for (const s of list) s.id ??= randomUUID();
    if (list.some((s) => store.statements.some((x) => x.statement.id === s.id)))
      return c.json({ error: 'statement id already stored' }, 409);
    const broken = violations(c.get('launch') as Cmi5Launch, list);
    if (broken.length) return c.json({ error: 'cmi5 rules broken', violations: broken }, 400);
    list.forEach(store1);
    return c.json(list.map((s) => s.id));
  });

  xapi.put('/statements', async (c) => {
    const s = (await c.req.json()) as Statement;
    const id = c.req.query('statementId');
    if (!id || invalid(s) || (s.id && s.id !== id)) return c.json({ error: 'bad statement' }, 400);
    if (store.statements.some((x) => x.statement.id === id)) return c.json({ error: 'conflict' }, 409);
    const broken = violations(c.get('launch') as Cmi5Launch, [{ ...s, id }]);
    if (broken.length) return c.json({ error: 'cmi5 rules broken', violations: broken }, 400);
    store1({ ...s, id });
    return c.body(null, 204);
  });

  xapi.get('/statements', (c) => {
    const q = c.req.query();
    if (q.statementId) {
      const found = store.statements.find((x) => x.statement.id === q.statementId);
      return found ? c.json(found.statement) : c.json({ error: 'not found' }, 404);
    }
    let list = store.statements.map((x) => x.statement);
    if (q.registration) list = list.filter((s) => s.context?.registration === q.registration);
    if (q.verb) list = list.filter((s) => s.verb.id === q.verb);
    if (q.activity) list = list.filter((s) => s.object.id === q.activity);
    const limit = Number(q.limit) || list.length;
    return c.json({ statements: list.slice(-limit).reverse(), more: '' });
  });

  const doc = (c: Context, key: string | undefined, writable: boolean) => {
    if (!key) return c.json({ error: 'missing document parameters' }, 400);
    return documentRoute(c, store, key, writable);
  };
  xapi.on(['GET', 'PUT', 'POST', 'DELETE'], '/activities/state', (c) => {
    const q = c.req.query() as Record<string, string>;
    if (!q.activityId || !q.agent || !q.stateId) return doc(c, undefined, false);
    // §10.2.1: the AU must not modify or delete LMS.LaunchData.
    return doc(c, stateKey(q as Parameters<typeof stateKey>[0]), q.stateId !== LAUNCH_DATA);
  });
  xapi.on(['GET', 'PUT', 'POST', 'DELETE'], '/agents/profile', (c) => {
    const q = c.req.query();
    return doc(c, q.agent && q.profileId ? profileKey(q.agent, q.profileId) : undefined, true);
  });

  app.route('/xapi', xapi);
  return app;
}

/** GET/PUT/POST/DELETE of one JSON document; POST merges objects as xAPI requires. */
async function documentRoute(c: Context, store: Cmi5Store, key: string, writable: boolean) {
  const current = store.documents.get(key);
  if (c.req.method === 'GET') {
    if (current === undefined) return c.json({ error: 'not found' }, 404);
    return c.body(current, 200, { 'Content-Type': 'application/json' });
  }
  if (!writable) return c.json({ error: 'read-only document' }, 403);
  if (c.req.method === 'DELETE') {
    store.documents.delete(key);
    return c.body(null, 204);
  }
  const text = await c.req.text();
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return c.json({ error: 'JSON documents only' }, 400);
  }
  if (c.req.method === 'POST' && current !== undefined) {
    const old = JSON.parse(current);
    const isObject = (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v);
    if (!isObject(old) || !isObject(value)) return c.json({ error: 'POST merges JSON objects only' }, 400);
    value = { ...old, ...(value as object) };
  }
  store.documents.set(key, JSON.stringify(value));
  return c.body(null, 204);
}
