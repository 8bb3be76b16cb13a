import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeCourseDir, removeDir } from './fixtures.js';
import { runCoursegate } from './run-cli.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) removeDir(d);
});

const page = '<!doctype html><title>d2</title>';
function project(): string {
  const dir = makeCourseDir({
    'd2/coursegate.json': JSON.stringify({ id: 'd2', title: 'D2', version: '1', entry: 'index.html' }),
    'd2/index.html': page,
  });
  dirs.push(dir);
  return dir;
}

// Each case is a fresh `coursegate` process (tsx start-up included).
describe('package refuses an output inside the course folder', { timeout: 60_000 }, () => {
  it('over a course file: says so up front and writes nothing', async () => {
    const cwd = project();
    const r = await runCoursegate(['package', 'd2', '-f', 'scorm12', '-o', 'd2/index.html'], { cwd });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      'coursegate: -o d2/index.html is inside the course folder d2 (the package would overwrite or include its own output); write it elsewhere, e.g. -o d2-scorm12.zip [invalid_config]\n',
    );
    expect(readFileSync(join(cwd, 'd2/index.html'), 'utf8')).toBe(page);
    expect(readdirSync(join(cwd, 'd2')).sort()).toEqual(['coursegate.json', 'index.html']);
    expect(readdirSync(cwd)).toEqual(['d2']);
  });

  it('by default, when run in the course folder: names the default and a place outside', async () => {
    const cwd = join(project(), 'd2');
    const r = await runCoursegate(['package', '.', '-f', 'cmi5'], { cwd });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      'coursegate: the default output d2-cmi5.zip is inside the course folder . (the package would overwrite or include its own output); write it elsewhere, e.g. -o ../d2-cmi5.zip [invalid_config]\n',
    );
    expect(readdirSync(cwd).sort()).toEqual(['coursegate.json', 'index.html']);

    const outside = await runCoursegate(['package', '.', '-f', 'cmi5', '-o', '../d2-cmi5.zip'], { cwd });
    expect(outside.code, outside.stderr).toBe(0);
    expect(readdirSync(join(cwd, '..')).sort()).toEqual(['d2', 'd2-cmi5.zip']);
  });
});
