import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { runCli } from '../../packager/cli.js';
import { ROOT } from '../helpers/paths.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  cwd?: string;
  env?: Record<string, string>;
  /** Only PATH and `env` (give it a private HOME): no user config or COURSEGATE_* variable leaks in or out. */
  isolated?: boolean;
  /** `fetch` for the CLI's requests (e.g. an app's `request`); the global one by default. In-process only. */
  fetch?: typeof fetch;
  /** Run `bin/coursegate.js` as a child process, as a user does, instead of `runCli` in this process. */
  spawn?: boolean;
}

/** A stream that keeps what is written to it. */
function capture(): Writable & { text(): string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return Object.assign(stream, { text: () => chunks.join('') });
}

// One in-process run at a time: the working directory is the process's own.
let queue: Promise<unknown> = Promise.resolve();

/**
 * Runs `coursegate <args>`: in this process through `runCli` with captured streams, its own environment
 * and working directory (the tests of the CLI's logic; no process start, no TypeScript compile), or with
 * `spawn` as the real binary in a child process (the few end-to-end checks of the binary itself).
 */
export function runCoursegate(args: string[], options: RunOptions = {}): Promise<CliResult> {
  const base = options.isolated ? { PATH: process.env.PATH ?? '' } : process.env;
  const env = { ...base, ...options.env };
  if (options.spawn) return spawnCoursegate(args, options.cwd ?? ROOT, env);
  const run = queue.then(async () => {
    const stdout = capture();
    const stderr = capture();
    const before = process.cwd();
    process.chdir(options.cwd ?? ROOT);
    try {
      const code = await runCli(args, { stdout, stderr, env, fetch: options.fetch ?? globalThis.fetch });
      return { code, stdout: stdout.text(), stderr: stderr.text() };
    } finally {
      process.chdir(before);
    }
  });
  queue = run.catch(() => undefined);
  return run;
}

function spawnCoursegate(args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(ROOT, 'bin/coursegate.js'), ...args],
      { cwd, env, maxBuffer: 16 * 1024 * 1024 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}
/** `coursegate admin init` on the Gatekeeper's data dir, saving the CLI config (URL and API key) in HOME. */
export function adminInitArgs(o: { dataDir: string; url: string; email: string }): string[] {
  return [
    'admin',
    'init',
    '--data-dir',
    o.dataDir,
    '--org',
    'Acme',
    '--email',
    o.email,
    '--save-config',
    '--url',
    o.url,
  ];
}
