import { STATUS_CODES } from 'node:http';
import { PackagerError } from '../errors.js';

type Chained = { name?: string; code?: unknown; cause?: unknown; errors?: unknown; message?: string };

/** The error and its causes, outermost first (undici's `fetch failed` keeps the system error as `cause`). */
function chain(err: unknown): Chained[] {
  const out: Chained[] = [];
  let e: unknown = err;
  while (typeof e === 'object' && e !== null && out.length < 8 && !out.includes(e as Chained)) {
    out.push(e as Chained);
    const c = e as Chained;
    // Connecting to every address of a name (`localhost`: ::1 and 127.0.0.1) fails as an AggregateError.
    e = c.cause ?? (Array.isArray(c.errors) ? c.errors[0] : undefined);
  }
  return out;
}

/**
 * The system or undici code of a failure (`ECONNREFUSED`, `ENOTFOUND`, `UND_ERR_SOCKET`,
 * `CERT_HAS_EXPIRED`…), wherever it sits in the `cause` chain; our own `PackagerError` codes are not one.
 */
export function failureCode(err: unknown): string | undefined {
  for (const e of chain(err))
    if (!(e instanceof PackagerError) && typeof e.code === 'string' && e.code) return e.code;
  return undefined;
}

/** Certificate and handshake failures: Node's `ERR_TLS_*` / `ERR_SSL_*` and OpenSSL's verify codes. */
export function isTlsCode(code: string): boolean {
  return /^(ERR_TLS_|ERR_SSL_|ERR_OSSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|HOSTNAME_MISMATCH)/.test(
    code,
  );
}

const WORDS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ECONNABORTED: 'connection aborted',
  EPIPE: 'connection closed while sending',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ENOTFOUND: 'DNS: no such host',
  EAI_AGAIN: 'DNS lookup failed for now',
  UND_ERR_SOCKET: 'connection closed by the other side',
  UND_ERR_CLOSED: 'connection closed',
  UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
  UND_ERR_HEADERS_TIMEOUT: 'no answer in time',
  UND_ERR_BODY_TIMEOUT: 'answer stalled',
};

/**
 * What went wrong, in words a person can act on: `HTTP 503 Service Unavailable (storage_unavailable)`,
 * `connection refused (ECONNREFUSED)`, `DNS: no such host (ENOTFOUND)`, `TLS: certificate has expired
 * (CERT_HAS_EXPIRED)`; never the bare `fetch failed`.
 * @example describeCause(await fetch('http://127.0.0.1:1').catch((e) => e)) // "connection refused (ECONNREFUSED)"
 */
export function describeCause(err: unknown): string {
  const http = err as { status?: unknown; serverCode?: unknown };
  if (typeof http.status === 'number') {
    const reason = STATUS_CODES[http.status];
    const code = typeof http.serverCode === 'string' ? ` (${http.serverCode})` : '';
    return `HTTP ${http.status}${reason ? ` ${reason}` : ''}${code}`;
  }
  const code = failureCode(err);
  const deepest = chain(err).at(-1);
  const message = deepest?.message || (err as Error)?.message || String(err);
  if (code === undefined) return message;
  // OpenSSL's message is a dump (`80BC…:error:0A00010B:SSL routines:…`); its `reason` is the words.
  const reason = (deepest as { reason?: unknown } | undefined)?.reason;
  if (isTlsCode(code)) return `TLS: ${typeof reason === 'string' ? reason : message} (${code})`;
  return `${WORDS[code] ?? message} (${code})`;
}

/** The host a failure came from: the one the upload was sent to, else what the system error names. */
export function failureHost(err: unknown): string | undefined {
  for (const e of chain(err)) {
    const c = e as { host?: unknown; hostname?: unknown; address?: unknown; port?: unknown };
    if (typeof c.host === 'string') return c.host;
    if (typeof c.hostname === 'string') return c.hostname;
    if (typeof c.address === 'string')
      return typeof c.port === 'number' ? `${c.address}:${c.port}` : c.address;
  }
  return undefined;
}
