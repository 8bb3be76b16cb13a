import { createRoute, z } from '@hono/zod-openapi';
import type { ApiAnswer } from '../../protocol/api/routes.js';
import type { DeployPlanAnswer, DryRunAnswer } from '../../protocol/deploy.js';
import { requireRole } from '../auth/permissions.js';
import { loadCourse } from '../courses/service.js';
import { planSourceMaps } from '../errors/source-maps.js';
import { principalOf } from '../http/app-types.js';
import {
  AUTH_ERRORS,
  CONFLICT,
  IdParams,
  jsonBody,
  jsonResponse,
  PRECONDITION_REQUIRED,
} from '../http/openapi-schemas.js';
import { createRouter } from '../http/router.js';
import { zipDownload } from '../http/zip-download.js';
import { orgContentBase } from '../orgs/org-content-base.js';
import { LIVE_CHANNEL, resolveChannel } from './channels.js';
import { type DeploymentDeps, deploymentJson } from './deployment-deps.js';
import { ExpectedLiveField, expectedLiveOf, IfMatchHeaders } from './expected-live.js';
import { dryRunPlan, planDeployment } from './plan.js';
import { promote, rollback } from './pointer.js';
import { courseHistory, listCourseDeployments } from './queries.js';
import { EXPORT_FORMATS, exportCourse } from './service.js';

const Sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'lower-case hex sha256');
const Item = z.object({
  id: z.string().max(256),
  title: z.string().max(500),
  kind: z.enum(['sco', 'asset', 'au']),
  launchUrl: z.string().max(2048),
  masteryScore: z.number().min(0).max(1).optional(),
});
const Metadata = z.object({
  id: z.string().max(128).optional(),
  title: z.string().max(500).optional(),
  version: z.string().max(64).optional(),
  description: z.string().max(4000).optional(),
  language: z.string().max(35).optional(),
  masteryScore: z.number().min(0).max(1).optional(),
  standard: z.enum(['scorm12', 'scorm2004', 'cmi5']).optional(),
  items: z.array(Item).max(1000).optional(),
});
const CreateDeployment = z.object({
  entry: z.string().min(1).max(1024),
  message: z.string().max(1000).optional(),
  /** Answer what would be uploaded and copied; create nothing. */
  dryRun: z.boolean().optional(),
  metadata: Metadata.optional(),
  files: z
    .array(
      z.object({
        path: z.string().min(1).max(1024),
        sha256: Sha256,
        size: z.number().int().min(0),
        contentType: z.string().max(200).optional(),
      }),
    )
    .min(1)
    .max(100_000),
  /** `.map` files to keep in private storage for error stacks (gatekeeper/errors/source-maps.ts). */
  sourceMaps: z
    .array(z.object({ path: z.string().min(1).max(1024), sha256: Sha256, size: z.number().int().min(0) }))
    .max(100_000)
    .optional(),
});
// Reasons are checked by the handler, so that blank and missing both answer `reason_required`.
const ChannelField = z.string().min(1).max(40).optional().openapi({ description: 'Default `live`' });
const Promote = z.object({
  deployment: z.string().min(1).max(64),
  channel: ChannelField,
  reason: z.unknown().optional(),
  expectedLive: ExpectedLiveField,
});
const Rollback = z.object({
  to: z.string().min(1).max(64).optional(),
  channel: ChannelField,
  reason: z.unknown().optional(),
  expectedLive: ExpectedLiveField,
});
const Any = z.looseObject({});
const ExportQuery = z.object({
  format: z.enum(EXPORT_FORMATS),
  deployment: z.string().min(1).max(64).optional(),
  channel: ChannelField,
});
const HistoryQuery = z.object({ channel: ChannelField });

