/**
 * Anonymous-session telemetry for one launch: xAPI statements and captured errors, through one
 * durable outbox, to the Gatekeeper ingest (docs/telemetry.md).
 */
import type { RuntimeErrorCode } from '../../protocol/errors.js';
import { createErrorCapture } from './error-capture.js';
import { ANSWERED, type InteractionTelemetry, interactionStatement } from './interaction.js';
import { createOutbox } from './outbox.js';
import { makeStatement, type ResultInput, type VerbName, type XapiActivity, type XapiVerb } from './xapi.js';

export interface TelemetryOptions {
  /** Gatekeeper base URL; statements go to `{endpoint}/xapi/statements`, errors to `{endpoint}/v1/errors`. */
  endpoint: string;
  /** Session token from the launch (`session.token`). */
  sessionToken: string;
  /** Anonymous session id (`session.id`): the actor account name. */
  sessionId: string;
  /** Actor account homePage; default `endpoint`. */
  homePage?: string;
  course: string;
  deployment?: string;
  fetch?: typeof fetch;
  /** Default `localStorage`; `null` keeps the outbox in memory. */
  storage?: Storage | null;
  now?: () => Date;
  /** Outbox tuning, see `OutboxOptions`. */
  batchSize?: number;
  maxItems?: number;
  maxErrors?: number;
  retryBaseMs?: number;
  retryMaxMs?: number;
  flushDelayMs?: number;
  /** Told when the ingest refuses a batch for good. Never thrown. */
  onError?: (code: RuntimeErrorCode, message: string) => void;
}

export interface Telemetry {
  /** Queues a statement (a verb name such as `'passed'`, or an IRI) and returns its id ('' when refused). */
  statement(verb: VerbName | string | XapiVerb, object?: string | XapiActivity, result?: ResultInput): string;
  /** Course-defined statements (`course.track`); the same as `statement`. */
  track(verb: VerbName | string | XapiVerb, object?: string | XapiActivity, result?: ResultInput): string;
  /**
   * An answered question (`course.interaction`) as an `answered` statement. The response of a `fill-in`,
   * `long-fill-in` or `other` interaction is left out unless `freeText` is true.
   */
  interaction(i: InteractionTelemetry, freeText?: boolean): string;
  /** Reports an error of the runtime itself (an LMS call that failed, ...). */
  error(code: RuntimeErrorCode, message: string, stack?: string): void;
  /** Notes a runtime event to send with later errors. */
  breadcrumb(type: string, detail?: string): void;
  flush(): Promise<boolean>;
  flushOnUnload(): void;
  /** Starts error capture and the outbox's page listeners; sends what earlier page loads left queued. */
  install(w?: Window): void;
  uninstall(): void;
}

/**
 * @example
 * const t = createTelemetry({ endpoint: 'https://gk.example.com', sessionToken: s.token, sessionId: s.id, course: 'intro' });
 * t.install();
 * t.statement('launched');
 * t.statement('passed', undefined, { score: { raw: 8, min: 0, max: 10, scaled: 0.8 }, success: true, durationMs: 61_000 });
 * t.track('http://adlnet.gov/expapi/verbs/answered', 'quiz-1/q2', { response: 'b', success: true });
 */
export function createTelemetry(o: TelemetryOptions): Telemetry {
  const now = o.now || (() => new Date());
  const box = createOutbox({ ...o, token: o.sessionToken, now });
  const errors = createErrorCapture({ ...o, now, report: box.error });
  const scope = { ...o, homePage: o.homePage || o.endpoint, now };
  // Never throws into course code: a result that cannot be serialised is reported, not queued.
  const statement: Telemetry['statement'] = (verb, object, result) => {
    try {
      const s = makeStatement(scope, verb, object, result && JSON.parse(JSON.stringify(result)));
      errors.breadcrumb(s.verb.id, s.object.id);
      box.statement(s);
      return s.id;
    } catch (e) {
      errors.capture('runtime', String(e), undefined, 'invalid_argument');
      return '';
    }
  };
  return {
    statement,
    track: statement,
    interaction: (i, freeText) => statement(ANSWERED, ...interactionStatement(scope, i, freeText)),
    error: (code, message, stack) => errors.capture('runtime', message, stack, code),
    breadcrumb: errors.breadcrumb,
    flush: box.flush,
    flushOnUnload: box.flushOnUnload,
    install(w) {
      errors.install(w);
      box.install(w);
    },
    uninstall() {
      errors.uninstall();
      box.uninstall();
    },
  };
}
