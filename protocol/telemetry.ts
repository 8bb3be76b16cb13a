/**
 * Telemetry wire shapes between the runtime and the Gatekeeper ingest (docs/telemetry.md).
 * Statements go to `POST {endpoint}/xapi/statements` as an array; error reports to
 * `POST {endpoint}/v1/errors` as an {@link ErrorBatch}. Both carry `Authorization: Bearer <session token>`.
 */
import type { RuntimeErrorCode } from './errors.js';

export const INGEST_PATHS = { statements: '/xapi/statements', errors: '/v1/errors' } as const;

/** The xAPI version the runtime sends in `X-Experience-API-Version`. */
export const RUNTIME_XAPI_VERSION = '1.0.3';

/** Base of the IRIs Coursegate mints: course-defined verbs without an IRI of their own, and extensions. */
export const COURSEGATE_IRI = 'https://coursegate.dev/xapi';

/** Context extensions every runtime statement carries; the Gatekeeper groups records by them. */
export const TELEMETRY_EXTENSIONS = {
  course: `${COURSEGATE_IRI}/extensions/course`,
  deployment: `${COURSEGATE_IRI}/extensions/deployment`,
} as const;

/** Where an error came from: window `error`, `unhandledrejection`, a failed resource load, or the runtime itself. */
export type ErrorKind = 'error' | 'rejection' | 'resource' | 'runtime';

/** One of the last few runtime events before an error. */
export interface Breadcrumb {
  /** ISO 8601. */
  at: string;
  type: string;
  detail?: string | undefined;
}

/**
 * Occurrences of one error (same fingerprint) since the previous report of it.
 * `id` is unique per report, so a retried batch is recognised; the ingest adds `count` to the
 * fingerprint's total once per id.
 */
export interface ErrorReport {
  id: string;
  /** Hash of kind, scrubbed message and top stack frame. */
  fingerprint: string;
  kind: ErrorKind;
  code?: RuntimeErrorCode | undefined;
  /** Scrubbed: no emails, tokens, URL query strings or fragments. */
  message: string;
  /** Scrubbed and trimmed to the top frames. */
  stack?: string | undefined;
  count: number;
  /** ISO 8601. */
  firstAt: string;
  lastAt: string;
  course: string;
  deployment?: string | undefined;
  /** Page path without query or fragment. */
  page?: string | undefined;
  breadcrumbs: Breadcrumb[];
}

export interface ErrorBatch {
  errors: ErrorReport[];
}

/**
 * Id of the `<script type="application/json">` element the packager writes into a portable package's
 * HTML pages when it is built with a telemetry endpoint and an ingest key. Without it, no telemetry.
 */
export const PACKAGE_TELEMETRY_ELEMENT_ID = 'coursegate-telemetry';

/** What that element holds: where to send, with which per-course ingest key, about which course. */
export interface PackageTelemetryConfig {
  /** The Gatekeeper's public URL: ingest endpoint and the anonymous actor's homePage. */
  endpoint: string;
  /** A per-course ingest key (`cgi_…`) the Gatekeeper issued; it can be revoked there. */
  ingestKey: string;
  /** The course id from the package metadata (`coursegate.json`). */
  course: string;
}
