import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { validateCourse } from '../../formats/course/course.js';
import { PackagerError } from '../errors.js';
import { courseFiles, titleFromId } from '../scaffold/course-files.js';
import type { CliIo } from './cli-io.js';

/** Refuses a target that is a file or a folder with anything in it: nothing of the author's is overwritten. */
function checkEmpty(dir: string): void {
  if (!existsSync(dir)) return;
  if (!statSync(dir).isDirectory())
    throw new PackagerError('invalid_config', `${dir} exists and is not a folder`);
  if (readdirSync(dir).length > 0)
    throw new PackagerError('invalid_config', `${dir} is not empty; give a new or empty folder`);
}

/**
 * `coursegate new <dir>`: scaffolds a course project (Vite with `base: './'`, TypeScript, the runtime,
 * `coursegate.json`, `npm run dev` / `build` / `package`) and prints the next steps.
 */
export function registerNewCommand(program: Command, io: CliIo, coursegateVersion: string): void {
  program
    .command('new')
    .description('Create a course project: Vite, TypeScript, the Coursegate runtime and coursegate.json')
    .argument('<dir>', 'new or empty folder; its name is the course id')
    .addHelpText(
      'after',
      '\nExample:\n  coursegate new my-course && cd my-course && npm install && npm run dev',
    )
    .action((dir: string) => {
      const id = basename(resolve(dir));
      checkEmpty(dir);
      const files = courseFiles({ id, title: titleFromId(id), coursegateRange: `^${coursegateVersion}` });
      // The folder name becomes the course id: refused here, with the rule, rather than by `package` later.
      validateCourse(JSON.parse(files['coursegate.json'] ?? ''), `course id from the folder name "${id}"`);
      for (const [path, text] of Object.entries(files)) {
        mkdirSync(dirname(join(dir, path)), { recursive: true });
        writeFileSync(join(dir, path), text);
      }
      io.stdout.write(
        `Created ${dir}: a course with Vite, TypeScript and the Coursegate runtime.

Next:
${resolve(dir) === process.cwd() ? '' : `  cd ${dir}\n`}  npm install
  npm run dev       # the course in your browser (no LMS: progress is kept in localStorage)
  npm run build     # dist/, with relative URLs so it runs inside an LMS
  npm run package   # ${id}-scorm12.zip for any LMS; or: npx coursegate package dist --format cmi5

Course metadata (title, version, mastery score) is in coursegate.json.
`,
      );
    });
}
