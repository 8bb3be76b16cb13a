import { afterEach, describe, expect, it, vi } from 'vitest';
import { startCmi5Launch } from '../../delivery/cmi5-launch/launch-page.js';
import { auTarget, isConfinedPath, splitLaunchQuery } from '../../formats/launch-pages/cmi5-launch-query.js';
import { renderCmi5LaunchPage } from '../../formats/launch-pages/cmi5-page.js';

const CDN = 'https://cdn.example';
const PAGE = `${CDN}/courses/c1/_coursegate/cmi5-launch.html`;
const LMS_QUERY =
  'endpoint=https%3A%2F%2Flms.example%2Flrs&fetch=https%3A%2F%2Flms.example%2Ffetch%3Fk%3D1&actor=%7B%22name%22%3A%22Jane%20Doe%22%7D&registration=r-1&activityId=https%3A%2F%2Fau';

afterEach(() => {
  document.head.innerHTML = '';
  document.body.innerHTML = '';
});

describe('splitLaunchQuery', () => {
  it('takes the token and AU, and keeps the LMS parameters byte for byte', () => {
    expect(splitLaunchQuery(`?t=a.b.c&au=index.html%3Fpages%3D2&${LMS_QUERY}`)).toEqual({
      token: 'a.b.c',
      au: 'index.html?pages=2',
      lmsQuery: LMS_QUERY,
    });
    // Only the first `t` is ours: an LMS parameter of the same name is passed on.
    expect(splitLaunchQuery('?t=tok&x=1&t=2')).toEqual({ token: 'tok', lmsQuery: 'x=1&t=2' });
  });

  it('is undefined without a token', () => {
    expect(splitLaunchQuery(`?${LMS_QUERY}`)).toBeUndefined();
    expect(splitLaunchQuery('?t=')).toBeUndefined();
  });
});

describe('auTarget', () => {
  const base = {
    contentUrl: `${CDN}/courses/c1/d1/index.html`,
    contentBase: `${CDN}/courses/c1/d1/`,
    lmsQuery: LMS_QUERY,
    sessionKey: 'cg-session',
    sessionToken: 's.t',
    origin: CDN,
  };

  it('launches the entry, or the AU with its own query first, the session in the fragment', () => {
    expect(auTarget(base)).toBe(`${CDN}/courses/c1/d1/index.html?${LMS_QUERY}#cg-session=s.t`);
    expect(auTarget({ ...base, au: 'a b/index.html?pages=2' })).toBe(
      `${CDN}/courses/c1/d1/a%20b/index.html?pages=2&${LMS_QUERY}#cg-session=s.t`,
    );
  });

  it('refuses an AU path that leaves the deployment, and content on another origin', () => {
    for (const au of ['../d0/index.html', '/x.html', 'https://evil.example/', 'a/./b', 'a\\b', ''])
      expect(isConfinedPath(au), au).toBe(false);
    expect(auTarget({ ...base, au: '../d0/index.html' })).toBeUndefined();
    expect(auTarget({ ...base, contentUrl: 'https://evil.example/x.html' })).toBeUndefined();
  });
});

function launchPage(search: string, referrer: string) {
  document.documentElement.innerHTML = renderCmi5LaunchPage({
    gatekeeperUrl: 'https://gate.example',
    script: '',
  }).replace(/^<!doctype html>\s*<html lang="en">|<\/html>\s*$/g, '');
  Object.defineProperty(document, 'referrer', { value: referrer, configurable: true });
  const replace = vi.fn();
  const win = { document, location: { search, origin: CDN, replace } } as unknown as Window;
  return { win, replace };
}

const allowed = () =>
  new Response(
    JSON.stringify({
      session: { id: 's1', token: 's.t', expiresAt: '2026-01-01T00:00:00Z' },
      contentUrl: `${CDN}/courses/c1/d1/index.html`,
      contentBase: `${CDN}/courses/c1/d1/`,
    }),
    { status: 200, headers: { 'content-type': 'application/json' } },
  );

describe('startCmi5Launch', () => {
  it('sends only the token, the standard and the LMS origin, then replaces itself with the AU', async () => {
    const { win, replace } = launchPage(`?t=tok&${LMS_QUERY}`, 'https://lms.example/course/7?learner=jane');
    const fetch = vi.fn(async () => allowed());
    await startCmi5Launch({ win, fetch });
    const [url, init] = fetch.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('https://gate.example/v1/launch');
    expect(JSON.parse(init.body as string)).toEqual({
      token: 'tok',
      standard: 'cmi5',
      lmsOrigin: 'https://lms.example',
    });
    expect(init).toMatchObject({ credentials: 'omit', referrerPolicy: 'no-referrer' });
    expect(replace).toHaveBeenCalledWith(`${CDN}/courses/c1/d1/index.html?${LMS_QUERY}#cg-session=s.t`);
  });

  it('without a referrer sends no LMS origin', async () => {
    const { win } = launchPage('?t=tok', '');
    const fetch = vi.fn(async () => allowed());
    await startCmi5Launch({ win, fetch });
    const init = (fetch.mock.calls[0] as unknown as [string, RequestInit])[1];
    expect(Object.keys(JSON.parse(init.body as string)).sort()).toEqual(['standard', 'token']);
  });

  it('shows the refusal in an alert whose heading takes focus, and goes nowhere', async () => {
    const { win, replace } = launchPage(`?t=tok&${LMS_QUERY}`, PAGE);
    const refused = { error: { code: 'origin_not_allowed', message: 'x' } };
    await startCmi5Launch({ win, fetch: async () => new Response(JSON.stringify(refused), { status: 403 }) });
    const alert = document.querySelector('[role=alert]')!;
    expect(alert.textContent).toContain('Not available on this site');
    expect(document.activeElement?.tagName).toBe('H1');
    expect(alert.querySelector('button')).toBeNull();
    expect(replace).not.toHaveBeenCalled();
  });

  it('offers "Try again" when the Gatekeeper cannot be reached, and launches on retry', async () => {
    const { win, replace } = launchPage(`?t=tok&${LMS_QUERY}`, '');
    const fetch = vi
      .fn()
      .mockRejectedValueOnce(new TypeError('Failed to fetch'))
      .mockImplementation(async () => allowed());
    await startCmi5Launch({ win, fetch });
    expect(document.querySelector('[role=alert]')?.textContent).toContain('Cannot reach the course server');
    (document.querySelector('[role=alert] button') as HTMLButtonElement).click();
    await vi.waitFor(() => expect(replace).toHaveBeenCalledOnce());
  });

  it('a page without a token says the package is damaged', async () => {
    const { win } = launchPage(`?${LMS_QUERY}`, '');
    const fetch = vi.fn();
    await startCmi5Launch({ win, fetch });
    expect(fetch).not.toHaveBeenCalled();
    expect(document.querySelector('[role=alert]')?.textContent).toContain('damaged');
  });
});

describe('renderCmi5LaunchPage', () => {
  it('refuses a script that would end its own element', () => {
    expect(() => renderCmi5LaunchPage({ gatekeeperUrl: 'https://g', script: 'a("</script>")' })).toThrow();
  });
});
