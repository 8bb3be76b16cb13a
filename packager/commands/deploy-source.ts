import { existsSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DeploymentMetadata } from '../../protocol/deploy.js';
import { loadCourseConfig } from '../course-config.js';
import { PackagerError } from '../errors.js';
import { extractPackage } from '../extract.js';
import { inspectPackage } from '../inspect.js';

export interface DeploySource {
  dir: string;
  entry: string;
  metadata: DeploymentMetadata;
  /** Removes the temporary extraction of a zip; a no-op for a directory. */
  cleanup(): Promise<void>;
}

function courseMetadata(dir: string): { entry: string; metadata: DeploymentMetadata } | undefined {
  if (!existsSync(join(dir, 'coursegate.json')) && !existsSync(join(dir, 'package.json'))) return undefined;
  try {
    const c = loadCourseConfig(dir);
    const { entry, iri: _iri, ...rest } = c;
    return { entry, metadata: rest };
  } catch (err) {
    // A package.json without a "coursegate" field is just a build artifact here.
    if (existsSync(join(dir, 'coursegate.json'))) throw err;
    return undefined;
  }
}

/**
 * Resolves what `coursegate deploy` was given: a build directory (course metadata from its
 * coursegate.json, or the current directory's), or a third-party SCORM / cmi5 zip, extracted safely to a
 * temporary directory and inspected for its standard, SCOs / AUs and entry point.
 */
export async function openDeploySource(source: string, entryOption?: string): Promise<DeploySource> {
  if (!existsSync(source)) throw new PackagerError('input_not_found', `Not found: ${source}`);
  if (statSync(source).isDirectory()) {
    const found = courseMetadata(source) ?? courseMetadata(process.cwd());
    return {
      dir: source,
      entry: entryOption ?? found?.entry ?? 'index.html',
      metadata: found?.metadata ?? {},
      cleanup: async () => {},
    };
  }
  const info = await inspectPackage(source);
  const dir = await mkdtemp(join(tmpdir(), 'coursegate-deploy-'));
  const cleanup = () => rm(dir, { recursive: true, force: true });
  // From here every way out but success removes the extraction: the caller only cleans up what it got.
  try {
    await extractPackage(source, dir);
    const local = info.launchables.filter((l) => !/^[a-z][a-z0-9+.-]*:/i.test(l.launchUrl));
    const first = local.find((l) => l.kind !== 'asset') ?? local[0];
    if (!first && !entryOption)
      throw new PackagerError('invalid_package', `${source} names no launchable page inside the package`);
    return {
      dir,
      entry: entryOption ?? first!.launchUrl.replace(/[?#].*$/, ''),
      metadata: {
        id: info.identifier,
        title: info.title,
        standard: info.standard,
        ...(info.masteryScore === undefined ? {} : { masteryScore: info.masteryScore }),
        items: info.launchables.map((l) => ({
          id: l.id,
          title: l.title,
          kind: l.kind,
          launchUrl: l.launchUrl,
          ...(l.masteryScore === undefined ? {} : { masteryScore: l.masteryScore }),
        })),
      },
      cleanup,
    };
  } catch (err) {
    await cleanup();
    throw err;
  }
}
