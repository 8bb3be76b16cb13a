/**
 * The launch stub, on the LMS origin inside the gated package: asks the Gatekeeper first, then (only when
 * allowed) opens the LMS session, snapshots it, loads the player from the content origin and relays its
 * calls to the LMS until the session ends, reporting the session's outcome to the Gatekeeper.
 */
import { CONTENT_INITIALIZED, CONTENT_LOADED, type WelcomeValue } from '../../protocol/bridge.js';
import { createNonce, openChannel } from '../bridge/channel.js';
import { findApi } from '../lms/discover.js';
import { readConfig, type StubConfig } from './config.js';
import { resolveContent } from './content-url.js';
import { requestLaunch } from './launch.js';
import { call, type LmsApi, lmsNames } from './lms-api.js';
import { NOTICES } from './messages.js';
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
  if (!config) return showNotice(doc, NOTICES.bad_config!);
  showStatus(doc, 'Opening the course…');
  const outcome = await requestLaunch(fetchFn, config.gatekeeper, {
    token: config.token,
    standard: config.standard,
  });
  if (!outcome.ok) {
    const notice = NOTICES[outcome.code] ?? NOTICES.refused!;
    return showNotice(doc, notice, notice.retry ? () => void startStub({ win, fetch: fetchFn }) : undefined);
  }
  const target = resolveContent(outcome.launch.contentUrl, outcome.launch.contentBase, config.entry);
  if (!target) return showNotice(doc, NOTICES.refused!);
  const session = outcome.launch.session?.token;
  openSession(win, config, target, typeof session === 'string' ? session : undefined, fetchFn);
}

function openSession(
  win: Window,
  config: StubConfig,
  target: NonNullable<ReturnType<typeof resolveContent>>,
  session: string | undefined,
  fetchFn: typeof fetch,
) {
  const doc = win.document;
  const names = lmsNames(config.standard);
  const api = findApi<LmsApi>(names.global, win);
  if (!api || call(api, names.Initialize, '') !== 'true') return showNotice(doc, NOTICES.no_lms!);
  const snapshot = readSnapshot(api, config.standard);
  const relay = createRelay(
    api,
    config.standard,
    session ? createReporter(fetchFn, config.gatekeeper, session) : undefined,
  );
  const nonce = createNonce(win.crypto);
  let frame: HTMLIFrameElement | undefined;
  let welcomed = false;
  const channel = openChannel({
    self: win,
    peer: () => frame?.contentWindow,
    origin: target.origin,
    nonce,
    onMessage(m) {
      if (m.type === 'hello') {
        // A second hello (a reloaded or navigated frame) gets nothing: the snapshot is handed over once.
        if (welcomed) return;
        welcomed = true;
        const value: WelcomeValue = { standard: config.standard, snapshot, session };
        channel.post({ type: 'welcome', value });
      } else if (m.type === 'call' && typeof m.id === 'number') {
        channel.post({ type: 'result', id: m.id, value: relay.apply(m.method, m.args) });
      } else if (m.type === 'event' && m.value === CONTENT_INITIALIZED) {
        relay.contentStarted();
      } else if (m.type === 'event' && m.value === CONTENT_LOADED) {
        relay.contentLoaded();
        // Visible state for whoever watches the page (tests, support): the course page is up.
        doc.body.dataset.cgContent = 'loaded';
      }
    },
  });
  win.addEventListener('pagehide', () => relay.finish());
  const fragment = new URLSearchParams({ n: nonce, o: win.location.origin, e: target.entry });
  frame = showPlayer(doc, `${target.playerUrl}#${fragment}`);
}
