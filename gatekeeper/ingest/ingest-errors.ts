import type { Session } from '../db/sessions.js';
import { GatekeeperError } from '../errors.js';
import { redactIdentifiers } from '../privacy/service.js';
import { ErrorBatchSchema } from './error-schema.js';
import type { ErrorStore } from './error-store.js';
import { scrubText } from './scrub.js';

/**
 * Stores a `{ errors: [ErrorReport] }` batch for `session`: grouped by fingerprint under the session's
 * course and deployment (never the ones the report names), every text field scrubbed again, each
 * report's count added once per report id. Returns how many reports were accepted.
 */
export async function ingestErrors(options: {
  store: ErrorStore;
  session: Session;
  body: unknown;
  now: number;
  /** Family of the sender's browser (`browserFamily`), stored per report. */
  browser?: string | null;
}): Promise<number> {
  const parsed = ErrorBatchSchema.safeParse(options.body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new GatekeeperError(
      'invalid_request',
      issue ? `${issue.path.join('.') || 'body'}: ${issue.message}` : 'Expected { errors: [...] }',
    );
  }
  const { session, now } = options;
  const clamp = (iso: string) => Math.min(Date.parse(iso), now);
  await options.store.write(
    {
      sessionId: session.id,
      orgId: session.orgId,
      courseId: session.courseId,
      deploymentId: session.deploymentId,
      browser: options.browser ?? null,
    },
    parsed.data.errors.map((r) => ({
      reportId: `${session.id}:${redactIdentifiers(r.id)}`,
      fingerprint: r.fingerprint,
      kind: r.kind,
      code: r.code ? scrubText(r.code, 64) : r.kind,
      message: scrubText(r.message),
      stack: r.stack
        ? r.stack
            .split('\n')
            .slice(0, 20)
            .map((l) => scrubText(l, 300))
            .join('\n')
        : null,
      url: r.page ? scrubText(r.page.replace(/[?#].*$/, ''), 500) : null,
      count: r.count,
      firstAt: clamp(r.firstAt),
      lastAt: clamp(r.lastAt),
    })),
  );
  return parsed.data.errors.length;
}
