import type { Course } from './course.js';

/** The course IRI cmi5 ids derive from. */
export function courseIri(course: Course): string {
  return course.iri ?? `urn:coursegate:course:${course.id}`;
}
