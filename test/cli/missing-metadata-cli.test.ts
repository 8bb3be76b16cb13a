import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeCourseDir, removeDir } from '../packager/fixtures.js';
import { runCoursegate } from '../packager/run-cli.js';

/**
 * A build folder without `coursegate.json` (issue 21): `coursegate package` fails with `missing_metadata`
 * and a message an author can act on: the required fields, where they can come from, and an example
 * that, written where it says, makes the next run succeed.
 */
const project = makeCourseDir({ 'dist/index.html': '<!doctype html><title>course</title>' });
afterAll(() => removeDir(project));

describe('package without course metadata', { timeout: 60_000 }, () => {
  it('names the required fields, the files and the flag they can come from; its example works', async () => {
    const r = await runCoursegate(['package', 'dist', '-f', 'scorm12', '-o', 'course.zip'], { cwd: project });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/\[missing_metadata\]\n$/);
    for (const field of ['id', 'title', 'version', 'entry']) expect(r.stderr).toContain(field);
    expect(r.stderr).toContain(join('dist', 'coursegate.json'));
    expect(r.stderr).toContain('--config');
    const example = /e\.g\. (\{.*\})/.exec(r.stderr)?.[1] ?? '';
    writeFileSync(join(project, 'dist/coursegate.json'), example);
    const fixed = await runCoursegate(['package', 'dist', '-f', 'scorm12', '-o', 'course.zip'], {
      cwd: project,
    });
    expect(fixed.code, fixed.stderr).toBe(0);
    expect(fixed.stdout).toContain('course.zip (scorm12');
  });
});
