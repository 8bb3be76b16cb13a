import { execFile } from 'node:child_process';
import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { runCoursegate } from '../packager/run-cli.js';
import { ROOT } from './paths.js';

const run = promisify(execFile);

/** What `npm install` would give a `coursegate new` project, linked from this repository's node_modules. */
export function linkDependencies(project: string): void {
  const bin = join(project, 'node_modules/.bin');
  mkdirSync(bin, { recursive: true });
  mkdirSync(join(project, 'node_modules/@coursegate'), { recursive: true });
  symlinkSync(join(ROOT, 'runtime'), join(project, 'node_modules/@coursegate/runtime'), 'dir');
  for (const name of ['vite', 'typescript'])
    symlinkSync(join(ROOT, 'node_modules', name), join(project, 'node_modules', name), 'dir');
  symlinkSync(join(ROOT, 'node_modules/vite/bin/vite.js'), join(bin, 'vite'));
  symlinkSync(join(ROOT, 'node_modules/typescript/bin/tsc'), join(bin, 'tsc'));
  symlinkSync(join(ROOT, 'bin/coursegate.js'), join(bin, 'coursegate'));
}

/**
 * `coursegate new <name>` in `work`, its dependencies linked, then `npm run build` and `npm run package`
 * as the printed next steps say; returns the project folder and what `package` wrote on stderr.
 */
export async function newCoursePackaged(
  work: string,
  name: string,
): Promise<{ project: string; stderr: string }> {
  const made = await runCoursegate(['new', name], { cwd: work });
  if (made.code !== 0) throw new Error(`coursegate new failed: ${made.stderr}`);
  const project = join(work, name);
  linkDependencies(project);
  await run('npm', ['run', 'build'], { cwd: project });
  const packaged = await run('npm', ['run', 'package'], { cwd: project });
  return { project, stderr: packaged.stderr };
}
