/**
 * What `coursegate new` writes: a Vite + TypeScript course on the Coursegate runtime, built with relative
 * URLs so it runs from the subfolder an LMS serves it from.
 */

/** The package course code imports the runtime from, and what it is imported as. */
export const RUNTIME_PACKAGE = '@coursegate/runtime';
export const RUNTIME_IMPORT = RUNTIME_PACKAGE;
/** The package whose bin the `package` script runs: a dev dependency, since nothing of it ships in the course. */
export const CLI_PACKAGE = 'coursegate';
/** Tool versions the scaffold is tested with (test/cli/new-cli.test.ts builds it with this repo's Vite). */
export const VITE_RANGE = '^8.0.0';
export const TYPESCRIPT_RANGE = '^5.9.0';

export interface ScaffoldOptions {
  /** Course id (also the npm package name): letters, digits, `.`, `_`, `-`. */
  id: string;
  /** Shown in the page and the LMS; plain text without markup (`titleFromId` makes one). */
  title: string;
  /** Version range of the runtime (and CLI) packages, e.g. `^0.1.0`. */
  coursegateRange: string;
}

const json = (v: unknown) => `${JSON.stringify(v, null, 2)}\n`;

/** The scaffold's files by path, as text. */
export function courseFiles(o: ScaffoldOptions): Record<string, string> {
  return {
    'package.json': json({
      name: o.id.toLowerCase(),
      private: true,
      version: '0.1.0',
      type: 'module',
      scripts: {
        dev: 'vite',
        build: 'tsc && vite build',
        package: 'coursegate package dist --format scorm12',
      },
      dependencies: { [RUNTIME_PACKAGE]: o.coursegateRange },
      devDependencies: { [CLI_PACKAGE]: o.coursegateRange, typescript: TYPESCRIPT_RANGE, vite: VITE_RANGE },
    }),
    'coursegate.json': json({
      id: o.id,
      title: o.title,
      version: '0.1.0',
      entry: 'index.html',
      masteryScore: 0.8,
    }),
    'vite.config.ts': `import { defineConfig } from 'vite';

// Relative URLs: an LMS serves the course from a subfolder, where '/assets/…' would not load.
export default defineConfig({ base: './' });
`,
    'tsconfig.json': json({
      compilerOptions: {
        target: 'ES2022',
        module: 'ESNext',
        moduleResolution: 'Bundler',
        lib: ['ES2022', 'DOM', 'DOM.Iterable'],
        strict: true,
        noEmit: true,
        skipLibCheck: true,
      },
      include: ['src'],
    }),
    '.gitignore': 'node_modules/\ndist/\n*.zip\n',
    'index.html': `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>${o.title}</title>
  </head>
  <body>
    <main>
      <h1>${o.title}</h1>
      <p>Is a relative URL safe inside an LMS?</p>
      <button id="yes" type="button">Yes</button>
      <button id="no" type="button">No</button>
      <p id="result" role="status"></p>
    </main>
    <script type="module" src="./src/main.ts"></script>
  </body>
</html>
`,
    'src/main.ts': `import { start } from '${RUNTIME_IMPORT}';

// start() finds the LMS (cmi5, SCORM 2004, SCORM 1.2; none: progress in localStorage). Launched through
// a Coursegate Gatekeeper it also sends anonymous statements and errors; start({ telemetry: false }) never does.
async function main(): Promise<void> {
  const course = await start();
  course.on('error', (e) => console.warn('coursegate', e.code, e.message));
  const result = document.querySelector<HTMLElement>('#result');
  const answer = async (correct: boolean) => {
    course.score(correct ? 1 : 0, { min: 0, max: 1 }); // passed or failed against the mastery score
    course.complete();
    await course.exit();
    if (result) result.textContent = correct ? 'Right: passed.' : 'Not quite: it is.';
  };
  document.querySelector('#yes')?.addEventListener('click', () => void answer(true));
  document.querySelector('#no')?.addEventListener('click', () => void answer(false));
}

void main();
`,
  };
}

/** `my-first_course` → `My first course`. */
export function titleFromId(id: string): string {
  const words = id.replace(/[._-]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
