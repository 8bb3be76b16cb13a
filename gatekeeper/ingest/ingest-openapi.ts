import type { OpenAPIHono } from '@hono/zod-openapi';
import { z } from '@hono/zod-openapi';
import type { AppEnv } from '../http/app-types.js';
import { AUTH_ERRORS, ErrorSchema, IdParams, jsonResponse } from '../http/openapi-schemas.js';
import { ErrorBatchSchema } from './error-schema.js';
import { SessionReportSchema } from './session-report.js';
import { StatementSchema } from './statement-openapi.js';

type Registry = OpenAPIHono<AppEnv>['openAPIRegistry'];

const err = (description: string) => jsonResponse(description, ErrorSchema);
const SESSION = [{ sessionToken: [] }];
const XAPI_VERSION = z
  .string()
  .openapi({ param: { name: 'x-experience-api-version', in: 'header' }, example: '1.0.3' });

const SESSION_ERRORS = {
  400: err('Invalid xAPI (`invalid_request`) or a personal identifier on an agent (`pii_not_accepted`)'),
  401: err('Missing, invalid or expired session token'),
  413: err('Body too large'),
  429: err('`rate_limited`: too many requests for this session; retry later'),
} as const;

const LogParams = z.object({
  since: z.string().optional().openapi({ description: 'ISO 8601: after this time' }),
  until: z.string().optional().openapi({ description: 'ISO 8601: at or before this time' }),
  license: z.string().optional().openapi({ description: 'launches: one license' }),
  deployment: z.string().optional().openapi({ description: 'errors, completions: one deployment' }),
  code: z
    .string()
    .optional()
    .openapi({ description: 'launch outcome (`ok`, `license_revoked`, …) or error code' }),
  format: z
    .enum(['json', 'csv', 'ndjson'])
    .optional()
    .openapi({ description: 'csv and ndjson stream the whole log' }),
  limit: z.string().optional().openapi({ description: 'page size, at most 1000 (json)' }),
  cursor: z.string().optional().openapi({ description: '`next` of the previous page (json)' }),
  order: z
    .enum(['oldest', 'newest'])
    .optional()
    .openapi({ description: 'json pages: oldest first (default) or the latest first' }),
});

/**
 * Describes the ingest and log routes in `/openapi.json`. Those routes are plain Hono handlers that check
 * bodies by hand (statement-schema.ts), so no zod runs per request; the zod schemas here only document.
 */
export function registerIngestOpenApi(registry: Registry): void {
  registry.registerComponent('securitySchemes', 'sessionToken', {
    type: 'http',
    scheme: 'bearer',
    description:
      'The anonymous session token from `POST /v1/launch`; authorises ingest for that session only',
  });
  const Statement = registry.register('XapiStatement', StatementSchema);
  const Statements = z.union([Statement, z.array(Statement).min(1).max(1000)]);
  const json = <T extends z.ZodType>(schema: T) => ({
    required: true,
    content: { 'application/json': { schema } },
  });

  registry.registerPath({
    method: 'post',
    path: '/xapi/statements',
    summary: 'Store xAPI statements about this session’s anonymous actor',
    security: SESSION,
    request: { headers: z.object({ 'x-experience-api-version': XAPI_VERSION }), body: json(Statements) },
    responses: {
      200: jsonResponse('The statement ids, in request order', z.array(z.string())),
      ...SESSION_ERRORS,
      409: err('A statement id is already stored with another body'),
    },
  });
  registry.registerPath({
    method: 'put',
    path: '/xapi/statements',
    summary: 'Store one xAPI statement under `statementId`',
    security: SESSION,
    request: {
      headers: z.object({ 'x-experience-api-version': XAPI_VERSION }),
      query: z.object({ statementId: z.uuid() }),
      body: json(Statement),
    },
    responses: {
      204: { description: 'Stored (or already stored with the same body)' },
      ...SESSION_ERRORS,
      409: err('The id is already stored with another body'),
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/xapi/statements',
    summary: 'Read the organisation’s statements (API key with `statements:read`)',
    request: {
      query: z.object({
        statementId: z.string().optional(),
        course: z.string().optional(),
        session: z.string().optional(),
        agent: z.string().optional().openapi({ description: '`{"account":{"name":"<session id>"}}`' }),
        verb: z.string().optional(),
        since: z.string().optional(),
        until: z.string().optional(),
        ascending: z.enum(['true', 'false']).optional(),
        limit: z.string().optional().openapi({ description: 'default 100, at most 500' }),
        after: z.string().optional().openapi({ description: 'from a `more` link' }),
      }),
    },
    responses: {
      200: jsonResponse(
        'One page of statements, each with `stored`; one statement when `statementId` is given',
        z.object({ statements: z.array(Statement), more: z.string() }),
      ),
      ...AUTH_ERRORS,
    },
  });
  registry.registerPath({
    method: 'post',
    path: '/v1/errors',
    summary: 'Store error reports captured in a course page',
    security: SESSION,
    request: { body: json(ErrorBatchSchema) },
    responses: {
      200: jsonResponse('How many reports were new', z.object({ accepted: z.number().int() })),
      ...SESSION_ERRORS,
    },
  });
  registry.registerPath({
    method: 'post',
    path: '/v1/sessions/report',
    summary: 'What the LMS recorded for a gated SCORM session, from its launch stub (latest `seq` wins)',
    security: SESSION,
    request: { body: json(SessionReportSchema) },
    responses: { 204: { description: 'Stored, or older than what is stored' }, ...SESSION_ERRORS },
  });
  for (const kind of ['launches', 'errors', 'completions'] as const)
    registry.registerPath({
      method: 'get',
      path: `/v1/courses/{id}/${kind}`,
      summary: `A course’s ${kind} log (\`logs:read\`), paged as JSON or streamed as CSV / NDJSON`,
      request: { params: IdParams, query: LogParams },
      responses: {
        200: jsonResponse(
          `One page of ${kind}; \`next\` is the cursor of the following page`,
          z.object({ [kind]: z.array(z.record(z.string(), z.unknown())), next: z.string().nullable() }),
        ),
        ...AUTH_ERRORS,
      },
    });
}
