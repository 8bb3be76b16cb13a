/**
 * xAPI statements about the anonymous session actor (docs/telemetry.md, "Statements"). Nothing the LMS says
 * about the learner is ever an input here: the actor is built from the Gatekeeper URL and the session id
 * only.
 */
import { COURSEGATE_IRI, TELEMETRY_EXTENSIONS } from '../../protocol/telemetry.js';
import { type AnonymousActor, anonymousActor, CMI5, VERBS, type XapiResult } from '../../protocol/xapi.js';

export type VerbName = keyof typeof VERBS;

export interface XapiVerb {
  id: string;
  display?: Record<string, string>;
}

export interface XapiActivity {
  objectType: 'Activity';
  id: string;
  definition?: Record<string, unknown>;
}

export type { XapiResult };

export interface Statement {
  id: string;
  actor: AnonymousActor;
  verb: XapiVerb;
  object: XapiActivity;
  result?: XapiResult | undefined;
  context: { extensions: Record<string, string | undefined> };
  timestamp: string;
}

/** Standard-neutral result, as the course core holds it (scores like `Score` in lms/adapter.ts). */
export interface ResultInput {
  score?: { raw?: number; min?: number; max?: number; scaled?: number };
  success?: boolean;
  completion?: boolean;
  /** 0..1, sent as the cmi5 progress extension (0..100). */
  progress?: number;
  durationMs?: number;
  response?: string;
  extensions?: Record<string, unknown>;
}

/** Who and what every statement of one session is about. */
export interface StatementScope {
  /** The Gatekeeper URL: the actor account's homePage. */
  homePage: string;
  sessionId: string;
  course: string;
  deployment?: string;
  now(): Date;
}

/** A v4 UUID from `crypto.getRandomValues`, which exists in insecure contexts too (`randomUUID` does not). */
export function uuid(): string {
  return '10000000-1000-4000-8000-100000000000'.replace(/[018]/g, (c) =>
    (+c ^ (crypto.getRandomValues(new Uint8Array(1))[0]! & (15 >> (+c / 4)))).toString(16),
  );
}

/** ISO 8601 duration in seconds with centisecond precision, as xAPI asks: `PT3723.45S`. */
export function isoDuration(ms: number): string {
  return `PT${Math.max(0, Math.round(ms / 10)) / 100}S`;
}

const isIri = (s: string) => /^[a-z][\w+.-]*:/i.test(s);

/** A known verb name, an IRI, or a bare word minted under the Coursegate verb base. */
export function toVerb(verb: VerbName | string | XapiVerb): XapiVerb {
  return typeof verb !== 'string'
    ? verb
    : {
        id:
          (VERBS as Record<string, string>)[verb] || (isIri(verb) ? verb : `${COURSEGATE_IRI}/verbs/${verb}`),
      };
}

/** The course's activity IRI, a course-relative id such as `quiz-1` under it, an IRI, or an activity. */
export function toActivity(scope: StatementScope, object?: string | XapiActivity): XapiActivity {
  if (object && typeof object !== 'string') return object;
  const base = `${scope.homePage.replace(/\/$/, '')}/courses/${encodeURIComponent(scope.course)}`;
  return {
    objectType: 'Activity',
    id: !object ? base : isIri(object) ? object : `${base}/${encodeURI(object)}`,
  };
}

/**
 * Converts the core's neutral result into an xAPI result. Absent fields stay `undefined`, which
 * JSON leaves out.
 */
export function toResult({ durationMs, progress, extensions, ...rest }: ResultInput): XapiResult {
  return {
    ...rest,
    duration: durationMs === undefined ? undefined : isoDuration(durationMs),
    extensions:
      progress === undefined
        ? extensions
        : { ...extensions, [CMI5.progressExtension]: Math.round(progress * 100) },
  };
}

/**
 * One statement about the anonymous session actor, with a fresh UUID and the current time.
 * @example
 * makeStatement(scope, 'passed', undefined, { score: { raw: 8, min: 0, max: 10, scaled: 0.8 }, success: true });
 * makeStatement(scope, 'http://adlnet.gov/expapi/verbs/answered', 'quiz-1/q2', { response: 'b' });
 */
export function makeStatement(
  scope: StatementScope,
  verb: VerbName | string | XapiVerb,
  object?: string | XapiActivity,
  result?: ResultInput,
): Statement {
  return {
    id: uuid(),
    actor: anonymousActor(scope.homePage, scope.sessionId),
    verb: toVerb(verb),
    object: toActivity(scope, object),
    result: result && toResult(result),
    context: {
      extensions: {
        [TELEMETRY_EXTENSIONS.course]: scope.course,
        [TELEMETRY_EXTENSIONS.deployment]: scope.deployment,
      },
    },
    timestamp: scope.now().toISOString(),
  };
}
