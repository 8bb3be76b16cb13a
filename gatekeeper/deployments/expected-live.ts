import { z } from '@hono/zod-openapi';
import type { ExpectedLive } from '../../protocol/api/deployments.js';
import { GatekeeperError } from '../errors.js';

/** `If-Match`'s entity tag for "no live deployment yet"; a deployment id is never `none`. */
export const NO_LIVE_TAG = 'none';

/** The body field: the live deployment's id as the sender saw it, or null for none. */
export const ExpectedLiveField = z
  .string()
  .min(1)
  .max(64)
  .nullable()
  .optional()
  .openapi({ description: 'The live deployment the sender saw (null: none yet); or send If-Match' });

/** The header, declared so the OpenAPI document shows it. */
export const IfMatchHeaders = z.object({
  'if-match': z
    .string()
    .max(200)
    .optional()
    .openapi({ description: `"<live deployment id>", or "${NO_LIVE_TAG}" when none is live yet` }),
});

function fromIfMatch(header: string): ExpectedLive {
  const tag = /^"([A-Za-z0-9_-]{1,64})"$/.exec(header.trim())?.[1];
  if (tag === undefined)
    throw new GatekeeperError(
      'invalid_request',
      `If-Match takes one quoted deployment id, or "${NO_LIVE_TAG}" when no deployment is live`,
    );
  return tag === NO_LIVE_TAG ? null : tag;
}

/**
 * The live deployment a promote or rollback request expects, from `If-Match` or the body's
 * `expectedLive` (docs/deployments.md); both may be sent if they agree. Neither is undefined, which the
 * service answers with `428 expected_live_required` (after the reason and the course are checked).
 *
 * @example expectedLiveOf('"dep_1"', undefined) // 'dep_1'
 */
export function expectedLiveOf(
  ifMatch: string | undefined,
  expectedLive: string | null | undefined,
): ExpectedLive | undefined {
  const fromHeader = ifMatch === undefined ? undefined : fromIfMatch(ifMatch);
  if (fromHeader !== undefined && expectedLive !== undefined && fromHeader !== expectedLive)
    throw new GatekeeperError('invalid_request', 'If-Match and expectedLive name different deployments');
  return fromHeader !== undefined ? fromHeader : expectedLive;
}

/**
 * The dashboard forms' hidden `expectedLive` field: the live deployment the page showed, empty for
 * none; undefined when the form has no such field (a page from before it existed).
 */
export function expectedLiveOfForm(value: unknown): ExpectedLive | undefined {
  if (typeof value !== 'string') return undefined;
  return value === '' ? null : value;
}
