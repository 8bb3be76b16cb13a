import { PACKAGE_TELEMETRY_ELEMENT_ID, type PackageTelemetryConfig } from '../../protocol/telemetry.js';
import { createTelemetry, type Telemetry, type TelemetryOptions } from './create-telemetry.js';
import { uuid } from './xapi.js';

/** localStorage key prefix of the anonymous session id a portable package draws for its course. */
export const ANONYMOUS_SESSION_PREFIX = 'cg:anon:';

/** The telemetry config a portable package was built with, or `undefined` (then nothing is sent). */
export function packageTelemetryConfig(win: Window = window): PackageTelemetryConfig | undefined {
  try {
    const text = win.document.getElementById(PACKAGE_TELEMETRY_ELEMENT_ID)?.textContent;
    if (!text) return undefined;
    const c = JSON.parse(text) as Partial<PackageTelemetryConfig>;
    const ok = [c.endpoint, c.ingestKey, c.course].every((v) => typeof v === 'string' && v);
    return ok ? (c as PackageTelemetryConfig) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The anonymous session id of this course in this browser: a random v4 UUID drawn here, kept in
 * localStorage so the attempt keeps it across pages and visits. Nothing from the LMS goes into it.
 * Where storage is refused, the id lives as long as the page.
 */
export function anonymousSessionId(course: string, win: Window = window): string {
  const name = ANONYMOUS_SESSION_PREFIX + course;
  try {
    const known = win.localStorage.getItem(name);
    if (known) return known;
    const id = uuid();
    win.localStorage.setItem(name, id);
    return id;
  } catch {
    return uuid();
  }
}

/**
 * Telemetry for a portable package built with `--telemetry-endpoint` and `--ingest-key`; `undefined`
 * when it was built without them, so nothing is sent. The bearer credential is `<ingest key>.<session
 * id>`, which the Gatekeeper resolves to an anonymous session of the key's course.
 * @example
 * const course = await start({ telemetry: telemetryFromFragment() ?? telemetryFromPackage() });
 */
export function telemetryFromPackage(
  options: Partial<Omit<TelemetryOptions, 'endpoint' | 'sessionToken' | 'sessionId'>> & {
    window?: Window;
  } = {},
): Telemetry | undefined {
  const { window: win = window, ...rest } = options;
  const config = packageTelemetryConfig(win);
  if (!config) return undefined;
  const sessionId = anonymousSessionId(config.course, win);
  return createTelemetry({
    course: config.course,
    ...rest,
    endpoint: config.endpoint,
    sessionToken: `${config.ingestKey}.${sessionId}`,
    sessionId,
  });
}
