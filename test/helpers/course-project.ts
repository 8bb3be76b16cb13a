import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { npmInstall, packedPackages } from './packed.js';
import { ROOT } from './paths.js';

const run = promisify(execFile);

/** The version of a tool this repository is tested with (its root `devDependencies`). */
function testedVersion(name: string): string {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    devDependencies: Record<string, string>;
  };
  return pkg.devDependencies[name] ?? 'latest';
}

/**
 * What `npm install` gives a `coursegate new` project once published: the packed runtime and CLI
 * tarballs, with Vite and TypeScript at the versions this repository is tested with.
 */
export async function installPacked(project: string): Promise<void> {
  const packed = await packedPackages();
  await npmInstall(project, [
    packed.runtime,
    packed.cli,
    `vite@${testedVersion('vite')}`,
    `typescript@${testedVersion('typescript')}`,
  ]);
}

/**
 * The author's path with what npm publishes: the packed `coursegate` CLI runs `coursegate new` outside the
 * repository, the project installs the packed runtime and CLI tarballs (Vite and TypeScript at the versions
 * this repository tests), then `npm run build` and `npm run package` as the printed next steps say.
 * Returns the project folder, what `package` wrote on stderr, and the project's own `coursegate` bin.
 */
export async function newCoursePacked(
  work: string,
  name: string,
): Promise<{ project: string; stderr: string; bin: string }> {
  const packed = await packedPackages();
  const tools = join(work, 'tools');
  await npmInstall(tools, [packed.cli]);
  await run(join(tools, 'node_modules/.bin/coursegate'), ['new', name], { cwd: work });
  const project = join(work, name);
  await installPacked(project);
  await run('npm', ['run', 'build'], { cwd: project });
  const packaged = await run('npm', ['run', 'package'], { cwd: project });
  return { project, stderr: packaged.stderr, bin: join(project, 'node_modules/.bin/coursegate') };
}
