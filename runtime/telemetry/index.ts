export { scrub } from '../../protocol/scrub.js';
export type { Breadcrumb, ErrorKind, ErrorReport } from '../../protocol/telemetry.js';
export type { Telemetry, TelemetryOptions } from './create-telemetry.js';
export { createTelemetry } from './create-telemetry.js';
export type { ErrorCapture, ErrorCaptureOptions } from './error-capture.js';
export { createErrorCapture } from './error-capture.js';
export { telemetryFromLaunch } from './from-launch.js';
export type { InteractionTelemetry } from './interaction.js';
export type { Outbox, OutboxOptions } from './outbox.js';
export { createOutbox, OUTBOX_PREFIX } from './outbox.js';
export {
  ANONYMOUS_SESSION_PREFIX,
  anonymousSessionId,
  packageTelemetryConfig,
  telemetryFromPackage,
} from './portable.js';
export type { LaunchSession } from './session.js';
export { sessionFromFragment, telemetryFromFragment } from './session.js';
export type {
  ResultInput,
  Statement,
  StatementScope,
  VerbName,
  XapiActivity,
  XapiResult,
  XapiVerb,
} from './xapi.js';
export { makeStatement } from './xapi.js';
