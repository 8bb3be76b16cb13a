import { z } from '@hono/zod-openapi';
import { type Course, createCourse, getCourseByRef, getCourseBySlug, listCourses } from '../db/courses.js';
import type { Database } from '../db/database.js';
import { refusingDuplicate } from '../db/unique-violation.js';
import { GatekeeperError } from '../errors.js';

/**
 * The course rules, one copy for the `/v1/courses` API, the dashboard's course pages, the feature
 * services that hang off a course (deployments, ingest keys, logs), the demo seeding and the test
 * seeders (docs/architecture.md, "Services"): a slug is unique in its org and names the course as
 * well as its id does.
 */
export interface CourseDeps {
  db: Database;
  now: () => Date;
}

/** Who acts: the org every read and write is scoped to (an API principal or a dashboard user). */
export interface CourseActor {
  orgId: string;
}

export const COURSE_SLUG = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/, 'lowercase letters, digits and inner dashes');
export const COURSE_TITLE = z.string().trim().min(1, 'a title is required').max(200);

const invalid = (message: string) => new GatekeeperError('invalid_request', message);

/**
 * Creates a course in the actor's org; a slug the org already has is `slug_taken`.
 *
 * @example
 * const course = await createCourseOf({ db, now }, principal, { slug: 'intro', title: 'Intro' });
 */
export async function createCourseOf(
  deps: CourseDeps,
  actor: CourseActor,
  input: { slug: string; title: string },
): Promise<Course> {
  if (!COURSE_SLUG.safeParse(input.slug).success)
    throw invalid('A slug is 1 to 64 lowercase letters, digits and inner dashes');
  const title = COURSE_TITLE.safeParse(input.title);
  if (!title.success) throw invalid('A title is 1 to 200 characters');
  const taken = () => new GatekeeperError('slug_taken', `A course with slug "${input.slug}" exists`);
  if (await getCourseBySlug(deps.db, actor.orgId, input.slug)) throw taken();
  // Two requests at once can both pass the check above: the loser of the race gets the same answer.
  return refusingDuplicate(
    createCourse(deps.db, {
      orgId: actor.orgId,
      slug: input.slug,
      title: title.data,
      now: deps.now().getTime(),
    }),
    taken,
  );
}

/**
 * A course of the actor's org by id or by slug (the CLI speaks slugs), or `course_not_found`: another
 * org's course is as unknown as a made-up one.
 */
export async function loadCourse(deps: { db: Database }, actor: CourseActor, ref: string): Promise<Course> {
  const course = await getCourseByRef(deps.db, actor.orgId, ref);
  if (!course) throw new GatekeeperError('course_not_found', 'No such course');
  return course;
}

/** The org's courses, oldest first. */
export function listCoursesOf(deps: { db: Database }, actor: CourseActor): Promise<Course[]> {
  return listCourses(deps.db, actor.orgId);
}
