/** The stub's configuration, embedded by the packager in the gated package's launch page. */
import type { BridgeStandard } from '../../protocol/bridge.js';

export interface StubConfig {
  /** Gatekeeper base URL, e.g. `https://gate.example.com`. */
  gatekeeper: string;
  /** The license token (compact JWS). */
  token: string;
  standard: BridgeStandard;
  /** This SCO's launch path relative to the deployment root, query allowed (`shared/quiz.html?q=1`). */
  entry?: string | undefined;
}

/** The id of the `<script type="application/json">` element holding the config. */
export const CONFIG_ELEMENT_ID = 'coursegate-config';

/** Reads and checks the config; undefined when it is missing or malformed. */
export function readConfig(doc: Document): StubConfig | undefined {
  try {
    const c = JSON.parse(doc.getElementById(CONFIG_ELEMENT_ID)?.textContent ?? '') as Partial<StubConfig>;
    if (
      typeof c.gatekeeper !== 'string' ||
      !/^https?:\/\//.test(c.gatekeeper) ||
      typeof c.token !== 'string' ||
      (c.standard !== 'scorm12' && c.standard !== 'scorm2004') ||
      (c.entry !== undefined && typeof c.entry !== 'string')
    ) {
      return undefined;
    }
    return { gatekeeper: c.gatekeeper, token: c.token, standard: c.standard, entry: c.entry };
  } catch {
    return undefined;
  }
}
