import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from '../helpers/paths.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `bin/coursegate.js` as a child process, the way a user runs it. With `isolated`, the child sees only
 * PATH and `env` (give it a private HOME), so no user config or COURSEGATE_* variable leaks in or out.
 */
export function runCoursegate(
  args: string[],
  options: { cwd?: string; env?: Record<string, string>; isolated?: boolean } = {},
): Promise<CliResult> {
  const base = options.isolated ? { PATH: process.env.PATH ?? '' } : process.env;
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(ROOT, 'bin/coursegate.js'), ...args],
      { cwd: options.cwd ?? ROOT, env: { ...base, ...options.env }, maxBuffer: 16 * 1024 * 1024 },
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
