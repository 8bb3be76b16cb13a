import { resolve } from 'node:path';
import { type Course, loadCourseConfig, validateCourse } from './course.js';
import { listFiles } from './files.js';
import type { SkippedEntry } from './left-out.js';
import type { Scorm2004Edition } from './manifest/scorm2004.js';
import { type PackageTelemetry, validatePackageTelemetry, withPackageTelemetry } from './telemetry-config.js';
import { type PackageFormat, writeStandardPackage } from './write-package.js';
import type { ZipProgress, ZipSummary } from './zip/writer.js';

export interface BuildPackageOptions {
  /** Folder holding the built course. */
  input: string;
  /** Course metadata; default: read from `input` (coursegate.json, or package.json's `coursegate`). */
  course?: Course;
  format: PackageFormat;
  /** SCORM 2004 edition, 3 or 4; default 4. */
  edition?: Scorm2004Edition;
  /** Path of the zip to write. */
  output: string;
  /** Package `*.map` files too; by default they are left out, as a deploy leaves them out. */
  includeSourcemaps?: boolean;
  onProgress?: (progress: ZipProgress & { bytesTotal: number }) => void;
  /**
   * Telemetry for the package's anonymous sessions: written into every HTML page for the runtime's
   * `telemetryFromPackage`. Without it the package sends nothing.
   */
  telemetry?: PackageTelemetry;
}

/**
 * Packages a built course folder as a portable SCORM 1.2, SCORM 2004 or cmi5 zip. What a deploy would
 * leave out of the folder is left out here too and returned in `skipped`, so the caller can name it.
 * @example
 * await buildPackage({ input: 'dist', format: 'scorm12', output: 'intro-scorm12.zip',
 *   course: { id: 'intro', title: 'Intro', version: '1.0.0', entry: 'index.html', masteryScore: 0.8 } });
 */
export async function buildPackage(
  options: BuildPackageOptions,
): Promise<ZipSummary & { output: string; skipped: SkippedEntry[] }> {
  const course = options.course ? validateCourse(options.course) : loadCourseConfig(options.input);
  const telemetry = options.telemetry && validatePackageTelemetry(options.telemetry);
  const skipped: SkippedEntry[] = [];
  const files = await listFiles(options.input, {
    ...(options.includeSourcemaps ? { includeSourcemaps: true } : {}),
    onSkip: (entry) => skipped.push(entry),
  });
  skipped.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const output = resolve(options.output);
  // A previous build written into the folder is not course content.
  const outputInside = files.filter((f) => resolve(options.input, f.path) !== output);
  const bytesTotal = outputInside.reduce((sum, f) => sum + (f.size ?? 0), 0);
  const onProgress = options.onProgress;
  const summary = await writeStandardPackage({
    files: telemetry ? withPackageTelemetry(outputInside, { ...telemetry, course: course.id }) : outputInside,
    course,
    format: options.format,
    output,
    ...(options.edition === undefined ? {} : { edition: options.edition }),
    ...(onProgress ? { onProgress: (p: ZipProgress) => onProgress({ ...p, bytesTotal }) } : {}),
  });
  return { ...summary, output, skipped };
}
