import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LaunchErrorCode } from '../../protocol/errors.js';
import type { Handler } from './serve.js';

/** One request as a server saw it: everything a learner's browser could have leaked into. */
export interface RecordedRequest {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Wraps a handler so every request (method, URL, headers, body) is kept in `log` before it is answered. */
export function recording(log: RecordedRequest[], inner?: Handler): Handler {
  return async (req, res) => {
    const body = req.method === 'GET' || req.method === 'HEAD' ? '' : await readBody(req);
    log.push({ method: req.method ?? '', url: req.url ?? '', headers: { ...req.headers }, body });
    (req as IncomingMessage & { bodyText?: string }).bodyText = body;
    return inner ? inner(req, res) : false;
  };
}

export interface LaunchTarget {
  contentUrl: string;
  contentBase?: string;
}

/**
 * A stand-in for the Gatekeeper's `POST /v1/launch`, CORS open, no credentials.
 * Tokens `deny:<code>` are refused with that code; tokens registered with `allow` launch; while `down` is
 * true every connection is cut, which the browser sees as a network failure; while `held` is pending,
 * every answer waits for it.
 */
export function createFakeLaunch() {
  const requests: RecordedRequest[] = [];
  const targets = new Map<string, LaunchTarget>();
  let sessions = 0;
  // While `held` is set, launch answers wait for it (a slow Gatekeeper, to see what the browser does meanwhile).
  const state: { down: boolean; held?: Promise<void> | undefined } = { down: false };
  const send = (res: ServerResponse, status: number, body?: unknown) => {
    res.writeHead(status, {
      'access-control-allow-origin': '*',
      'access-control-allow-methods': 'POST',
      'access-control-allow-headers': 'content-type',
      'content-type': 'application/json',
    });
    res.end(body === undefined ? '' : JSON.stringify(body));
    return true;
  };
  const handler = recording(requests, async (req, res) => {
    await state.held;
    if (state.down) {
      req.socket.destroy();
      return true;
    }
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path !== '/v1/launch')
      return send(res, 404, { error: { code: 'route_not_found', message: 'Not found' } });
    if (req.method === 'OPTIONS') return send(res, 204);
    let token = '';
    try {
      token = String(JSON.parse((req as IncomingMessage & { bodyText?: string }).bodyText ?? '').token ?? '');
    } catch {
      return send(res, 400, { error: { code: 'invalid_request', message: 'Body must be JSON' } });
    }
    if (token.startsWith('deny:')) {
      const code = token.slice(5) as LaunchErrorCode;
      return send(res, code === 'rate_limited' ? 429 : 403, { error: { code, message: `refused: ${code}` } });
    }
    const target = targets.get(token);
    if (!target) return send(res, 403, { error: { code: 'token_invalid', message: 'Unknown token' } });
    sessions++;
    const session = { id: `s${sessions}`, token: `session-${sessions}`, expiresAt: '2030-01-01T00:00:00Z' };
    return send(res, 200, { session, ...target });
  });
  return {
    handler,
    requests,
    state,
    allow(token: string, target: LaunchTarget) {
      targets.set(token, target);
    },
    /** Launch requests only (the preflights are in `requests` too). */
    launches: () => requests.filter((r) => r.method === 'POST'),
  };
}
