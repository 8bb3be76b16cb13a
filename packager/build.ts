import { resolve } from 'node:path';
import { type Course, validateCourse } from '../formats/course/course.js';
import { packageManifest } from '../formats/manifest/package-manifest.js';
import type { Scorm2004Edition } from '../formats/manifest/scorm2004.js';
import { loadCourseConfig } from './course-config.js';
import { listFiles } from './files.js';
import type { SkippedEntry } from './left-out.js';
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
  /** Bytes read so far of the files and the manifest (`bytesRead`, never past `bytesTotal`), entries written. */
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
  const edition = options.edition === undefined ? {} : { edition: options.edition };
  const onProgress = options.onProgress;
  let progress: ((p: ZipProgress) => void) | undefined;
  if (onProgress) {
    // The bytes read include the manifest the packager writes, so the total does too (its text is
    // rendered once more here only to be measured; it is small beside the files it lists). Telemetry
    // tags added to HTML pages are not counted: a few hundred bytes, never to show as more than 100 %.
    const { manifest } = packageManifest({ files: outputInside, course, format: options.format, ...edition });
    const bytesTotal = outputInside.reduce((sum, f) => sum + (f.size ?? 0), manifest.bytes.length);
    progress = (p) => onProgress({ ...p, bytesRead: Math.min(p.bytesRead, bytesTotal), bytesTotal });
  }
  const summary = await writeStandardPackage({
    files: telemetry ? withPackageTelemetry(outputInside, { ...telemetry, course: course.id }) : outputInside,
    course,
    format: options.format,
    output,
    ...edition,
    ...(progress ? { onProgress: progress } : {}),
  });
  return { ...summary, output, skipped };
}
