import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PackagerError } from './errors.js';
import { missingMetadata } from './missing-metadata.js';

/** What a package says about its course (from `coursegate.json` or package.json's `coursegate` field). */
export interface Course {
  /** Stable course id: letters, digits, `.`, `_`, `-` (it seeds manifest identifiers). */
  id: string;
  title: string;
  description?: string;
  /** The course's own version, written into the manifest. */
  version: string;
  /** The launch page, relative to the package root, e.g. `index.html`. */
  entry: string;
  /** Scaled 0..1; SCORM 1.2 gets it as 0..100, SCORM 2004 as the minimum normalized measure. */
  masteryScore?: number;
  /** BCP 47 language of title and description; default `en`. */
  language?: string;
  /** Absolute IRI for cmi5 course and AU ids; default `urn:coursegate:course:<id>`. */
  iri?: string;
}

const ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const LANGUAGE = /^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$/;

function invalid(source: string, field: string, problem: string): never {
  throw new PackagerError('invalid_config', `${source}: "${field}" ${problem}`);
}

function optionalString(raw: Record<string, unknown>, key: string, source: string): string | undefined {
  const value = raw[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') invalid(source, key, `must be a string, got ${typeof value}`);
  return value;
}

/**
 * Checks course metadata and returns it typed; every problem names the field it is about.
 * @example validateCourse({ id: 'intro', title: 'Intro', version: '1.0.0', entry: 'index.html' }, 'coursegate.json')
 */
export function validateCourse(raw: unknown, source = 'course'): Course {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new PackagerError(
      'invalid_config',
      `${source}: must be an object with id, title, version and entry`,
    );
  }
  const r = raw as Record<string, unknown>;
  const required = (key: string): string => {
    const value = optionalString(r, key, source);
    if (value === undefined || value.trim() === '') invalid(source, key, 'is required');
    return value;
  };
  const id = required('id');
  if (!ID.test(id))
    invalid(source, 'id', 'must be 1-128 letters, digits, ".", "_" or "-", starting alphanumeric');
  const title = required('title');
  if (title.length > 200) invalid(source, 'title', 'must be at most 200 characters');
  const version = required('version');
  const entry = required('entry').replace(/^\.\//, '');
  if (
    entry.startsWith('/') ||
    entry.includes('\\') ||
    entry.split('/').includes('..') ||
    /^[a-z]+:/i.test(entry)
  ) {
    invalid(source, 'entry', 'must be a relative path inside the course folder');
  }
  const course: Course = { id, title, version, entry };
  const description = optionalString(r, 'description', source);
  if (description !== undefined) course.description = description;
  if (r.masteryScore !== undefined) {
    const m = r.masteryScore;
    if (typeof m !== 'number' || !Number.isFinite(m) || m < 0 || m > 1) {
      invalid(source, 'masteryScore', 'must be a number from 0 to 1 (e.g. 0.8 for 80 %)');
    }
    course.masteryScore = m;
  }
  const language = optionalString(r, 'language', source);
  if (language !== undefined) {
    if (!LANGUAGE.test(language)) invalid(source, 'language', 'must be a BCP 47 tag such as "en" or "fr-CA"');
    course.language = language;
  }
  const iri = optionalString(r, 'iri', source);
  if (iri !== undefined) {
    if (!/^[a-z][a-z0-9+.-]*:\S+$/i.test(iri)) invalid(source, 'iri', 'must be an absolute IRI');
    course.iri = iri;
  }
  for (const key of Object.keys(r)) {
    if (
      !['id', 'title', 'description', 'version', 'entry', 'masteryScore', 'language', 'iri'].includes(key)
    ) {
      invalid(source, key, 'is not a known field');
    }
  }
  return course;
}

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

// Kept in its own file so code without a file system (the Workers build's export) can use it.
export { courseIri } from './course-iri.js';
