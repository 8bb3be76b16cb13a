/**
 * The player: a page under `_coursegate/` on the content origin, framed by the launch stub. It greets the
 * stub, receives the LMS snapshot, serves the course a pre-seeded scorm-again API as `window.API` /
 * `window.API_1484_11`, forwards every change to the stub, and loads the course's entry in an inner frame
 * (with the session token in its fragment, for the course's own telemetry).
 */
import type { BridgeStandard, CallResult, WelcomeValue } from '../../protocol/bridge.js';
import { CONTENT_INITIALIZED, CONTENT_LOADED } from '../../protocol/bridge.js';
import { openChannel } from '../bridge/channel.js';
import { entryUrl, type PlayerParams, readParams, readStandard, withSession } from './params.js';
import { type SeedableApi, seedAndRelay } from './relay-api.js';

export interface PlayerOptions {
  win: Window;
  /** Builds the local SCORM API for a standard (scorm-again, loaded on demand). */
  createApi(standard: BridgeStandard): Promise<SeedableApi>;
}

function isWelcome(v: unknown): v is WelcomeValue {
  const w = v as WelcomeValue | undefined;
  return (
    !!w &&
    (w.standard === 'scorm12' || w.standard === 'scorm2004') &&
    typeof w.snapshot === 'object' &&
    w.snapshot !== null &&
    Object.values(w.snapshot).every((x) => typeof x === 'string') &&
    (w.session === undefined || typeof w.session === 'string')
  );
}

function say(doc: Document, text: string) {
  const p = doc.createElement('p');
  p.setAttribute('role', 'alert');
  p.textContent = text;
  doc.body.replaceChildren(p);
}

/**
 * Starts the handshake; the course frame appears once the stub's welcome arrives. A fragment naming only
 * the standard (the launch page's early frame) loads scorm-again and waits for the stub to hand over the
 * launch in the fragment (`hashchange`); only the first launch handed over counts.
 */
export function startPlayer({ win, createApi }: PlayerOptions): void {
  const doc = win.document;
  const preloaded = readStandard(win.location.hash);
  // Start fetching scorm-again now, while the stub opens the LMS session; the welcome still decides.
  const early = preloaded && createApi(preloaded).catch(() => undefined);
  const launch = () => {
    const params = readParams(win.location.hash);
    const src = params && entryUrl(win.location.href, params.entry);
    if (!params || !src || win.parent === win) return false;
    run(params, src);
    return true;
  };
  if (launch()) return;
  if (preloaded && win.parent !== win) {
    const onHash = () => {
      if (launch()) win.removeEventListener('hashchange', onHash);
    };
    win.addEventListener('hashchange', onHash);
    return;
  }
  say(doc, 'This page only runs inside a course launch.');

  function run(params: PlayerParams, src: string) {
    let welcomed = false;
    let nextId = 1;
    const channel = openChannel({
      self: win,
      peer: () => win.parent,
      origin: params.stubOrigin,
      nonce: params.nonce,
      onMessage(m) {
        if (m.type === 'welcome' && !welcomed && isWelcome(m.value)) {
          welcomed = true;
          void begin(m.value);
        } else if (m.type === 'result') {
          const r = m.value as CallResult | undefined;
          if (r && r.r !== 'true')
            console.warn(`coursegate: the LMS refused call ${m.id}: ${r.e} ${r.s ?? ''}`);
        }
      },
    });
    channel.post({ type: 'hello' });

    async function begin({ standard, snapshot, session }: WelcomeValue) {
      let api: SeedableApi;
      try {
        api = (standard === preloaded && (await early)) || (await createApi(standard));
      } catch {
        say(doc, 'The course player could not start. Please reload the page.');
        return;
      }
      seedAndRelay(api, standard, snapshot, {
        started: () => channel.post({ type: 'event', value: CONTENT_INITIALIZED }),
        forward: (method, args) => channel.post({ type: 'call', id: nextId++, method, args }),
      });
      (win as unknown as Record<string, unknown>)[standard === 'scorm12' ? 'API' : 'API_1484_11'] = api;
      const frame = doc.createElement('iframe');
      frame.title = doc.title || 'Course';
      frame.allow = 'fullscreen; autoplay';
      frame.setAttribute('style', 'position:fixed;inset:0;width:100%;height:100%;border:0');
      // Only a page that loaded and never called Initialize is content without a SCORM runtime; one that
      // never loaded (content origin down) must not be recorded as completed.
      frame.addEventListener('load', () => channel.post({ type: 'event', value: CONTENT_LOADED }), {
        once: true,
      });
      frame.src = session ? withSession(src, session) : src;
      doc.body.replaceChildren(frame);
    }
  }
}
