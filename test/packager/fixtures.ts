import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Course } from '../../packager/index.js';

/** A small course folder written on the fly; files are created in the order given. */
export function makeCourseDir(files: Record<string, string | Uint8Array>, order?: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'cg-course-'));
  for (const name of order ?? Object.keys(files)) {
    const path = join(dir, name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, files[name]!);
  }
  return dir;
}

export function tempDir(prefix = 'cg-pk-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

export const baseCourse: Course = {
  id: 'intro',
  title: 'Introduction',
  version: '1.0.0',
  entry: 'index.html',
};
