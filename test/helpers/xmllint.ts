import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { SHARED_DIR } from './shared.js';

const run = promisify(execFile);

export const SCHEMAS = {
  scorm12: 'standards/scorm-xsd/scorm12-package.xsd',
  scorm2004: 'standards/scorm-xsd/scorm2004-package.xsd',
  cmi5: 'standards/cmi5/CourseStructure.xsd',
} as const;

/**
 * Validates an XML file (or string, with `{ xml }`) against a schema under `../shared`, offline.
 * Rejects with xmllint's own message, so a failing test says which element is wrong.
 */
export async function validateXml(
  input: string | { xml: string },
  schema: keyof typeof SCHEMAS,
): Promise<void> {
  let file = typeof input === 'string' ? input : '';
  let tmp: string | undefined;
  if (typeof input !== 'string') {
    tmp = await mkdtemp(join(tmpdir(), 'cg-xml-'));
    file = join(tmp, 'manifest.xml');
    await writeFile(file, input.xml);
  }
  try {
    await run('xmllint', ['--nonet', '--noout', '--schema', join(SHARED_DIR, SCHEMAS[schema]), file]);
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new Error(`xmllint: ${(e.stderr ?? e.message).trim()}`);
  } finally {
    if (tmp) await rm(tmp, { recursive: true, force: true });
  }
}
