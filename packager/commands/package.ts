import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { type Command, Option } from 'commander';
import { type Course, validateCourse } from '../../formats/course/course.js';
import { buildPackage } from '../build.js';
import { findCourseConfig } from '../course-config.js';
import { PackagerError } from '../errors.js';
import { describeSkipped } from '../left-out.js';
import { missingMetadata } from '../missing-metadata.js';
import { rootAbsoluteWarnings } from '../root-absolute-urls.js';
import { PACKAGE_FORMATS, type PackageFormat } from '../write-package.js';
import type { CliIo } from './cli-io.js';
import { createProgress } from './progress.js';

interface PackageFlags {
  format: PackageFormat;
  output?: string;
  edition?: '3' | '4';
  config?: string;
  telemetryEndpoint?: string;
  ingestKey?: string;
  includeSourcemaps?: boolean;
}

function readCourse(dir: string, config: string | undefined): Course {
  if (config) {
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(config, 'utf8'));
    } catch (err) {
      throw new PackagerError('invalid_config', `${config}: cannot read JSON (${(err as Error).message})`);
    }
    return validateCourse(raw, config);
  }
  // The metadata usually sits in the project root while the built files sit in dist/.
  const inCwd = resolve(dir) === process.cwd();
  const found = findCourseConfig(dir) ?? (inCwd ? undefined : findCourseConfig(process.cwd()));
  if (found) return found;
  throw missingMetadata({ dirs: inCwd ? [dir] : [dir, '.'], flag: '--config <file>' });
}

/** `path` made absolute through any links; for a file not written yet, through its folder's links. */
function realPath(path: string): string {
  const abs = resolve(path);
  for (const [base, rest] of [
    [abs, ''],
    [dirname(abs), basename(abs)],
  ] as const) {
    try {
      return join(realpathSync(base), rest);
    } catch {
      // not there (yet): try its folder, else take the path as given
    }
  }
  return abs;
}

/**
 * Refuses an output inside the course folder: it would overwrite a course file (an `-o index.html` left
 * the package without its entry page) or end up in the next package built from the folder.
 */
function checkOutsideInput(dir: string, output: string, given: boolean, defaultName: string): void {
  const root = realPath(dir);
  const rel = relative(root, realPath(output));
  if (rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return;
  const what = given ? `-o ${output}` : `the default output ${output}`;
  const elsewhere = relative(realPath('.'), join(dirname(root), defaultName)) || defaultName;
  throw new PackagerError(
    'invalid_config',
    `${what} is inside the course folder ${dir} (the package would overwrite or include its own output); write it elsewhere, e.g. -o ${elsewhere}`,
  );
}

/**
 * `coursegate package <dir> --format <f> [-o file] [--edition 3|4] [--config file] [--include-sourcemaps]`.
 * Names on stderr what it left out, in the words `deploy` uses.
 */
export function registerPackageCommand(program: Command, io: CliIo): void {
  program
    .command('package')
    .description('Write a portable SCORM 1.2, SCORM 2004 or cmi5 zip of a built course folder')
    .argument('<dir>', 'folder holding the built course')
    .addOption(
      new Option('-f, --format <format>', 'standard to package for')
        .choices(PACKAGE_FORMATS)
        .makeOptionMandatory(),
    )
    .option('-o, --output <file>', 'zip to write (default: <course id>-<format>.zip)')
    .addOption(new Option('--edition <n>', 'SCORM 2004 edition (default: 4)').choices(['3', '4']))
    .option(
      '--config <file>',
      'course metadata JSON (default: <dir>/coursegate.json, package.json "coursegate", then the same in the current folder)',
    )
    .option('--include-sourcemaps', 'package *.map files too (left out by default, as deploy does)')
    .option(
      '--telemetry-endpoint <url>',
      'Gatekeeper URL the package sends anonymous telemetry to (with --ingest-key; default: no telemetry)',
    )
    .option(
      '--ingest-key <key>',
      'per-course ingest key (cgi_…) from `coursegate courses ingest-keys create`',
    )
    .addHelpText(
      'after',
      '\nExamples:\n  coursegate package dist --format scorm12\n  coursegate package dist --format scorm2004 --edition 3 -o intro.zip\n  coursegate package dist --format scorm12 --telemetry-endpoint https://gk.example.com --ingest-key cgi_…',
    )
    .action(async (dir: string, flags: PackageFlags) => {
      if (flags.edition && flags.format !== 'scorm2004') {
        throw new PackagerError('invalid_config', '--edition applies to --format scorm2004 only');
      }
      if ((flags.telemetryEndpoint === undefined) !== (flags.ingestKey === undefined))
        throw new PackagerError('invalid_config', '--telemetry-endpoint and --ingest-key go together');
      if (!existsSync(dir)) throw new PackagerError('input_not_found', `${dir} does not exist`);
      const course = readCourse(dir, flags.config);
      const defaultName = `${course.id}-${flags.format}.zip`;
      const output = flags.output ?? defaultName;
      checkOutsideInput(dir, output, flags.output !== undefined, defaultName);
      for (const w of rootAbsoluteWarnings({ dir, pages: [course.entry] })) io.stderr.write(`${w}\n`);
      let progress: ReturnType<typeof createProgress> | undefined;
      const result = await buildPackage({
        input: dir,
        course,
        format: flags.format,
        output,
        ...(flags.edition ? { edition: Number(flags.edition) as 3 | 4 } : {}),
        ...(flags.includeSourcemaps ? { includeSourcemaps: true } : {}),
        ...(flags.telemetryEndpoint && flags.ingestKey
          ? { telemetry: { endpoint: flags.telemetryEndpoint, ingestKey: flags.ingestKey } }
          : {}),
        onProgress: (p) => {
          progress ??= createProgress(io.stderr, 'packaging', p.bytesTotal);
          progress.update(p.bytesRead);
        },
      });
      progress?.stop();
      for (const entry of result.skipped) io.stderr.write(`${describeSkipped(entry)}\n`);
      io.stdout.write(`${result.output} (${flags.format}, ${result.entries} files, ${result.bytes} bytes)\n`);
    });
}
