import { createRoute, z } from '@hono/zod-openapi';
import type { ApiAnswer } from '../../protocol/api/routes.js';
import { requireRole } from '../auth/permissions.js';
import { auditStatement } from '../db/audit-events.js';
import { getCourseByRef } from '../db/courses.js';
import {
  getIngestKey,
  type IngestKey,
  insertIngestKeyStatement,
  listIngestKeys,
  newIngestKey,
  revokeIngestKeyStatement,
} from '../db/ingest-keys.js';
import { GatekeeperError } from '../errors.js';
import { type Principal, principalOf, type RouteDeps } from './context.js';
import { createRouter } from './router.js';
import { AUTH_ERRORS, IdParams, jsonBody, jsonResponse } from './schemas.js';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

const IngestKeySchema = z
  .object({
    id: z.string(),
    courseId: z.string(),
    name: z.string(),
    prefix: z.string(),
    createdBy: z.string(),
    createdAt: z.string(),
    revokedAt: z.string().nullable(),
  })
  .openapi('IngestKey');

const toJson = (k: IngestKey) => ({
  id: k.id,
  courseId: k.courseId,
  name: k.name,
  prefix: k.prefix,
  createdBy: k.createdBy,
  createdAt: iso(k.createdAt) as string,
  revokedAt: iso(k.revokedAt),
});

const KeyParams = IdParams.extend({
  keyId: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: 'keyId', in: 'path' } }),
});

/**
 * `/v1/courses/:id/ingest-keys`: the keys portable packages of a course send telemetry with. A key is
 * shown once, at creation; revoking it refuses the next ingest request that presents it.
 */
export function ingestKeyRoutes(deps: RouteDeps) {
  const app = createRouter();

  const courseOf = async (p: Principal, id: string) => {
    const course = await getCourseByRef(deps.db, p.orgId, id);
    if (!course) throw new GatekeeperError('course_not_found', 'No such course');
    return course;
  };

  app.openapi(
    createRoute({
      method: 'get',
      path: '/{id}/ingest-keys',
      tags: ['ingest-keys'],
      summary: "List a course's ingest keys (never the secrets)",
      middleware: [requireRole('ingest-keys:read')] as const,
      request: { params: IdParams },
      responses: {
        200: jsonResponse('Keys', z.object({ ingestKeys: z.array(IngestKeySchema) })),
        ...AUTH_ERRORS,
      },
    }),
    async (c) => {
      const p = principalOf(c);
      const course = await courseOf(p, c.req.valid('param').id);
      return c.json(
        {
          ingestKeys: (await listIngestKeys(deps.db, p.orgId, course.id)).map(toJson),
        } satisfies ApiAnswer<'GET /v1/courses/:id/ingest-keys'>,
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/{id}/ingest-keys',
      tags: ['ingest-keys'],
      summary:
        'Create an ingest key for portable packages of the course; the key is shown only in this answer',
      middleware: [requireRole('ingest-keys:write')] as const,
      request: { params: IdParams, ...jsonBody(z.object({ name: z.string().min(1).max(100).optional() })) },
      responses: {
        201: jsonResponse('Created', z.object({ key: z.string(), ingestKey: IngestKeySchema })),
        ...AUTH_ERRORS,
      },
    }),
    async (c) => {
      const p = principalOf(c);
      const course = await courseOf(p, c.req.valid('param').id);
      const now = deps.now().getTime();
      const { row, key } = newIngestKey({
        orgId: p.orgId,
        courseId: course.id,
        name: c.req.valid('json').name ?? 'portable',
        createdBy: p.memberId,
        now,
      });
      // The key and its audit event land together or not at all.
      await deps.db.batch([
        insertIngestKeyStatement(deps.db, row),
        auditStatement(deps.db, {
          orgId: p.orgId,
          actor: p.memberId,
          action: 'ingest_key.create',
          subject: row.id,
          fromValue: null,
          toValue: course.id,
          reason: '',
          at: now,
        }),
      ]);
      return c.json(
        { key, ingestKey: toJson(row) } satisfies ApiAnswer<'POST /v1/courses/:id/ingest-keys'>,
        201,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/{id}/ingest-keys/{keyId}',
      tags: ['ingest-keys'],
      summary: 'Revoke an ingest key: the next ingest request presenting it is refused',
      middleware: [requireRole('ingest-keys:write')] as const,
      request: { params: KeyParams },
      responses: { 200: jsonResponse('Revoked', IngestKeySchema), ...AUTH_ERRORS },
    }),
    async (c) => {
      const p = principalOf(c);
      const { id, keyId } = c.req.valid('param');
      const course = await courseOf(p, id);
      const scope = { orgId: p.orgId, courseId: course.id };
      const row = await getIngestKey(deps.db, scope, keyId);
      if (!row) throw new GatekeeperError('ingest_key_not_found', 'No such ingest key');
      if (row.revokedAt === null) {
        const now = deps.now().getTime();
        await deps.db.batch([
          revokeIngestKeyStatement(deps.db, row.id, now),
          auditStatement(deps.db, {
            orgId: p.orgId,
            actor: p.memberId,
            action: 'ingest_key.revoke',
            subject: row.id,
            fromValue: 'active',
            toValue: 'revoked',
            reason: '',
            at: now,
          }),
        ]);
      }
      return c.json(
        toJson(
          (await getIngestKey(deps.db, scope, keyId)) as IngestKey,
        ) satisfies ApiAnswer<'DELETE /v1/courses/:id/ingest-keys/:keyId'>,
        200,
      );
    },
  );

  return app;
}
