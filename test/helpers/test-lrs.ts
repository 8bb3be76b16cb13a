import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo, Socket } from 'node:net';

const validate = (createRequire(import.meta.url)('xapi-validation') as { default: (s: unknown) => unknown[] })
  .default;

type Json = Record<string, unknown>;

/** Key order does not make two statements different. */
const canonical = (v: unknown): string =>
  JSON.stringify(v, (_k, x) =>
    x && typeof x === 'object' && !Array.isArray(x)
      ? Object.fromEntries(Object.entries(x as Json).sort(([a], [b]) => a.localeCompare(b)))
      : x,
  );

/**
 * An LRS on loopback that holds forwarders to xAPI 1.0.3 (xAPI-Communication.md 2.1, "Statement
 * Resource"): every request must carry `X-Experience-API-Version: 1.0.x` (else 400) and the Basic
 * credentials given (else 401); every statement must pass Learning Locker's `xapi-validation` (else 400,
 * and the batch is not stored). `POST /statements` stores a batch atomically and answers `200` with its
 * ids, or `409` when any id is already stored; `PUT /statements?statementId=` answers `204`, or `409`
 * when the id is stored (`mismatches` counts a 409 whose statement differs from the stored one). `stop()`
 * and `start()` take it down and bring it back on the same port.
 */
export async function startTestLrs(options: { username: string; password: string }) {
  const stored = new Map<string, Json>();
  const refused: { status: number; why: string }[] = [];
  let mismatches = 0;
  let requests = 0;
  const expected = `Basic ${Buffer.from(`${options.username}:${options.password}`).toString('base64')}`;
  const sockets = new Set<Socket>();

  const answer = (res: ServerResponse, status: number, body?: unknown, why = '') => {
    if (status >= 400) refused.push({ status, why });
    res.writeHead(status, {
      'x-experience-api-version': '1.0.3',
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    });
    res.end(body === undefined ? undefined : JSON.stringify(body));
  };

  const handle = (req: IncomingMessage, res: ServerResponse, raw: string) => {
    requests++;
    const url = new URL(req.url ?? '/', 'http://lrs');
    const version = req.headers['x-experience-api-version'];
    if (typeof version !== 'string' || !/^1\.0(\.\d+)?$/.test(version))
      return answer(res, 400, undefined, `version header ${String(version)}`);
    if (req.headers.authorization !== expected) return answer(res, 401, undefined, 'credentials');
    if (url.pathname !== '/xapi/statements') return answer(res, 404, undefined, url.pathname);
    if (!String(req.headers['content-type']).startsWith('application/json'))
      return answer(res, 400, undefined, 'content-type');
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      return answer(res, 400, undefined, 'not JSON');
    }
    const list = (Array.isArray(body) ? body : [body]) as Json[];
    for (const s of list) {
      const errors = validate(s);
      if (errors.length)
        return answer(res, 400, undefined, `invalid: ${String(errors[0])} in ${canonical(s)}`);
    }
    if (req.method === 'PUT') {
      const id = url.searchParams.get('statementId');
      const s = list[0];
      if (!id || list.length !== 1 || !s || (s.id !== undefined && s.id !== id))
        return answer(res, 400, undefined, 'statementId');
      const had = stored.get(id);
      if (had) {
        if (canonical(had) !== canonical({ ...s, id })) mismatches++;
        return answer(res, 409);
      }
      stored.set(id, { ...s, id });
      return answer(res, 204);
    }
    if (req.method !== 'POST') return answer(res, 405, undefined, String(req.method));
    const ids = list.map((s) => (typeof s.id === 'string' ? s.id : crypto.randomUUID()));
    if (new Set(ids).size !== ids.length) return answer(res, 400, undefined, 'an id twice in a batch');
    const conflicts = ids.filter((id, i) => {
      const had = stored.get(id);
      if (had && canonical(had) !== canonical({ ...list[i], id })) mismatches++;
      return had !== undefined;
    });
    if (conflicts.length) return answer(res, 409);
    for (const [i, s] of list.entries()) stored.set(ids[i]!, { ...s, id: ids[i] });
    return answer(res, 200, ids);
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handle(req, res, Buffer.concat(chunks).toString('utf8')));
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;

  const stop = async () => {
    if (!server.listening) return;
    const closed = once(server, 'close');
    server.close();
    for (const s of sockets) s.destroy();
    await closed;
  };
  return {
    /** The xAPI base URL a forwarder is given. */
    url: `http://127.0.0.1:${port}/xapi`,
    stored,
    /** Every request answered 4xx, with why (a forwarder doing its job has none but 409s). */
    refused,
    mismatches: () => mismatches,
    requests: () => requests,
    stop,
    async start() {
      server.listen(port, '127.0.0.1');
      await once(server, 'listening');
    },
    close: stop,
  };
}

export type TestLrs = Awaited<ReturnType<typeof startTestLrs>>;
