import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { promisify } from 'node:util';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { installPacked } from '../helpers/course-project.js';
import { removeDir, tempDir } from '../packager/fixtures.js';
import { runCoursegate } from '../packager/run-cli.js';

/**
 * `coursegate new <dir>` (issue 21): the scaffold an author starts from, then built with this
 * repository's Vite and TypeScript (`npm run build`) and packaged with the CLI (`npm run package`), as
 * the printed next steps say. The project installs the packed runtime and CLI tarballs.
 */
const work = tempDir('cg-new-');
afterAll(() => removeDir(work));
const run = promisify(execFile);

/** Every `src`/`href` of an HTML page. */
const urlsOf = (html: string) => [...html.matchAll(/\s(?:src|href)="([^"]*)"/g)].map((m) => m[1] ?? '');

// npm install of packed tarballs, a Vite build and a package: minutes when the machine is busy.
describe('coursegate new', { timeout: 360_000 }, () => {
  it('is in the help, with its own --help', async () => {
    const help = await runCoursegate(['--help']);
    expect(help.stdout).toMatch(/\n\s+new <dir>\s+Create a course project/);
    const own = await runCoursegate(['new', '--help']);
    expect(own.code).toBe(0);
    expect(own.stdout).toContain('Usage: coursegate new [options] <dir>');
  });

  it('refuses a folder with anything in it and leaves it as it was', async () => {
    const dir = join(work, 'taken');
    mkdirSync(dir);
    writeFileSync(join(dir, 'notes.txt'), 'mine');
    const r = await runCoursegate(['new', 'taken'], { cwd: work });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/taken is not empty.*\[invalid_config\]\n$/);
    expect(readdirSync(dir)).toEqual(['notes.txt']);
  });

  it('scaffolds a Vite + TypeScript course that builds with relative URLs and packages for an LMS', async () => {
    const r = await runCoursegate(['new', 'first-course'], { cwd: work });
    expect(r.code, r.stderr).toBe(0);
    const project = join(work, 'first-course');
    expect(readdirSync(project).sort()).toEqual([
      '.gitignore',
      'coursegate.json',
      'index.html',
      'package.json',
      'src',
      'tsconfig.json',
      'vite.config.ts',
    ]);
    for (const step of ['cd first-course', 'npm install', 'npm run dev', 'npm run build', 'npm run package'])
      expect(r.stdout).toContain(step);
    const pkg = JSON.parse(readFileSync(join(project, 'package.json'), 'utf8'));
    expect(Object.keys(pkg.scripts)).toEqual(['dev', 'build', 'package']);
    expect(Object.keys(pkg.dependencies)).toEqual(['@coursegate/runtime']);
    expect(Object.keys(pkg.devDependencies)).toContain('coursegate');
    expect(JSON.parse(readFileSync(join(project, 'coursegate.json'), 'utf8'))).toMatchObject({
      id: 'first-course',
      entry: 'index.html',
    });
    expect(readFileSync(join(project, 'vite.config.ts'), 'utf8')).toContain("base: './'");
    expect(readFileSync(join(project, 'src/main.ts'), 'utf8')).toContain("from '@coursegate/runtime'");

    await installPacked(project);
    await run('npm', ['run', 'build'], { cwd: project });
    const packaged = await run('npm', ['run', 'package'], { cwd: project });
    expect(packaged.stderr).not.toContain('warning');
    const zip = unzipSync(readFileSync(join(project, 'first-course-scorm12.zip')));
    expect(Object.keys(zip)).toContain('imsmanifest.xml');
    const page = strFromU8(zip['index.html']!);
    const urls = urlsOf(page);
    expect(urls.length).toBeGreaterThan(0);
    // Each URL is relative and names a file the zip holds, so the page loads from any LMS folder.
    for (const url of urls) {
      expect(url).toMatch(/^\.\//);
      expect(Object.keys(zip)).toContain(posix.normalize(url));
    }
  });

  it('in the current, empty folder: the course id is its name and the next steps start at npm install', async () => {
    const dir = join(work, 'here-course');
    mkdirSync(dir);
    const r = await runCoursegate(['new', '.'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toContain('cd ');
    expect(r.stdout).toContain('npm install');
    expect(JSON.parse(readFileSync(join(dir, 'coursegate.json'), 'utf8')).id).toBe('here-course');
  });

  it('a folder name that cannot be a course id is refused before anything is written', async () => {
    const r = await runCoursegate(['new', 'my course!'], { cwd: work });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/"id".*\[invalid_config\]\n$/);
    expect(readdirSync(work)).not.toContain('my course!');
  });
});
