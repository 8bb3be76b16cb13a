import type { Writable } from 'node:stream';

/**
 * Everything the CLI touches outside its arguments: output streams, the environment and `fetch`. The
 * `coursegate` binary passes the process's own (`processIo()`); tests run commands in-process with
 * captured streams, an environment of their own and a `fetch` that may be an app's `request`.
 */
export interface CliIo {
  stdout: Writable;
  stderr: Writable & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  fetch: typeof fetch;
}

/** The process's streams, environment and the global `fetch`. */
export function processIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, env: process.env, fetch: globalThis.fetch };
}
