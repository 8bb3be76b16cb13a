import type { AddressInfo } from 'node:net';
import { type HttpBindings, serve } from '@hono/node-server';
import { Hono } from 'hono';
import { cors } from 'hono/cors';
import type { BrowserContext } from 'playwright-core';
import type { ErrorBatch, ErrorReport } from '../../protocol/telemetry.js';

/** Keys an actor must never carry (docs/telemetry.md, "Statements"): they identify a person. */
const PII_KEYS = ['mbox', 'mbox_sha1sum', 'openid', 'name'];

export interface IngestSession {
  id: string;
  token: string;
}

export interface IngestRequest {
  path: string;
  authorization: string | undefined;
  version: string | undefined;
  /** Raw body text, for searching what left the browser. */
  body: string;
  status: number;
}

type Json = Record<string, unknown>;

/**
 * A stand-in for the Gatekeeper ingest with the same contract (docs/telemetry.md, "Gatekeeper ingest and
 * records"): `Authorization: Bearer <session token>`, `POST /xapi/statements` (one statement or an array,
 * `X-Experience-API-Version` 1.0.x or 2.0.x, actor = that session's anonymous account, PII → `400
 * pii_not_accepted`, same id same body → stored once, same id other body → 409) and `POST /v1/errors`
 * (reports deduped by id). Records every request. `reachable = false` makes it drop connections unanswered.
 * @example
 * const ingest = createIngestStub({ homePage, sessions: [{ id: 's1', token: 't1' }], allowOrigins: [content] });
 * const { origin, close } = await ingest.listen('localhost');
 */
export function createIngestStub(options: {
  /** The actor account homePage statements must name. Default: the origin it listens on. */
  homePage?: string;
  sessions: IngestSession[];
  /** Origins allowed by CORS (the content origin of a gated launch). */
  allowOrigins?: string[];
}) {
  const sessions = new Map(options.sessions.map((s) => [s.token, s.id]));
  const statements = new Map<string, { body: string; statement: Json }>();
  const reports = new Map<string, ErrorReport>();
  const requests: IngestRequest[] = [];
  let homePage = options.homePage ?? '';
  let conflicts = 0;
  let reachable = true;
  let lose = 0;

  const app = new Hono<{ Bindings: HttpBindings }>();
  app.use(
    '*',
    cors({
      origin: options.allowOrigins ?? [],
      allowMethods: ['POST', 'PUT', 'GET'],
      allowHeaders: ['authorization', 'content-type', 'x-experience-api-version'],
    }),
  );
  const fail = (status: 400 | 401 | 409, code: string, message: string) =>
    Response.json({ error: { code, message } }, { status });

  app.post('*', async (c, next) => {
    if (!reachable) {
      c.env?.incoming?.socket.destroy();
      return new Response(null, { status: 599 });
    }
    const record: IngestRequest = {
      path: c.req.path,
      authorization: c.req.header('authorization'),
      version: c.req.header('x-experience-api-version'),
      body: await c.req.text(),
      status: 0,
    };
    requests.push(record);
    await next();
    record.status = c.res.status;
  });

  const sessionOf = (auth: string | undefined) => sessions.get(auth?.replace(/^Bearer /, '') ?? '');

  app.post('/xapi/statements', async (c) => {
    const sessionId = sessionOf(c.req.header('authorization'));
    if (!sessionId) return fail(401, 'unauthorized', 'missing or unknown session token');
    if (!/^(1\.0(\.\d+)?|2\.0\.\d+)$/.test(c.req.header('x-experience-api-version') ?? ''))
      return fail(400, 'invalid_request', 'X-Experience-API-Version must be 1.0, 1.0.x or 2.0.x');
    const raw = (await c.req.json()) as Json | Json[];
    const batch = Array.isArray(raw) ? raw : [raw];
    for (const s of batch) {
      const actor = (s.actor ?? {}) as Json;
      if (PII_KEYS.some((k) => k in actor)) return fail(400, 'pii_not_accepted', 'actor must be anonymous');
      const account = (actor.account ?? {}) as Json;
      if (actor.objectType !== 'Agent' || account.homePage !== homePage || account.name !== sessionId)
        return fail(400, 'invalid_request', 'actor must be this session’s anonymous account');
      if (typeof s.id !== 'string' || !/^[0-9a-f-]{36}$/.test(s.id))
        return fail(400, 'invalid_request', 'statement id must be a UUID');
      const known = statements.get(s.id);
      if (known && known.body !== JSON.stringify(s)) {
        conflicts++;
        return fail(409, 'statement_conflict', `statement ${s.id} exists with another body`);
      }
    }
    for (const s of batch)
      if (!statements.has(s.id as string))
        statements.set(s.id as string, { body: JSON.stringify(s), statement: s });
    return c.json(batch.map((s) => s.id));
  });

  app.post('/v1/errors', async (c) => {
    if (!sessionOf(c.req.header('authorization')))
      return fail(401, 'unauthorized', 'missing or unknown session token');
    const { errors } = (await c.req.json()) as ErrorBatch;
    if (!Array.isArray(errors)) return fail(400, 'invalid_request', 'expected { errors: [...] }');
    for (const r of errors) if (!reports.has(r.id)) reports.set(r.id, r);
    return c.json({ accepted: errors.length });
  });

  return {
    app,
    /** false: connections are dropped without an answer (a fetch rejects) and nothing is recorded. */
    setReachable(v: boolean) {
      reachable = v;
    },
    addSession(s: IngestSession) {
      sessions.set(s.token, s.id);
    },
    requests,
    /** Statements stored, one per id, in arrival order. */
    statements: () => [...statements.values()].map((v) => v.statement),
    conflicts: () => conflicts,
    reports: () => [...reports.values()],
    /** Occurrences per scrubbed message, summed over reports (what the Gatekeeper groups by fingerprint). */
    errorCounts(): Record<string, number> {
      const out: Record<string, number> = {};
      for (const r of reports.values()) out[r.message] = (out[r.message] ?? 0) + r.count;
      return out;
    },
    /**
     * A `fetch` that calls the app in-process (for happy-dom unit tests): rejects like a network error
     * while unreachable; `loseResponses` stores the request but loses its answer (a retry must not duplicate).
     */
    fetch: (async (input: RequestInfo | URL, init?: RequestInit) => {
      if (!reachable) throw new TypeError('Failed to fetch');
      const res = await app.request(String(input), init);
      if (lose > 0) {
        lose--;
        throw new TypeError('Failed to fetch (response lost)');
      }
      return res;
    }) as typeof fetch,
    loseResponses(n: number) {
      lose = n;
    },
    /** Serves the app on a loopback host; the actor homePage defaults to the resulting origin. */
    async listen(host = '127.0.0.1') {
      const { server, port } = await new Promise<{ server: ReturnType<typeof serve>; port: number }>(
        (done) => {
          const s = serve({ fetch: app.fetch, port: 0, hostname: host }, (info: AddressInfo) =>
            done({ server: s, port: info.port }),
          );
        },
      );
      const origin = `http://${host}:${port}`;
      homePage ||= origin;
      return {
        origin,
        close: () =>
          new Promise<void>((done) => {
            (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
            server.close(() => done());
          }),
      };
    },
  };
}

/**
 * Makes the ingest unreachable for every page of a browser context, as a network outage would:
 * requests to `origin` are aborted before they leave Chromium. Resolves to the function that undoes it.
 */
export async function blockIngest(context: BrowserContext, origin: string): Promise<() => Promise<void>> {
  const pattern = `${origin}/**`;
  await context.route(pattern, (route) => route.abort('internetdisconnected'));
  return () => context.unroute(pattern);
}
