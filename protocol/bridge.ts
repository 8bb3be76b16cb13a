/** postMessage protocol between the launch stub (LMS origin) and the player (content origin). */

export type BridgeMessageType = 'hello' | 'welcome' | 'call' | 'result' | 'event';

export interface BridgeMessage {
  cg: 1;
  type: BridgeMessageType;
  /** Per-launch random value; messages with another nonce are ignored. */
  nonce: string;
  /** Correlates a `call` with its `result`. */
  id?: number;
  method?: string;
  args?: unknown[];
  value?: unknown;
}

export function isBridgeMessage(data: unknown): data is BridgeMessage {
  if (typeof data !== 'object' || data === null) return false;
  const m = data as Record<string, unknown>;
  return m.cg === 1 && typeof m.type === 'string' && typeof m.nonce === 'string';
}

/** Standards a gated SCORM launch relays over the bridge. */
export type BridgeStandard = 'scorm12' | 'scorm2004';

/**
 * `welcome.value`: what the stub read from the LMS after Initialize, keyed by CMI element
 * (`cmi.core.lesson_location`, `cmi.objectives.0.id`, …). Only elements the LMS answered without error.
 */
export interface WelcomeValue {
  standard: BridgeStandard;
  snapshot: Record<string, string>;
  /**
   * The session token from `POST /v1/launch`, when there is one: the player hands it to the course as
   * `#cg-session=<token>` on the entry URL, so a course with the Coursegate runtime sends its telemetry.
   */
  session?: string | undefined;
}

/** LMS calls a player may ask the stub to make (`call.method`); the stub maps them to the standard's names. */
export const BRIDGE_METHODS = ['SetValue', 'Commit', 'Terminate'] as const;
export type BridgeMethod = (typeof BRIDGE_METHODS)[number];

/** `result.value`: the LMS's return value and its last error code (`s`, the error string, is optional; the stub leaves it out). */
export interface CallResult {
  r: string;
  e: string;
  s?: string;
}

/** `event.value` the player sends once the course has called Initialize on the player's API. */
export const CONTENT_INITIALIZED = 'initialized';

/** `event.value` the player sends once the course page has loaded in its frame. */
export const CONTENT_LOADED = 'loaded';
