import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { Standard } from '../../protocol/index.js';
import { requestHeader } from '../http/request-header.js';

/** Longest license token accepted; real ones are about 400 characters. */
export const MAX_TOKEN_LENGTH = 2048;
const MAX_LMS_ORIGIN_LENGTH = 512;

/** The body of `POST /v1/launch`, as published in `/openapi.json`. */
export const LaunchBody = z.object({
  token: z.string().min(1).max(MAX_TOKEN_LENGTH),
  standard: z.enum(['scorm12', 'scorm2004', 'cmi5']),
  /** The LMS origin the gated cmi5 launch page was opened from; counted only from the content origin. */
  lmsOrigin: z.string().max(MAX_LMS_ORIGIN_LENGTH).optional(),
});

export type LaunchBodyResult =
  | { ok: true; token: string; standard: Standard; lmsOrigin?: string }
  /** `detail` is what the launch event records; absent when the request never reached validation. */
  | { ok: false; message: string; detail?: string };

// The Content-Type test @hono/zod-openapi applies to a route declaring an application/json body.
const JSON_REQUEST = /^application\/([a-z-.]+\+)?json(;\s*[a-zA-Z0-9-]+=([^;]+))*$/i;
const NOT_JSON = 'Send a JSON body (Content-Type: application/json)';
// The stub and the cmi5 launch page send their JSON as text/plain, a CORS-safelisted type: the browser
// then sends no preflight, one round trip fewer on every launch (docs/gated-delivery.md, "Launch overhead").
const PLAIN_TEXT = /^text\/plain(;\s*charset=utf-8)?$/i;
const MALFORMED = 'Malformed JSON in request body';

const isStandard = (v: unknown): v is Standard => v === 'scorm12' || v === 'scorm2004' || v === 'cmi5';

function invalid(value: unknown): LaunchBodyResult {
  const parsed = LaunchBody.safeParse(value);
  if (parsed.success) return { ok: true, ...parsed.data };
  const first = parsed.error.issues[0];
  const path = first?.path.join('.') ?? '';
  return first
    ? { ok: false, message: `${path || 'body'}: ${first.message}`, detail: path }
    : { ok: false, message: 'Invalid request', detail: '' };
}

/**
 * Reads and checks the launch body with the same answers, word for word, as the zod-openapi route
 * pipeline it replaces (media-type gate, JSON parse, schema), without its per-request middleware and
 * async hops: the valid case is decided by a few `typeof` checks, and zod runs only to word a refusal.
 */
export async function readLaunchBody(c: Context): Promise<LaunchBodyResult> {
  const contentType = requestHeader(c, 'content-type');
  if (contentType === undefined) {
    // No Content-Type: an empty body is validated as `{}`, anything else is the wrong media type.
    const bytes = await c.req.arrayBuffer();
    return bytes.byteLength > 0 ? { ok: false, message: NOT_JSON } : invalid({});
  }
  if (!JSON_REQUEST.test(contentType) && !PLAIN_TEXT.test(contentType))
    return { ok: false, message: NOT_JSON };
  let value: unknown;
  try {
    value = await c.req.json();
  } catch {
    return { ok: false, message: MALFORMED };
  }
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const { token, standard, lmsOrigin } = value as Record<string, unknown>;
    if (
      typeof token === 'string' &&
      token.length >= 1 &&
      token.length <= MAX_TOKEN_LENGTH &&
      isStandard(standard) &&
      (lmsOrigin === undefined ||
        (typeof lmsOrigin === 'string' && lmsOrigin.length <= MAX_LMS_ORIGIN_LENGTH))
    )
      return lmsOrigin === undefined
        ? { ok: true, token, standard }
        : { ok: true, token, standard, lmsOrigin };
  }
  return invalid(value);
}
