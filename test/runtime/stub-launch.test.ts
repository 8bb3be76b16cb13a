import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SeedableApi } from '../../delivery/player/relay-api.js';
import { withPageQuery } from '../../delivery/stub/content-url.js';
import { startStub } from '../../delivery/stub/stub.js';
import { Scorm2004API } from '../helpers/scorm-again.js';

/**
 * The stub's launch once the Gatekeeper allowed it: what it frames (the player with the entry the LMS
 * launched, or an asset's page itself), in which order it opens the LMS session, and what is left on
 * the page when the LMS cannot be reached.
 */
const QUIET = { autocommit: false, lmsCommitUrl: false, logLevel: 5 } as const;
const ROOT = 'https://cdn.example/c/d1/';
type HappyWindow = Window & {
  happyDOM: {
    setURL(url: string): void;
    settings: { disableIframePageLoading: boolean; handleDisabledFileLoadingAsSuccess: boolean };
  };
};
const happy = window as unknown as HappyWindow;
const globals = window as unknown as Record<string, unknown>;

beforeEach(() => {
  // The frames' pages are not fetched: what is framed is read from the frame's src.
  happy.happyDOM.settings.disableIframePageLoading = true;
  happy.happyDOM.settings.handleDisabledFileLoadingAsSuccess = true;
});
afterEach(() => {
  document.head.innerHTML = '';
  document.body.innerHTML = '';
  delete globals.API_1484_11;
  happy.happyDOM.setURL('http://localhost:3000/');
});

function page(url: string, config: Record<string, unknown>) {
  happy.happyDOM.setURL(url);
  document.body.innerHTML = `<main id="coursegate"></main><script type="application/json" id="coursegate-config">${JSON.stringify({ gatekeeper: 'https://gate.example', token: 't', standard: 'scorm2004', ...config })}</script>`;
}

const allow = vi.fn(async () =>
  Response.json({
    session: { id: 's1', token: 'sess', expiresAt: '2030-01-01T00:00:00Z' },
    contentUrl: `${ROOT}shared/launchpage.html`,
    contentBase: ROOT,
  }),
) as unknown as typeof fetch;

function lms() {
  const api = new Scorm2004API(QUIET);
  (api as unknown as SeedableApi).loadFromFlattenedJSON({ 'cmi.learner_id': 'learner-7' }, '');
  globals.API_1484_11 = api;
  return api;
}

const frameSrc = () => document.querySelector('iframe')?.getAttribute('src') ?? '';
const playerParams = () => new URLSearchParams(new URL(frameSrc()).hash.slice(1));

