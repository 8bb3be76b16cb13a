import { and, eq } from 'drizzle-orm';
import { newId } from '../crypto.js';
import type { Database } from './database.js';
import { courses } from './schema.js';

export type Course = typeof courses.$inferSelect;

export async function createCourse(
  db: Database,
  input: { orgId: string; slug: string; title: string; now: number },
): Promise<Course> {
  const row: Course = {
    id: newId('crs'),
    orgId: input.orgId,
    slug: input.slug,
    title: input.title,
    liveDeploymentId: null,
    createdAt: input.now,
    sharedOrigin: 0,
  };
  await db.orm.insert(courses).values(row);
  return row;
}

export async function listCourses(db: Database, orgId: string): Promise<Course[]> {
  return db.orm.select().from(courses).where(eq(courses.orgId, orgId)).orderBy(courses.createdAt).all();
}

export async function getCourse(db: Database, orgId: string, id: string): Promise<Course | undefined> {
  return db.orm
    .select()
    .from(courses)
    .where(and(eq(courses.orgId, orgId), eq(courses.id, id)))
    .get();
}

export async function getCourseBySlug(
  db: Database,
  orgId: string,
  slug: string,
): Promise<Course | undefined> {
  return db.orm
    .select()
    .from(courses)
    .where(and(eq(courses.orgId, orgId), eq(courses.slug, slug)))
    .get();
}

/** A course of the organisation by id, else by slug: API paths and filters take either. */
export async function getCourseByRef(db: Database, orgId: string, ref: string): Promise<Course | undefined> {
  return (await getCourse(db, orgId, ref)) ?? (await getCourseBySlug(db, orgId, ref));
}

/**
 * Points the course at a deployment (or at none), unconditionally: for seeding a fresh course (tests,
 * fixtures). Promotions and rollbacks go through `deployments/pointer.ts`, which moves the pointer only
 * from the deployment its sender saw (docs/deployments.md).
 */
export function setLiveDeploymentStatement(db: Database, courseId: string, deploymentId: string | null) {
  return db.orm.update(courses).set({ liveDeploymentId: deploymentId }).where(eq(courses.id, courseId));
}

/** Whose a course is and whether the shared origin still serves it: what the fs content listener routes by. */
export async function courseOrigin(
  db: Database,
  courseId: string,
): Promise<{ orgId: string; sharedOrigin: number } | undefined> {
  return db.orm
    .select({ orgId: courses.orgId, sharedOrigin: courses.sharedOrigin })
    .from(courses)
    .where(eq(courses.id, courseId))
    .get();
}

/** Takes a course off the shared origin: its next deployment is on its org's own. */
export function leaveSharedOriginStatement(db: Database, courseId: string) {
  return db.orm.update(courses).set({ sharedOrigin: 0 }).where(eq(courses.id, courseId));
}
