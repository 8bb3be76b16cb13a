import { createRoute, z } from '@hono/zod-openapi';
import type { ApiAnswer } from '../../protocol/api/routes.js';
import { requireRole } from '../auth/permissions.js';
import type { Course } from '../db/courses.js';
import { principalOf, type RouteDeps } from '../http/app-types.js';
import { AUTH_ERRORS, ErrorSchema, IdParams, jsonBody, jsonResponse } from '../http/openapi-schemas.js';
import { createRouter } from '../http/router.js';
import { COURSE_SLUG, COURSE_TITLE, createCourseOf, listCoursesOf, loadCourse } from './service.js';

const CourseSchema = z
  .object({
    id: z.string(),
    slug: z.string(),
    title: z.string(),
    liveDeploymentId: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi('Course');

const CreateCourse = z.object({ slug: COURSE_SLUG, title: COURSE_TITLE });

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
      const course = await createCourseOf(deps, principalOf(c), c.req.valid('json'));
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
          courses: (await listCoursesOf(deps, principalOf(c))).map(toJson),
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
      return c.json(
        toJson(
          await loadCourse(deps, principalOf(c), c.req.valid('param').id),
        ) satisfies ApiAnswer<'GET /v1/courses/:id'>,
        200,
      );
    },
  );

  return app;
}
