import { createRoute, z } from '@hono/zod-openapi';
import type { ApiAnswer } from '../../protocol/api/routes.js';
import { requireRole } from '../auth/permissions.js';
import { type Course, createCourse, getCourseByRef, getCourseBySlug, listCourses } from '../db/courses.js';
import { refusingDuplicate } from '../db/unique-violation.js';
import { GatekeeperError } from '../errors.js';
import { principalOf, type RouteDeps } from './context.js';
import { createRouter } from './router.js';
import { AUTH_ERRORS, ErrorSchema, IdParams, jsonBody, jsonResponse } from './schemas.js';

const CourseSchema = z
  .object({
    id: z.string(),
    slug: z.string(),
    title: z.string(),
    liveDeploymentId: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi('Course');

const CreateCourse = z.object({
  slug: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/, 'lowercase letters, digits and inner dashes'),
  title: z.string().trim().min(1, 'a title is required').max(200),
});

const toJson = (c: Course) => ({
  id: c.id,
  slug: c.slug,
  title: c.title,
  liveDeploymentId: c.liveDeploymentId,
  createdAt: new Date(c.createdAt).toISOString(),
});

/** `/v1/courses`: course rows that licenses and deployments hang off. */
export function courseRoutes(deps: RouteDeps) {
  const app = createRouter();

  app.openapi(
    createRoute({
      method: 'post',
      path: '/',
      tags: ['courses'],
      summary: 'Create a course',
      middleware: [requireRole('courses:write')] as const,
      request: jsonBody(CreateCourse),
      responses: {
        201: jsonResponse('Created', CourseSchema),
        409: jsonResponse('`slug_taken`: the organisation has a course with that slug', ErrorSchema),
        ...AUTH_ERRORS,
      },
    }),
    async (c) => {
      const { orgId } = principalOf(c);
      const body = c.req.valid('json');
      const taken = () => new GatekeeperError('slug_taken', `A course with slug "${body.slug}" exists`);
      if (await getCourseBySlug(deps.db, orgId, body.slug)) throw taken();
      const course = await refusingDuplicate(
        createCourse(deps.db, { orgId, ...body, now: deps.now().getTime() }),
        taken,
      );
      return c.json(toJson(course) satisfies ApiAnswer<'POST /v1/courses'>, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/',
      tags: ['courses'],
      summary: 'List courses',
      middleware: [requireRole('courses:read')] as const,
      responses: {
        200: jsonResponse('Courses', z.object({ courses: z.array(CourseSchema) })),
        ...AUTH_ERRORS,
      },
    }),
    async (c) =>
      c.json(
        {
          courses: (await listCourses(deps.db, principalOf(c).orgId)).map(toJson),
        } satisfies ApiAnswer<'GET /v1/courses'>,
        200,
      ),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/{id}',
      tags: ['courses'],
      summary: 'Get a course',
      middleware: [requireRole('courses:read')] as const,
      request: { params: IdParams },
      responses: { 200: jsonResponse('Course', CourseSchema), ...AUTH_ERRORS },
    }),
    async (c) => {
      const course = await getCourseByRef(deps.db, principalOf(c).orgId, c.req.valid('param').id);
      if (!course) throw new GatekeeperError('course_not_found', 'No such course');
      return c.json(toJson(course) satisfies ApiAnswer<'GET /v1/courses/:id'>, 200);
    },
  );

  return app;
}
