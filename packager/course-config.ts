import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Course, validateCourse } from '../formats/course/course.js';
import { PackagerError } from './errors.js';
import { missingMetadata } from './missing-metadata.js';

/**
 * Reads course metadata from `<dir>/coursegate.json`, or else the `coursegate` field of `<dir>/package.json`
 * (whose `version` and `description` fill in when the field omits them). Throws `invalid_config` naming
 * the file and field, or `missing_metadata` when neither holds course metadata.
 */
export function loadCourseConfig(dir: string): Course {
  const course = findCourseConfig(dir);
  if (course) return course;
  throw missingMetadata({ dirs: [dir] });
}

/** `loadCourseConfig`, but undefined when `dir` holds no course metadata at all. */
export function findCourseConfig(dir: string): Course | undefined {
  const own = join(dir, 'coursegate.json');
  if (existsSync(own)) return validateCourse(readJson(own), own);
  const pkgPath = join(dir, 'package.json');
  if (existsSync(pkgPath)) {
    const pkg = readJson(pkgPath) as Record<string, unknown>;
    const field = pkg.coursegate;
    if (field !== undefined) {
      const source = `${pkgPath} "coursegate"`;
      if (typeof field !== 'object' || field === null) validateCourse(field, source);
      const merged = { ...(field as Record<string, unknown>) };
      if (merged.version === undefined && typeof pkg.version === 'string') merged.version = pkg.version;
      if (merged.description === undefined && typeof pkg.description === 'string') {
        merged.description = pkg.description;
      }
      return validateCourse(merged, source);
    }
  }
  return undefined;
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new PackagerError('invalid_config', `${file}: not valid JSON (${(err as Error).message})`);
  }
}
