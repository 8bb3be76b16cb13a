/**
 * The launch stub, on the LMS origin inside the gated package: asks the Gatekeeper first, then (only when
 * allowed) loads the player from the content origin while it opens the LMS session and snapshots it, and
 * relays the player's calls to the LMS until the session ends, reporting the session's outcome to the
 * Gatekeeper. An asset page (`asset` in the config) shows the content itself and touches no LMS API.
 */

import { readConfig } from '../../formats/launch-pages/stub-config.js';
import { CONTENT_LOADED, type WelcomeValue } from '../../protocol/bridge.js';
import type { StubConfig } from '../../protocol/launch-page.js';
import { REFUSAL_NOTICES as NOTICES, refusalNotice } from '../../protocol/refusals.js';
import { findApi } from '../../runtime/lms/discover.js';
import { createNonce, openChannel } from '../bridge/channel.js';
import { type ContentTarget, resolveContent, withPageQuery } from './content-url.js';
import { requestLaunch } from './launch.js';
import { call, type LmsApi, lmsNames } from './lms-api.js';
import { createRelay } from './relay.js';
import { createReporter } from './report.js';
import { readSnapshot } from './snapshot.js';
import { showNotice, showPlayer, showStatus } from './view.js';

export interface StubOptions {
  win: Window;
  fetch?: typeof fetch;
}

/** Runs the whole launch in `win`; resolves when the player frame is up or a notice is shown. */
export async function startStub({ win, fetch: fetchFn = win.fetch.bind(win) }: StubOptions): Promise<void> {
  const doc = win.document;
  const config = readConfig(doc);
  if (!config) return showNotice(doc, NOTICES.bad_config);
  showStatus(doc, 'Opening the course…');
  const outcome = await requestLaunch(fetchFn, config.gatekeeper, {
    token: config.token,
    standard: config.standard,
  });
  if (!outcome.ok) {
    const notice = refusalNotice(outcome.code);
    // "Try again" launches once the Gatekeeper's Retry-After has passed, never sooner (docs/gated-delivery.md).
    return showNotice(
      doc,
      notice,
      notice.retry ? () => void setTimeout(startStub, outcome.w, { win, fetch: fetchFn }) : undefined,
    );
  }
  const entry =
    config.entry === undefined ? undefined : withPageQuery(config.entry, win.location, config.query);
  const target = resolveContent(outcome.launch.contentUrl, outcome.launch.contentBase, entry);
  if (!target) return showNotice(doc, NOTICES.refused);
  // An asset calls no API: no player, no scorm-again, no LMS session; the content origin's page itself.
  if (config.asset === true) return void showPlayer(doc, target.root + target.entry);
  const session = outcome.launch.session?.token;
  openSession(win, config, target, typeof session === 'string' ? session : undefined, fetchFn);
}

function openSession(
  win: Window,
  config: StubConfig,
  target: ContentTarget,
  session: string | undefined,
  fetchFn: typeof fetch,
) {
  const doc = win.document;
  const { standard } = config;
  const names = lmsNames(standard);
  const api = findApi<LmsApi>(names.global, win);
  if (!api) return showNotice(doc, NOTICES.no_lms);
  const nonce = createNonce(win.crypto);
  // The player page and its scorm-again chunk (the standard is in the fragment) load while the LMS opens
  // the session and answers the snapshot; the welcome goes out when the player says hello.
  const fragment = new URLSearchParams({ n: nonce, o: win.location.origin, e: target.entry, s: standard });
  const frame = showPlayer(doc, `${target.playerUrl}#${fragment}`);
  // The notice replaces the frame before the player could run: no content runs without an LMS session.
  if (call(api, names.Initialize, '') !== 'true') return showNotice(doc, NOTICES.no_lms);
  const snapshot = readSnapshot(api, standard);
  const relay = createRelay(
    api,
    standard,
    snapshot,
    session ? createReporter(fetchFn, config.gatekeeper, session) : undefined,
  );
  let welcomed = false;
  const channel = openChannel({
    self: win,
    peer: () => frame.contentWindow,
    origin: target.origin,
    nonce,
    onMessage(m) {
      if (m.type === 'hello') {
        // A second hello (a reloaded or navigated frame) gets nothing: the snapshot is handed over once.
        if (welcomed) return;
        welcomed = true;
        const value: WelcomeValue = { standard, snapshot, session };
        channel.post({ type: 'welcome', value });
      } else if (m.type === 'call' && typeof m.id === 'number') {
        channel.post({ type: 'result', id: m.id, value: relay.apply(m.method, m.args) });
      } else if (m.type === 'event' && m.value === CONTENT_LOADED) {
        // Visible state for whoever watches the page (tests, support): the course page is up.
        doc.body.dataset.cgContent = 'loaded';
      }
    },
  });
  win.addEventListener('pagehide', () => relay.finish());
}
