import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { ROOT } from '../paths.js';

/** One API call the LMS saw, with its return value and GetLastError right after it. */
export interface LmsCall {
  call: string[];
  result: string;
  code: string;
}

/** What the LMS keeps between sessions of one learner on one item (as its database would). */
export interface StoredRecord {
  cmi: Record<string, string>;
  sharedData: Record<string, string>;
  totalTime?: string;
}

/** One session as the LMS saw it. */
export interface LmsSession {
  /** scorm-again's whole CMI after the session, flattened, plus `adl.data.<targetID>.store`. */
  record: Record<string, string>;
  /** Every SetValue / LMSSetValue, as `[element, value]`, in order. */
  sets: string[][];
  calls: LmsCall[];
  /** Every call after which GetLastError was not "0". */
  errors: Array<{ method: string; args: string[]; code: string }>;
  stored: StoredRecord;
}

export interface LaunchInfo {
  standard: 'scorm12' | 'scorm2004';
  item: string;
  launchUrl: string;
  seed: Record<string, string>;
}

const LOOPBACK = new Set(['127.0.0.1', '127.0.0.2', '127.0.0.3', 'localhost']);
const CDN: Record<string, { file: string; type: string; browser?: (s: string) => string }> = {
  // The golf 4th-edition sample loads jQuery 1.4.3 and jQuery UI 1.8.5 from Google's CDN; the nearest
  // versions installed locally stand in for them, so the fixture runs as shipped with no network.
  'ajax.googleapis.com/ajax/libs/jquery/1.4.3/jquery.min.js': {
    file: 'node_modules/jquery/dist/jquery.min.js',
    type: 'text/javascript',
  },
  'ajax.googleapis.com/ajax/libs/jqueryui/1.8.5/jquery-ui.min.js': {
    file: 'node_modules/jquery-ui/jquery-ui.js',
    type: 'text/javascript',
    // npm's build opens with a CommonJS `require('jquery')`; in a page the global jQuery is the one.
    browser: (s) => s.replace(/^var jQuery = require\('jquery'\);/, ''),
  },
};

/**
 * Keeps the browser context on loopback: the CDN scripts above are served from node_modules, every other
 * request that would leave the machine is aborted and listed in the returned array (tests assert it empty).
 */
export async function keepOnLoopback(context: BrowserContext): Promise<string[]> {
  const escaped: string[] = [];
  await context.route(
    // `*.localhost` is loopback too (Chromium resolves it there): each org's content origin.
    (url) => !LOOPBACK.has(url.hostname) && !url.hostname.endsWith('.localhost'),
    async (route) => {
      const url = new URL(route.request().url());
      const local = CDN[`${url.hostname}${url.pathname}`];
      if (!local) {
        escaped.push(url.href);
        await route.abort();
        return;
      }
      const body = readFileSync(join(ROOT, local.file), 'utf8');
      await route.fulfill({ status: 200, contentType: local.type, body: local.browser?.(body) ?? body });
    },
  );
  return escaped;
}

type LmsWindow = Window & {
  manifestLms: {
    launch(o: unknown): Promise<LaunchInfo>;
    initialized(): boolean;
    finished(): boolean;
    close(): LmsSession;
  };
};

/**
 * Opens the LMS page and launches an item of the package at `packageRoot` (the first launchable one unless
 * `itemIndex` says otherwise); `stored` is the previous session's record, `frameUrl` a probe SCO to frame
 * in the item's place.
 */
export async function lmsLaunch(
  page: Page,
  lmsUrl: string,
  o: { packageRoot: string; stored?: StoredRecord; itemIndex?: number; frameUrl?: string },
): Promise<LaunchInfo> {
  await page.goto(lmsUrl);
  const learner = { id: 'learner-1', name: 'Learner, One' };
  return page.evaluate((args) => (window as unknown as LmsWindow).manifestLms.launch(args), {
    ...o,
    learner,
  });
}

/** Waits until the SCO's session ended (a successful Terminate / LMSFinish reached the LMS). */
export async function lmsFinished(page: Page): Promise<void> {
  await page.waitForFunction(() => (window as unknown as LmsWindow).manifestLms.finished());
}

/** Waits until the SCO's session started (a successful Initialize / LMSInitialize reached the LMS). */
export async function lmsInitialized(page: Page): Promise<void> {
  await page.waitForFunction(() => (window as unknown as LmsWindow).manifestLms.initialized());
}

/** Takes the SCO away as an LMS does after it exits, and returns what the LMS recorded. */
export async function lmsClose(page: Page): Promise<LmsSession> {
  return page.evaluate(() => (window as unknown as LmsWindow).manifestLms.close());
}
