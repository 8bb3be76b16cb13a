/**
 * Builds hello-course into plain static files: `npx tsx examples/hello-course/build.ts [outDir]`
 * (default `examples/hello-course/dist/`). Copies `src/`, adds the runtime IIFE, and writes the
 * mastery score from `coursegate.json` into the page so the course has it even without an LMS.
 */
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ensureRuntimeBuild } from '../../scripts/ensure-runtime-build.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '../..');

export interface HelloCourseConfig {
  id: string;
  title: string;
  description: string;
  version: string;
  entry: string;
  masteryScore: number;
}

/** Writes the built course to `outDir` and returns its config. */
export function buildHelloCourse(outDir: string = join(HERE, 'dist')): HelloCourseConfig {
  ensureRuntimeBuild(ROOT);
  const config = JSON.parse(readFileSync(join(HERE, 'coursegate.json'), 'utf8')) as HelloCourseConfig;
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  for (const name of readdirSync(join(HERE, 'src')))
    copyFileSync(join(HERE, 'src', name), join(outDir, name));
  copyFileSync(join(ROOT, 'runtime/dist/coursegate.iife.js'), join(outDir, 'coursegate.iife.js'));
  const entry = join(outDir, config.entry);
  const html = readFileSync(entry, 'utf8').replace(
    '<html lang="en">',
    `<html lang="en" data-mastery-score="${config.masteryScore}">`,
  );
  writeFileSync(entry, html);
  return config;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const out = resolve(process.argv[2] ?? join(HERE, 'dist'));
  buildHelloCourse(out);
  console.log(`hello-course built in ${out}`);
}