/** The deploy, promote/rollback, history and export routes under `/v1/courses/{id}` (id or slug). */
export function courseDeploymentRoutes(deps: DeploymentDeps) {
  const app = createRouter();

  app.openapi(
    createRoute({
      method: 'post',
      path: '/{id}/deployments',
      tags: ['deployments'],
      summary: 'Plan a deploy: which files to upload (presigned), which were copied from earlier deployments',
      middleware: [requireRole('deployments:write')] as const,
      request: { params: IdParams, ...jsonBody(CreateDeployment) },
      responses: { 201: jsonResponse('Plan', Any), ...AUTH_ERRORS },
    }),
    async (c) => {
      const p = principalOf(c);
      const course = await loadCourse(deps, p, c.req.valid('param').id);
      const body = c.req.valid('json');
      if (body.dryRun)
        return c.json(
          {
            dryRun: true,
            ...(await dryRunPlan(deps.db, course, body.files, body.entry)),
          } satisfies DryRunAnswer,
          201,
        );
      // The API body limit is sized for small JSON; a 10,000-file list is about 1 MB and is allowed here.
      const plan = await planDeployment(deps, {
        course,
        actor: p.memberId,
        files: body.files,
        entry: body.entry,
        ...(body.message === undefined ? {} : { message: body.message }),
        metadata: body.metadata ?? {},
      });
      return c.json(
        {
          deployment: deploymentJson(await orgContentBase(deps, course.orgId), plan.deployment),
          resumed: plan.resumed,
          upload: plan.upload,
          copied: plan.copied,
          present: plan.present,
          sourceMaps: await planSourceMaps(
            deps.storage,
            { courseId: course.id, deploymentId: plan.deployment.id },
            body.sourceMaps ?? [],
          ),
        } satisfies DeployPlanAnswer,
        201,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/{id}/deployments',
      tags: ['deployments'],
      summary: 'List the deployments of a course, newest first',
      middleware: [requireRole('deployments:read')] as const,
      request: { params: IdParams },
      responses: { 200: jsonResponse('Deployments', Any), ...AUTH_ERRORS },
    }),
    async (c) => {
      const course = await loadCourse(deps, principalOf(c), c.req.valid('param').id);
      const rows = await listCourseDeployments(deps.db, course.orgId, course.id);
      const base = await orgContentBase(deps, course.orgId);
      return c.json(
        {
          deployments: rows.map((d) => deploymentJson(base, d)),
        } satisfies ApiAnswer<'GET /v1/courses/:id/deployments'>,
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/{id}/promote',
      tags: ['deployments'],
      summary: 'Make a finalized deployment live (reason and the live deployment the sender saw required)',
      middleware: [requireRole('deployments:promote')] as const,
      request: { params: IdParams, headers: IfMatchHeaders, ...jsonBody(Promote) },
      responses: {
        200: jsonResponse('Promoted', Any),
        ...AUTH_ERRORS,
        ...CONFLICT,
        ...PRECONDITION_REQUIRED,
      },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const event = await promote(deps, principalOf(c), {
        course: c.req.valid('param').id,
        deployment: body.deployment,
        channel: body.channel,
        reason: body.reason,
        expectedLive: expectedLiveOf(c.req.valid('header')['if-match'], body.expectedLive),
      });
      return c.json(
        {
          ...event,
          at: new Date(event.at).toISOString(),
        } satisfies ApiAnswer<'POST /v1/courses/:id/promote'>,
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/{id}/rollback',
      tags: ['deployments'],
      summary:
        'Go back to the previously live deployment, or to `to` (reason and the live deployment the sender saw required)',
      middleware: [requireRole('deployments:promote')] as const,
      request: { params: IdParams, headers: IfMatchHeaders, ...jsonBody(Rollback) },
      responses: {
        200: jsonResponse('Rolled back', Any),
        ...AUTH_ERRORS,
        ...CONFLICT,
        ...PRECONDITION_REQUIRED,
      },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const event = await rollback(deps, principalOf(c), {
        course: c.req.valid('param').id,
        to: body.to,
        channel: body.channel,
        reason: body.reason,
        expectedLive: expectedLiveOf(c.req.valid('header')['if-match'], body.expectedLive),
      });
      return c.json(
        {
          ...event,
          at: new Date(event.at).toISOString(),
        } satisfies ApiAnswer<'POST /v1/courses/:id/rollback'>,
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/{id}/history',
      tags: ['deployments'],
      summary:
        'Promotions and rollbacks of a channel of a course (default live): time, actor, from, to, reason',
      middleware: [requireRole('deployments:read')] as const,
      request: { params: IdParams, query: HistoryQuery },
      responses: { 200: jsonResponse('History', Any), ...AUTH_ERRORS },
    }),
    async (c) => {
      const course = await loadCourse(deps, principalOf(c), c.req.valid('param').id);
      const channel = await resolveChannel(deps.db, course, c.req.valid('query').channel);
      const events = await courseHistory(deps.db, course.orgId, channel?.id ?? course.id);
      return c.json(
        {
          course: { id: course.id, slug: course.slug, liveDeploymentId: course.liveDeploymentId },
          channel: channel?.name ?? LIVE_CHANNEL,
          events: events.map((e) => ({
            at: new Date(e.at).toISOString(),
            actor: e.actorEmail ?? e.actor,
            action: e.action === 'deployment.promote' ? 'promote' : 'rollback',
            from: e.from,
            to: e.to,
            reason: e.reason,
          })),
        } satisfies ApiAnswer<'GET /v1/courses/:id/history'>,
        200,
      );
    },
  );

  if (deps.exportPackage)
    app.openapi(
      createRoute({
        method: 'get',
        path: '/{id}/export',
        tags: ['deployments'],
        summary:
          "Download a portable SCORM 1.2 / SCORM 2004 / cmi5 package of a deployment or a channel's (default: live)",
        middleware: [requireRole('deployments:read')] as const,
        request: { params: IdParams, query: ExportQuery },
        responses: {
          200: { description: 'The package', content: { 'application/zip': { schema: z.string() } } },
          ...AUTH_ERRORS,
          ...CONFLICT,
        },
      }),
      async (c) => {
        const { format, deployment, channel } = c.req.valid('query');
        const { filename, body } = await exportCourse(deps, principalOf(c), {
          course: c.req.valid('param').id,
          deployment,
          channel,
          format,
        });
        return zipDownload(body, filename);
      },
    );

  return app;
}
