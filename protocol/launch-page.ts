/**
 * What a gated launch page reads (docs/gated-delivery.md): the configuration embedded in it as
 * `<script type="application/json" id="coursegate-config">` (the SCORM stub's, written by the packager or
 * the Gatekeeper; the cmi5 launch page's, written by the Gatekeeper), and the cmi5 launch page's URL:
 * `…/cmi5-launch.html?t=<license token>[&au=<AU path>]&<the LMS's launch parameters>`. The packager writes
 * `t` and `au`; the LMS appends `endpoint`, `fetch`, `actor`, `registration` and `activityId` (cmi5 §8.1).
 */
import type { BridgeStandard } from './bridge.js';

/** The id of the `<script type="application/json">` element holding a launch page's configuration. */
export const CONFIG_ELEMENT_ID = 'coursegate-config';

/**
 * The id of the gated SCORM launch page's player frame: hidden in the page's HTML, it loads the player
 * (standard only, no nonce) while the stub asks for the launch, and the stub hands it the launch in its
 * fragment once allowed (docs/gated-delivery.md, "Launch overhead").
 */
export const PLAYER_FRAME_ID = 'coursegate-player';

/** The SCORM launch stub's configuration, embedded in each launched page of a gated package. */
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

/** The cmi5 launch page's configuration (one page per course, on the content origin). */
export interface Cmi5LaunchConfig {
  /** Gatekeeper base URL; the page posts to `{gatekeeper}/v1/launch`. */
  gatekeeper: string;
}

/** Query names the packager writes into the AU URL of a gated cmi5 package. */
export const TOKEN_PARAM = 't';
export const AU_PARAM = 'au';

export interface LaunchQuery {
  token: string;
  /** The AU's launch path relative to the deployment root (multi-AU courses); absent: the course entry. */
  au?: string;
  /** Everything else, byte for byte and in order: the LMS's launch parameters, never decoded or sent on. */
  lmsQuery: string;
}

function decodePart(value: string): string | undefined {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}

/** Splits `location.search`: the first `t` and `au` are ours, the rest is the LMS's. Undefined without a token. */
export function splitLaunchQuery(search: string): LaunchQuery | undefined {
  const parts = search.replace(/^\?/, '').split('&');
  const rest: string[] = [];
  let token: string | undefined;
  let au: string | undefined;
  for (const part of parts) {
    const eq = part.indexOf('=');
    const name = eq < 0 ? part : part.slice(0, eq);
    const value = eq < 0 ? '' : part.slice(eq + 1);
    if (name === TOKEN_PARAM && token === undefined) token = decodePart(value) ?? '';
    else if (name === AU_PARAM && au === undefined) au = decodePart(value) ?? '';
    else if (part !== '') rest.push(part);
  }
  if (!token) return undefined;
  return { token, ...(au === undefined ? {} : { au }), lmsQuery: rest.join('&') };
}
