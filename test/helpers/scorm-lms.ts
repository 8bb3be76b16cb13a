import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { ROOT } from './paths.js';
import { serveOrigins } from './serve.js';

export type Edition = '12' | '2004';

/** What the LMS page keeps about one session, read back by the test. */
export interface LmsRecord {
  /** scorm-again's CMI as JSON (what a real LMS would store). */
  cmi: Record<string, unknown>;
  /** Every SetValue the course made, in order. */
  sets: [string, string][];
  /** Messages scorm-again logged at ERROR level. */
  errors: string[];
}

const apiName = (e: Edition) => (e === '12' ? 'API' : 'API_1484_11');
const setEvent = (e: Edition) => (e === '12' ? 'LMSSetValue.cmi.*' : 'SetValue.cmi.*');

const lmsPage = (edition: Edition, middle: string) => `<!doctype html><title>LMS</title>
<script src="/lib/scorm${edition}.js"></script>
<script>
  window.record = { sets: [], errors: [] };
  // A launch as an LMS does it: a fresh API object seeded with what the previous session stored.
  window.launch = (seed, n) => {
    document.querySelector('iframe')?.remove();
    window.record = { sets: [], errors: [] };
    const api = new Scorm${edition}API({
      autocommit: false,
      lmsCommitUrl: false,
      logLevel: 4,
      onLogMessage: (level, message) => { if (level >= 4) window.record.errors.push(message); },
    });
    if (seed) api.loadFromJSON(seed, '');
    api.on(${JSON.stringify(setEvent(edition))}, (element, value) => window.record.sets.push([element, String(value)]));
    window.${apiName(edition)} = api;
    const frame = document.createElement('iframe');
    frame.src = ${JSON.stringify(`${middle}/middle.html`)} + '?n=' + n;
    document.body.append(frame);
  };
  window.read = () => ({ ...window.record, cmi: JSON.parse(JSON.stringify(window.${apiName(edition)}.cmi)) });
</script>`;

// The cross-origin frame between the LMS and the course: discovery must step over it.
const middlePage = (course: string) => `<!doctype html><title>middle</title><body>
<script>
  const frame = document.createElement('iframe');
  frame.src = ${JSON.stringify(course)} + location.search;
  document.body.append(frame);
</script>`;

const coursePage = `<!doctype html><title>course</title><script src="/runtime/coursegate.iife.js"></script>`;

/**
 * A SCORM LMS (scorm-again in the top frame, origin A), a cross-origin middle frame (origin B) and
 * the course frame (origin A again, so the LMS API is reachable two frames up).
 * @example
 * `options.courseDir` serves a built course at `/course/` (entry `index.html`) instead of the bare page
 * that only loads the runtime.
 * const lms = useScormLms('12');
 * const course = await lms.launch(page, seed);
 */
export function useScormLms(edition: Edition, options: { courseDir?: string } = {}) {
  const coursePath = options.courseDir ? '/course/index.html' : '/course.html';
  let servers: Awaited<ReturnType<typeof serveOrigins>>;
  let launches = 0;
  const files: Record<string, string> = {};
  const assets: Record<string, string> = {
    '/lib/scorm12.js': join(ROOT, 'node_modules/scorm-again/dist/scorm12.js'),
    '/lib/scorm2004.js': join(ROOT, 'node_modules/scorm-again/dist/scorm2004.js'),
    '/runtime/coursegate.iife.js': join(ROOT, 'runtime/dist/coursegate.iife.js'),
  };
  beforeAll(async () => {
    servers = await serveOrigins(
      ['127.0.0.1', 'localhost'].map((host) => ({
        host,
        handler: (req, res) => {
          const path = new URL(req.url ?? '/', 'http://x').pathname;
          const asset = assets[path];
          const inCourse = options.courseDir && host === '127.0.0.1' && path.startsWith('/course/');
          const file =
            asset ??
            (inCourse ? join(options.courseDir as string, path.slice('/course/'.length)) : undefined);
          const body = file && existsSync(file) ? readFileSync(file, 'utf8') : files[`${host}${path}`];
          if (body === undefined) return false;
          const type = path.endsWith('.js')
            ? 'text/javascript'
            : path.endsWith('.css')
              ? 'text/css'
              : 'text/html';
          res.writeHead(200, { 'content-type': type });
          res.end(body);
          return true;
        },
      })),
    );
    const [lms, middle] = servers.origins as [string, string];
    files['127.0.0.1/lms.html'] = lmsPage(edition, middle);
    files['127.0.0.1/course.html'] = coursePage;
    files['localhost/middle.html'] = middlePage(`${lms}${coursePath}`);
  });
  afterAll(async () => {
    await servers?.close();
  });
  return {
    get lmsUrl() {
      return `${servers.origins[0]}/lms.html`;
    },
    /** Launches the course frame with a new API seeded from `seed`; resolves with the course frame. */
    async launch(page: Page, seed?: Record<string, unknown>): Promise<Frame> {
      if (!page.url().endsWith('/lms.html')) await page.goto(`${servers.origins[0]}/lms.html`);
      const n = ++launches;
      await page.evaluate(
        ([s, k]) => (window as unknown as { launch(s: unknown, n: unknown): void }).launch(s, k),
        [seed, n] as const,
      );
      for (let tries = 0; tries < 500; tries++) {
        const frame = page.frames().find((f) => f.url().endsWith(`${coursePath}?n=${n}`));
        if (frame) {
          await frame.waitForFunction(() => 'Coursegate' in window);
          return frame;
        }
        await page.waitForTimeout(20);
      }
      throw new Error('the course frame never loaded');
    },
    read: (page: Page): Promise<LmsRecord> =>
      page.evaluate(() => (window as unknown as { read(): LmsRecord }).read()),
  };
}