describe('the entry the player frames carries the launch page URL’s query and fragment', () => {
  it('golf 4th edition: shared/launchpage.html launched with ?content=playing frames that query', async () => {
    lms();
    page('https://lms.example/pkg/shared/launchpage.html?content=playing', {
      entry: 'shared/launchpage.html',
      query: ['content'],
    });
    await startStub({ win: window, fetch: allow });
    expect(frameSrc().startsWith(`${ROOT}_coursegate/player.html#`)).toBe(true);
    expect(playerParams().get('e')).toBe('shared/launchpage.html?content=playing');
    expect(playerParams().get('o')).toBe('https://lms.example');
  });

  it('forwards only the parameters the manifest launches the page with: the learner an LMS adds stays behind', async () => {
    lms();
    const pii = 'student_id=jane%40example.com&student_name=Jane%20Doe';
    page(`https://lms.example/pkg/shared/launchpage.html?${pii}&content=playing`, {
      entry: 'shared/launchpage.html',
      query: ['content'],
    });
    await startStub({ win: window, fetch: allow });
    expect(playerParams().get('e')).toBe('shared/launchpage.html?content=playing');
    // A page whose config names no parameters forwards no query at all.
    lms();
    page(`https://lms.example/pkg/index.html?${pii}`, { entry: 'index.html' });
    await startStub({ win: window, fetch: allow });
    expect(playerParams().get('e')).toBe('index.html');
  });

  it('joins a query the entry already has with &, appends the fragment, and leaves an old package as it was', () => {
    const at = (url: string) => new URL(url);
    const keys = ['x', 'y', 'lang'];
    expect(withPageQuery('shared/a.html', at('https://l.example/p/a.html?x=1&z=0&y=2#p3'), keys)).toBe(
      'shared/a.html?x=1&y=2#p3',
    );
    // Packages written before issue 19: the parameters are in the entry, the page is launched without any.
    expect(withPageQuery('shared/quiz.html?questions=Playing', at('https://l.example/p/sco-1.html'))).toBe(
      'shared/quiz.html?questions=Playing',
    );
    expect(
      withPageQuery('shared/quiz.html?questions=Playing', at('https://l.example/p/sco-1.html?lang=fr'), keys),
    ).toBe('shared/quiz.html?questions=Playing&lang=fr');
    expect(withPageQuery('a.html', at('https://l.example/p/a.html?lang=fr'), 'lang')).toBe('a.html');
  });

  it('the confinement checks still hold after forwarding: nothing outside the deployment is framed', async () => {
    const api = lms();
    const init = vi.spyOn(api, 'Initialize');
    page('https://lms.example/pkg/index.html?x=/../../evil.html', { entry: 'index.html', query: ['x'] });
    await startStub({ win: window, fetch: allow });
    expect(document.querySelector('iframe')).toBeNull();
    expect(document.querySelector('[role="alert"]')?.textContent).toContain('cannot be opened');
    expect(init).not.toHaveBeenCalled();
  });
});

describe('overlap: the player loads while the LMS session opens', () => {
  it('frames the player (with the standard, for scorm-again) before Initialize, then snapshots', async () => {
    const api = lms();
    const framedAtInitialize: string[] = [];
    const initialize = api.Initialize.bind(api);
    api.Initialize = (p = '') => {
      framedAtInitialize.push(frameSrc());
      return initialize(p);
    };
    page('https://lms.example/pkg/shared/launchpage.html', { entry: 'shared/launchpage.html' });
    await startStub({ win: window, fetch: allow });
    expect(framedAtInitialize).toHaveLength(1);
    expect(framedAtInitialize[0]).toBe(frameSrc());
    expect(playerParams().get('s')).toBe('scorm2004');
  });

  it('an LMS that refuses Initialize leaves a notice and no frame: no content runs without a session', async () => {
    const api = lms();
    api.Initialize = () => 'false';
    page('https://lms.example/pkg/shared/launchpage.html', { entry: 'shared/launchpage.html' });
    await startStub({ win: window, fetch: allow });
    expect(document.querySelector('iframe')).toBeNull();
    expect(document.querySelector('[role="alert"]')?.textContent).toContain('No connection to your LMS');
  });

  it('the page’s early player frame is the one shown and handed the launch; a refused Initialize removes it', async () => {
    lms();
    page('https://lms.example/pkg/shared/launchpage.html', { entry: 'shared/launchpage.html' });
    document.body.insertAdjacentHTML(
      'beforeend',
      `<iframe id="coursegate-player" hidden src="${ROOT}_coursegate/player.html#s=scorm2004"></iframe>`,
    );
    const early = document.querySelector('iframe')!;
    const handedOver: string[] = [];
    // Its page is not loaded here: a stand-in for the player's window (cross-origin: its URL unreadable)
    // records where the stub sends it.
    const location = {
      replace: (url: string) => void handedOver.push(url),
      get href(): string {
        throw new DOMException('cross-origin', 'SecurityError');
      },
    };
    Object.defineProperty(early, 'contentWindow', { value: { location } });
    await startStub({ win: window, fetch: allow });
    expect(document.querySelectorAll('iframe')).toHaveLength(1);
    expect(early.hidden).toBe(false);
    expect(handedOver).toHaveLength(1);
    expect(handedOver[0]!.startsWith(`${ROOT}_coursegate/player.html#n=`)).toBe(true);

    lms().Initialize = () => 'false';
    page('https://lms.example/pkg/shared/launchpage.html', { entry: 'shared/launchpage.html' });
    document.body.insertAdjacentHTML('beforeend', '<iframe id="coursegate-player" hidden></iframe>');
    await startStub({ win: window, fetch: allow });
    expect(document.querySelector('iframe')).toBeNull();
  });

  it('no LMS API at all: a notice and no frame', async () => {
    page('https://lms.example/pkg/shared/launchpage.html', { entry: 'shared/launchpage.html' });
    await startStub({ win: window, fetch: allow });
    expect(document.querySelector('iframe')).toBeNull();
    expect(document.querySelector('[role="alert"]')?.textContent).toContain('No connection to your LMS');
  });
});

