import { Hono } from 'hono';
import { authenticate } from '../auth/authenticate.js';
import { requireRole } from '../auth/permissions.js';
import { cursorText, parseCursor } from '../db/keyset.js';
import { GatekeeperError } from '../errors.js';
import { type AppEnv, principalOf, type RouteDeps } from '../http/app-types.js';
import { limitBody } from '../http/body-limit.js';
import { jsonBody } from '../http/json-body.js';
import { queryTime } from '../http/query-time.js';
import { ingestCors } from './cors.js';
import { ingestStatements } from './ingest-statements.js';
import type { SessionAuth } from './session-auth.js';
import { queryStatements } from './statement-query.js';
import { createStatementStore } from './statement-store.js';
import { VERSION } from './xapi-formats.js';

/** Largest statements request: a batch of a few hundred statements with room to spare. */
export const STATEMENTS_BODY_LIMIT = 1024 * 1024;
const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 500;
const NOT_JSON = 'Send a JSON statement or array of statements';

function sessionFromAgent(agent: string | undefined): string | undefined {
  if (!agent) return undefined;
  try {
    const name = (JSON.parse(agent) as { account?: { name?: unknown } }).account?.name;
    if (typeof name === 'string') return name;
  } catch {}
  throw new GatekeeperError('invalid_request', 'agent must be an anonymous account as JSON');
}

/**
 * `/xapi/statements`: the LRS resource for anonymous sessions. Writes (`POST`, `PUT`) take the
 * session token; reads (`GET`) take an org API key and see only that org's statements.
 */
export function statementRoutes(deps: RouteDeps & { sessionAuth: SessionAuth }) {
  const app = new Hono<AppEnv>();
  const store = createStatementStore(deps.db);
  const homePage = deps.config.publicUrl;

  app.use('*', ingestCors(deps));
  app.use('*', async (c, next) => {
    c.header('x-experience-api-version', '1.0.3');
    if (c.req.method === 'GET') return next();
    // The header takes what a statement's `version` takes: 1.0 (that is, 1.0.0), 1.0.x or 2.0.x.
    if (!VERSION.test(c.req.header('x-experience-api-version') ?? ''))
      throw new GatekeeperError('invalid_request', 'X-Experience-API-Version must be 1.0, 1.0.x or 2.0.x');
    return next();
  });
  app.use('*', limitBody(STATEMENTS_BODY_LIMIT));

  app.post('/', async (c) => {
    const session = await deps.sessionAuth(c.req.header('authorization'));
    const body = await jsonBody(c, NOT_JSON);
    const ids = await ingestStatements({ store, session, homePage, body, now: deps.now().getTime() });
    return c.json(ids, 200);
  });

  app.put('/', async (c) => {
    const session = await deps.sessionAuth(c.req.header('authorization'));
    const statementId = c.req.query('statementId');
    if (!statementId) throw new GatekeeperError('invalid_request', 'statementId is required');
    const body = await jsonBody(c, NOT_JSON);
    if (typeof body !== 'object' || body === null || Array.isArray(body))
      throw new GatekeeperError('invalid_request', 'PUT takes one statement');
    const statement = body as { id?: unknown };
    if (statement.id !== undefined && statement.id !== statementId)
      throw new GatekeeperError('invalid_request', 'The statement id differs from statementId');
    await ingestStatements({
      store,
      session,
      homePage,
      body: { ...statement, id: statementId },
      now: deps.now().getTime(),
    });
    return c.body(null, 204);
  });

  app.get('/', authenticate(deps), requireRole('statements:read'), async (c) => {
    const { orgId } = principalOf(c);
    const q = c.req.query();
    const limit = q.limit === undefined || q.limit === '0' ? DEFAULT_LIMIT : Number(q.limit);
    if (!Number.isInteger(limit) || limit < 0)
      throw new GatekeeperError('invalid_request', 'limit must be a non-negative integer');
    const after = parseCursor(q.after, 'after');
    const consistentThrough = deps.now().toISOString();
    const sessionId = q.session ?? sessionFromAgent(q.agent);
    const page = await queryStatements(deps.db, {
      orgId,
      limit: Math.min(limit, MAX_LIMIT),
      ascending: q.ascending === 'true',
      ...(q.statementId ? { statementId: q.statementId } : {}),
      ...(q.course ? { courseId: q.course } : {}),
      ...(sessionId ? { sessionId } : {}),
      ...(q.verb ? { verb: q.verb } : {}),
      ...(q.since ? { since: queryTime(q.since, 'since') } : {}),
      ...(q.until ? { until: queryTime(q.until, 'until') } : {}),
      ...(after === undefined ? {} : { after }),
    });
    c.header('x-experience-api-consistent-through', consistentThrough);
    if (q.statementId) {
      const found = page.statements[0];
      if (!found) throw new GatekeeperError('statement_not_found', 'No such statement');
      return c.json(found, 200);
    }
    let more = '';
    if (page.next !== undefined) {
      const params = new URLSearchParams(
        Object.entries(q).filter(([k]) => k !== 'after' && k !== 'cachebuster'),
      );
      params.set('after', cursorText(page.next));
      more = `${new URL(c.req.url).pathname}?${params}`;
    }
    return c.json({ statements: page.statements, more }, 200);
  });

  return app;
}
