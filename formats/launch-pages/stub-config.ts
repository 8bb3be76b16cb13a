/** The stub's configuration, embedded by the packager in the gated package's launch page. */
import type { BridgeStandard } from '../../protocol/bridge.js';

export interface StubConfig {
  /** Gatekeeper base URL, e.g. `https://gate.example.com`. */
  gatekeeper: string;
  /** The license token (compact JWS). */
  token: string;
  standard: BridgeStandard;
  /**
   * The launched path relative to the deployment root (`shared/launchpage.html`); the stub appends its own
   * page's query and fragment. Packages written before issue 19 carry the item's parameters here
   * (`shared/quiz.html?q=1`).
   */
  entry?: string | undefined;
  /**
   * The names of the query parameters the manifest launches this page with (resource href query, item
   * `parameters`): the only ones forwarded from the page URL to the content. Absent: none.
   */
  query?: unknown;
  /** Every resource launching this page is an asset: check the license, show it, open no LMS session. */
  asset?: unknown;
}

/** The id of the `<script type="application/json">` element holding the config. */
export const CONFIG_ELEMENT_ID = 'coursegate-config';

/** Reads and checks the config; undefined when it is missing or malformed. */
export function readConfig(doc: Document): StubConfig | undefined {
  try {
    const c = JSON.parse(doc.getElementById(CONFIG_ELEMENT_ID)?.textContent ?? '') as Partial<StubConfig>;
    if (
      typeof c.gatekeeper === 'string' &&
      /^https?:\/\//.test(c.gatekeeper) &&
      typeof c.token === 'string' &&
      (c.standard === 'scorm12' || c.standard === 'scorm2004') &&
      (c.entry === undefined || typeof c.entry === 'string')
    ) {
      return c as StubConfig;
    }
  } catch {}
  return undefined;
}
