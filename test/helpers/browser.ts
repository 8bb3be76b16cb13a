import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium, type Download, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, inject } from 'vitest';

/** The browser learners run (Debian's `chromium`): benches and screenshots measure and show this one. */
export const FULL_CHROMIUM_PATH = '/usr/bin/chromium';
const HEADLESS_SHELL_PATH = '/usr/bin/chromium-headless-shell';

/**
 * The tests' Chromium: Debian's `chromium-headless-shell` when installed (the same Blink and V8 without the
 * full browser's UI layers: on this 2-core machine it spends half the CPU per test, and the Chromium files
 * are most of `npm test`), else the full browser. `COURSEGATE_CHROMIUM` overrides both.
 */
export const CHROMIUM_PATH =
  process.env.COURSEGATE_CHROMIUM ??
  (existsSync(HEADLESS_SHELL_PATH) ? HEADLESS_SHELL_PATH : FULL_CHROMIUM_PATH);

/** Flags from TOOLCHAIN.md: without the background-networking ones Chromium hammers the closed network. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface LaunchedBrowser {
  browser: Browser;
  close(): Promise<void>;
}

/**
 * The run's shared Chromium when a global setup started one (test/helpers/browser-server.ts), otherwise
 * a browser of its own. Closing disconnects from a shared one (its contexts go with the connection).
 */
async function connectOrLaunch(): Promise<LaunchedBrowser> {
  const ws = inject('chromiumWs');
  if (!ws) return launchBrowser();
  const browser = await chromium.connect(ws, { timeout: 30_000 });
  return { browser, close: () => browser.close().catch(() => {}) };
}

/** Starts Debian's Chromium with a fresh profile (the tests' one unless `executablePath` says otherwise). */
export async function launchBrowser(options: { executablePath?: string } = {}): Promise<LaunchedBrowser> {
  // Playwright gives every launch a new empty profile of its own.
  const browser = await chromium.launch({
    executablePath: options.executablePath ?? CHROMIUM_PATH,
    args: CHROMIUM_ARGS,
    timeout: 30_000,
  });
  return {
    browser,
    async close() {
      await browser.close().catch(() => {});
    },
  };
}

/**
 * A browser connection per test file (the run's shared Chromium), closed in `afterAll` even when tests
 * fail; every page gets a fresh context.
 * @example
 * const b = useBrowser();
 * it('...', async () => { const page = await b.page(); ... });
 */
export function useBrowser() {
  let launched: LaunchedBrowser | undefined;
  const pages: Page[] = [];
  beforeAll(async () => {
    launched = await connectOrLaunch();
  }, 60_000);
  // A test's pages keep running their LMS, stub and course (timers, polling) until closed: left open,
  // every later test of the file shares the CPU with them.
  afterEach(async () => {
    const done = pages.splice(0);
    await Promise.all(
      done.map((p) =>
        p
          .context()
          .close()
          .catch(() => {}),
      ),
    );
  });
  afterAll(async () => {
    await launched?.close();
  });
  return {
    get browser(): Browser {
      if (!launched) throw new Error('browser not started (useBrowser must be called at file level)');
      return launched.browser;
    },
    /** A page in a fresh context, whose console errors are collected in `errors`. */
    async page(): Promise<Page & { errors: string[] }> {
      if (!launched) throw new Error('browser not started');
      const context = await launched.browser.newContext();
      const page = (await context.newPage()) as Page & { errors: string[] };
      page.errors = [];
      page.on('pageerror', (e) => page.errors.push(e.message));
      pages.push(page);
      return page;
    },
  };
}

/**
 * Saves a download into `dir` under its suggested name and returns the file: connected to the run's
 * shared Chromium, Playwright cannot hand out the browser's own copy (`download.path()`).
 */
export async function savedDownload(download: Download, dir: string): Promise<string> {
  const file = join(dir, download.suggestedFilename());
  await download.saveAs(file);
  return file;
}