describe('an asset page', () => {
  it('checks the license, then frames the content itself with the launch query, and never touches the LMS API', async () => {
    const lookups = vi.fn(() => undefined);
    Object.defineProperty(window, 'API_1484_11', { get: lookups, configurable: true });
    const fetchFn = vi.fn(async () => Response.json({ contentUrl: `${ROOT}index.html`, contentBase: ROOT }));
    page('https://lms.example/pkg/docs/glossary.html?lang=fr&student_id=jane', {
      entry: 'docs/glossary.html',
      asset: true,
      query: ['lang'],
    });
    await startStub({ win: window, fetch: fetchFn as unknown as typeof fetch });
    expect(fetchFn).toHaveBeenCalledTimes(1);
    expect(frameSrc()).toBe(`${ROOT}docs/glossary.html?lang=fr`);
    expect(lookups).not.toHaveBeenCalled();
  });

  it('a refused license shows the notice and frames nothing', async () => {
    page('https://lms.example/pkg/docs/glossary.html', { entry: 'docs/glossary.html', asset: true });
    const refuse = vi.fn(async () =>
      Response.json({ error: { code: 'license_revoked', message: 'x' } }, { status: 403 }),
    ) as unknown as typeof fetch;
    await startStub({ win: window, fetch: refuse });
    expect(document.querySelector('iframe')).toBeNull();
    expect(document.querySelector('[role="alert"]')?.textContent).toContain('revoked');
  });

  it('a 429 launch: "Try again" launches once the Retry-After has passed, never sooner; a 503 offers it too', async () => {
    vi.useFakeTimers();
    try {
      page('https://lms.example/pkg/docs/glossary.html', { entry: 'docs/glossary.html', asset: true });
      const calls: number[] = [];
      const answers = [
        () =>
          Response.json(
            { error: { code: 'rate_limited', message: 'x' } },
            { status: 429, headers: { 'retry-after': '30' } },
          ),
        () =>
          Response.json(
            { error: { code: 'disk_full', message: 'x' } },
            { status: 503, headers: { 'retry-after': '60' } },
          ),
      ];
      const fetchFn = vi.fn(async (...args: Parameters<typeof fetch>) => {
        calls.push(Date.now());
        const next = answers.shift();
        return next ? next() : (allow as (...a: Parameters<typeof fetch>) => Promise<Response>)(...args);
      }) as unknown as typeof fetch;
      await startStub({ win: window, fetch: fetchFn });
      const tryAgain = () => document.querySelector<HTMLButtonElement>('[role="alert"] button');
      expect(document.querySelector('[role="alert"]')?.textContent).toContain('rate limited');
      tryAgain()?.click();
      await vi.advanceTimersByTimeAsync(29_000);
      expect(calls).toHaveLength(1);
      await vi.advanceTimersByTimeAsync(1_000);
      expect(calls).toHaveLength(2);
      // A full disk on the server is no refusal of the license: the learner may try again, a minute later.
      expect(tryAgain()?.textContent).toBe('Try again');
      tryAgain()?.click();
      await vi.advanceTimersByTimeAsync(59_000);
      expect(calls).toHaveLength(2);
      await vi.advanceTimersByTimeAsync(1_000);
      expect(calls).toHaveLength(3);
      expect(frameSrc()).toBe(`${ROOT}docs/glossary.html`);
    } finally {
      vi.useRealTimers();
    }
  });
});
