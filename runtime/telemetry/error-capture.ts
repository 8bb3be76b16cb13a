/**
 * Error capture for the course page: uncaught errors, unhandled rejections, failed resource loads and
 * the runtime's own LMS errors, turned into scrubbed {@link ErrorReport}s (docs/telemetry.md, "Errors").
 * Listeners are attached by `install` only, never at import.
 */
import type { RuntimeErrorCode } from '../../protocol/errors.js';
import { scrub } from '../../protocol/scrub.js';
import type { Breadcrumb, ErrorKind, ErrorReport } from '../../protocol/telemetry.js';
import { listen } from './listen.js';
import { uuid } from './xapi.js';

/** Keeps the first line and the top `frames` frames, each scrubbed. */
export function trimStack(stack: string, frames = 8): string {
  return stack
    .split('\n')
    .slice(0, frames + 1)
    .map((l) => scrub(l.trim()))
    .join('\n');
}

/** FNV-1a of kind, message and top frame: the same bug on every page load gets the same fingerprint. */
export function fingerprint(kind: string, message: string, stack = ''): string {
  const top = stack.split('\n').find((l) => /(\bat |@).*:\d/.test(l)) || '';
  let h = 0x811c9dc5;
  for (const c of `${kind}|${message}|${top}`) h = Math.imul(h ^ c.charCodeAt(0), 16777619);
  return (h >>> 0).toString(16);
}

export interface ErrorCaptureOptions {
  course: string;
  deployment?: string;
  now(): Date;
  /** Receives every captured occurrence (count 1); the outbox coalesces by fingerprint and caps. */
  report(r: ErrorReport): void;
  /** How many recent runtime events ride along with each error; default 10. */
  breadcrumbs?: number;
}

export interface ErrorCapture {
  /** Records one occurrence; `stack` is trimmed and everything is scrubbed. */
  capture(kind: ErrorKind, message: string, stack?: string, code?: RuntimeErrorCode): void;
  /** Notes a runtime event (a statement, an LMS call) to attach to later errors. */
  breadcrumb(type: string, detail?: string): void;
  install(target?: Window): void;
  uninstall(): void;
}

/**
 * @example
 * const cap = createErrorCapture({ course: 'intro', now: () => new Date(), report: (r) => outbox.error(r) });
 * cap.install(); // window error, unhandledrejection, failed <img>/<script>/<link> loads
 * cap.capture('runtime', 'LMSCommit returned false', undefined, 'lms_commit_failed');
 */
export function createErrorCapture({
  course,
  deployment,
  now,
  report,
  breadcrumbs = 10,
}: ErrorCaptureOptions): ErrorCapture {
  const crumbs: Breadcrumb[] = [];
  let target: Window | undefined;

  // Absent fields stay undefined, which JSON leaves out.
  const capture: ErrorCapture['capture'] = (kind, message, stack, code) => {
    const msg = scrub(message);
    const st = stack && trimStack(stack);
    const at = now().toISOString();
    report({
      id: uuid(),
      fingerprint: fingerprint(kind, msg, st),
      kind,
      code,
      message: msg,
      stack: st,
      count: 1,
      firstAt: at,
      lastAt: at,
      course,
      deployment,
      page: scrub(location.pathname),
      breadcrumbs: crumbs.slice(),
    });
  };

  // One capture-phase listener sees both script errors (ErrorEvent at the window) and failed loads
  // of elements, which do not bubble. A cross-origin script's error is only "Script error.".
  const onError = (e: Event) => {
    try {
      const el = e.target as Element | null;
      if (el?.tagName) {
        const src = (el as HTMLImageElement).src || (el as HTMLLinkElement).href || '';
        capture('resource', `${el.tagName} failed: ${src}`);
      } else if (e instanceof ErrorEvent) {
        capture('error', e.message, e.error?.stack);
      }
    } catch {
      // Capture must never throw into the page it watches.
    }
  };
  const onRejection = (e: PromiseRejectionEvent) => {
    try {
      const r = e.reason || {};
      capture('rejection', r.message || String(r), r.stack);
    } catch {
      // as above
    }
  };

  const handlers = { error: onError, unhandledrejection: onRejection };

  return {
    capture,
    breadcrumb(type, detail) {
      if (crumbs.push({ at: now().toISOString(), type, detail: detail && scrub(detail) }) > breadcrumbs)
        crumbs.shift();
    },
    install(w = window) {
      if (target) return;
      target = w;
      listen(w, true, handlers);
    },
    uninstall() {
      if (target) listen(target, false, handlers);
      target = undefined;
    },
  };
}
