/**
 * The gated cmi5 launch page (content origin): asks the Gatekeeper whether this launch is allowed, sending
 * only the license token, the standard and the LMS's origin, then replaces itself with the live AU. The
 * LMS's launch parameters (the learner's actor, the one-time fetch URL) stay in this browser.
 */

import { auTarget } from '../../formats/launch-pages/cmi5-launch-query.js';
import { SESSION_FRAGMENT_KEY } from '../../protocol/launch.js';
import {
  type Cmi5LaunchConfig,
  CONFIG_ELEMENT_ID,
  type LaunchQuery,
  splitLaunchQuery,
} from '../../protocol/launch-page.js';
import { REFUSAL_NOTICES as NOTICES, refusalNotice } from '../../protocol/refusals.js';
import { requestLaunch } from '../stub/launch.js';
import { showNotice, showStatus } from '../stub/view.js';

export interface Cmi5LaunchOptions {
  win: Window;
  fetch?: typeof fetch;
}

function gatekeeperOf(doc: Document): string | undefined {
  try {
    const c = JSON.parse(doc.getElementById(CONFIG_ELEMENT_ID)?.textContent ?? '') as Partial<
      Record<keyof Cmi5LaunchConfig, unknown>
    >;
    return typeof c.gatekeeper === 'string' && /^https?:\/\//.test(c.gatekeeper) ? c.gatekeeper : undefined;
  } catch {
    return undefined;
  }
}

/** The origin of the LMS page that opened this one; a browser sets `document.referrer`, a page cannot forge it. */
export function lmsOriginOf(referrer: string): string | undefined {
  try {
    const origin = new URL(referrer).origin;
    return origin === 'null' ? undefined : origin;
  } catch {
    return undefined;
  }
}

/**
 * Runs the launch: a status line, the one request, then `location.replace` to the AU, or a notice per
 * refusal code with "Try again" where retrying can help. Never throws.
 * @example
 * void startCmi5Launch({ win: window });
 */
export async function startCmi5Launch(options: Cmi5LaunchOptions): Promise<void> {
  const { win } = options;
  const doc = win.document;
  const fetchFn = options.fetch ?? win.fetch.bind(win);
  const gatekeeper = gatekeeperOf(doc);
  const query: LaunchQuery | undefined = splitLaunchQuery(win.location.search);
  if (!gatekeeper || !query) return showNotice(doc, NOTICES.bad_config);
  const lmsOrigin = lmsOriginOf(doc.referrer);

  const attempt = async (): Promise<void> => {
    showStatus(doc, 'Checking access to the course…');
    const outcome = await requestLaunch(fetchFn, gatekeeper, {
      token: query.token,
      standard: 'cmi5',
      ...(lmsOrigin ? { lmsOrigin } : {}),
    });
    if (!outcome.ok) {
      const notice = refusalNotice(outcome.code);
      // "Try again" asks no sooner than the Gatekeeper's Retry-After, as the SCORM stub does.
      return showNotice(doc, notice, notice.retry ? () => void setTimeout(attempt, outcome.w) : undefined);
    }
    const target = auTarget({
      contentUrl: outcome.launch.contentUrl,
      ...(outcome.launch.contentBase === undefined ? {} : { contentBase: outcome.launch.contentBase }),
      ...(query.au === undefined ? {} : { au: query.au }),
      lmsQuery: query.lmsQuery,
      sessionKey: SESSION_FRAGMENT_KEY,
      sessionToken: outcome.launch.session.token,
      origin: win.location.origin,
    });
    if (!target) return showNotice(doc, NOTICES.bad_config);
    win.location.replace(target);
  };
  await attempt();
}
