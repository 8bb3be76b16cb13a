import { type BrowserServer, chromium } from 'playwright-core';
import type { TestProject } from 'vitest/node';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './browser.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The shared Chromium's WebSocket endpoint (test/helpers/browser-server.ts). */
    chromiumWs: string;
  }
}

/**
 * Global setup of the projects whose tests use Chromium: one browser for the whole run, which each test
 * file connects to (`useBrowser`) with contexts of its own. Starting Chromium costs seconds of CPU on this
 * 2-core machine; once per file, that was over a minute of a run.
 */
export default async function setup(project: TestProject) {
  let server: BrowserServer | undefined = await chromium.launchServer({
    executablePath: CHROMIUM_PATH,
    args: CHROMIUM_ARGS,
    timeout: 60_000,
  });
  project.provide('chromiumWs', server.wsEndpoint());
  return async () => {
    await server?.close();
    server = undefined;
  };
}
