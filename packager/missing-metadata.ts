import { join } from 'node:path';
import { PackagerError } from './errors.js';

/** The fields `validateCourse` requires, and the ones it takes besides. */
const REQUIRED = ['id', 'title', 'version', 'entry'] as const;
const OPTIONAL = ['description', 'masteryScore', 'language', 'iri'] as const;

/**
 * The `missing_metadata` error of a build folder with no course metadata: it names the fields needed
 * and every place they can come from, so the author can fix it without reading the docs.
 * @example
 * throw missingMetadata({ dirs: ['dist', '.'], flag: '--config <file>' });
 */
export function missingMetadata(options: { dirs: string[]; flag?: string }): PackagerError {
  const files = [...new Set(options.dirs)].map(
    (d) => `${join(d, 'coursegate.json')} (or a "coursegate" field in ${join(d, 'package.json')})`,
  );
  const from = [...files, ...(options.flag ? [`a file given with ${options.flag}`] : [])];
  return new PackagerError(
    'missing_metadata',
    `no course metadata: required ${REQUIRED.join(', ')} (optional ${OPTIONAL.join(', ')}), from ${from.join(', or ')}; e.g. {"id": "intro", "title": "Intro", "version": "1.0.0", "entry": "index.html"}`,
  );
}
