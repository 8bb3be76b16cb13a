import { z } from '@hono/zod-openapi';
import { GATEKEEPER_ERROR_CODES } from '../../protocol/errors.js';

/** Every error answer; `code` lists the codes (each with one status, protocol/errors.ts). */
export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.enum(GATEKEEPER_ERROR_CODES).openapi('ErrorCode'),
      message: z.string(),
      details: z.unknown().optional(),
    }),
  })
  .openapi('Error');

export const IdParams = z.object({
  id: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: 'id', in: 'path' } }),
});

const err = (description: string) => ({
  description,
  content: { 'application/json': { schema: ErrorSchema } },
});

/** The error answers every authenticated route may give. */
export const AUTH_ERRORS = {
  400: err('Invalid request'),
  401: err('Missing, unknown or revoked API key'),
  403: err('The role may not do this'),
  404: err('`…_not_found`: what the path names is not in the caller’s organisation'),
} as const;

/** For routes whose change can clash with the current state (or with another request at the same moment). */
export const CONFLICT = {
  409: err(
    'Not possible in the current state: the code says which state (e.g. `last_owner`), the message why',
  ),
} as const;

/** For routes that change state only from the state the sender names (`If-Match` or a body field). */
export const PRECONDITION_REQUIRED = {
  428: err('The request does not say which state it expects (e.g. `expected_live_required`)'),
} as const;

export function jsonBody<T extends z.ZodType>(schema: T) {
  return { body: { required: true, content: { 'application/json': { schema } } } };
}

export function jsonResponse<T extends z.ZodType>(description: string, schema: T) {
  return { description, content: { 'application/json': { schema } } };
}

export const isoDate = z.iso.datetime({ offset: true });
