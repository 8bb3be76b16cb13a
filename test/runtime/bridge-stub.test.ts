import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SeedableApi } from '../../delivery/player/relay-api.js';
import { resolveContent } from '../../delivery/stub/content-url.js';
import type { LmsApi } from '../../delivery/stub/lms-api.js';
import { createRelay } from '../../delivery/stub/relay.js';
import { readSnapshot } from '../../delivery/stub/snapshot.js';
import { startStub } from '../../delivery/stub/stub.js';
import { readConfig } from '../../formats/launch-pages/stub-config.js';
import { renderStubPage } from '../../formats/launch-pages/stub-page.js';
import { Scorm12API, Scorm2004API } from '../helpers/scorm-again.js';

const QUIET = { autocommit: false, lmsCommitUrl: false, logLevel: 5 } as const;

function lms12(seed: Record<string, string>) {
  const api = new Scorm12API(QUIET);
  (api as unknown as SeedableApi).loadFromFlattenedJSON(seed, '');
  return api;
}

afterEach(() => {
  document.head.innerHTML = '';
  document.body.innerHTML = '';
  delete (window as unknown as Record<string, unknown>).API;
});

describe('resolveContent (where the player lives)', () => {
  it('uses contentBase when the Gatekeeper sends one', () => {
    const t = resolveContent(
      'https://cdn.example/c/d1/Playing/Playing.html',
      'https://cdn.example/c/d1/',
      'Etiquette/Course.html',
    );
    expect(t).toEqual({
      origin: 'https://cdn.example',
      root: 'https://cdn.example/c/d1/',
      entry: 'Etiquette/Course.html',
      playerUrl: 'https://cdn.example/c/d1/_coursegate/player.html',
    });
  });

  it('strips the configured entry from contentUrl when it ends with it', () => {
    const t = resolveContent(
      'https://cdn.example/c/d1/shared/launchpage.html',
      undefined,
      'shared/launchpage.html',
    );
    expect(t?.root).toBe('https://cdn.example/c/d1/');
    expect(t?.entry).toBe('shared/launchpage.html');
    const spaced = resolveContent(
      'https://cdn.example/c/d1/My%20Course/start.html',
      undefined,
      'My Course/start.html?a=1',
    );
    expect(spaced?.root).toBe('https://cdn.example/c/d1/');
  });

  it('otherwise takes contentUrl directory as the root and its last segment as the entry', () => {
    const t = resolveContent('https://cdn.example/c/d1/index.html?lang=en');
    expect(t?.root).toBe('https://cdn.example/c/d1/');
    expect(t?.entry).toBe('index.html?lang=en');
    expect(resolveContent('https://cdn.example/c/d1/', undefined, 'a/b.html?q=1')?.entry).toBe(
      'a/b.html?q=1',
    );
  });

  it('refuses entries that leave the deployment and bases on another origin', () => {
    expect(resolveContent('https://cdn.example/c/d1/', undefined, '../other/x.html')).toBeUndefined();
    expect(
      resolveContent('https://cdn.example/c/d1/', undefined, 'https://evil.example/x.html'),
    ).toBeUndefined();
    expect(resolveContent('https://cdn.example/c/d1/', undefined, '/x.html')).toBeUndefined();
    expect(resolveContent('https://cdn.example/c/d1/a.html', 'https://evil.example/')).toBeUndefined();
    expect(resolveContent('javascript:alert(1)')).toBeUndefined();
  });
});

describe('renderStubPage + readConfig', () => {
  it('round-trips the config, escaping what could close the script element', () => {
    const html = renderStubPage({
      gatekeeperUrl: 'https://gate.example',
      token: 'tok</script><script>alert(1)</script>',
      standard: 'scorm2004',
      entry: 'shared/quiz.html?questions=Playing',
      title: 'Golf <Explained> & "more"',
    });
    expect(html).not.toContain('</script><script>alert');
    expect(html).toContain('<title>Golf &lt;Explained&gt; &amp; &quot;more&quot;</title>');
    expect(html).toContain('<script src="coursegate-stub.js"></script>');
    document.documentElement.innerHTML = html
      .replace(/^<!doctype html>\n<html lang="en">/, '')
      .replace('</html>', '');
    expect(readConfig(document)).toEqual({
      gatekeeper: 'https://gate.example',
      token: 'tok</script><script>alert(1)</script>',
      standard: 'scorm2004',
      entry: 'shared/quiz.html?questions=Playing',
    });
  });

  it('holds the player in a hidden frame that names only the standard (never for an asset page), and preconnects to the Gatekeeper', () => {
    const player = 'https://cdn.example/courses/c1/d1/_coursegate/player.html';
    const base = { gatekeeperUrl: 'https://gate.example/x', token: 't', title: 'Golf' } as const;
    // Parsed, not inserted: a parsed document loads no frame.
    const page = new DOMParser().parseFromString(
      renderStubPage({ ...base, standard: 'scorm2004', player }),
      'text/html',
    );
    const frame = page.getElementById('coursegate-player')!;
    expect(frame.hasAttribute('hidden')).toBe(true);
    expect(frame.getAttribute('src')).toBe(`${player}#s=scorm2004`);
    expect(frame.getAttribute('referrerpolicy')).toBe('no-referrer');
    const html = renderStubPage({ ...base, standard: 'scorm12', player, asset: true });
    expect(html).not.toContain('<iframe');
    expect(html).toContain('<link rel="preconnect" href="https://gate.example" crossorigin>');
  });

  it('rejects a config without a usable Gatekeeper URL or standard', () => {
    document.body.innerHTML = `<script type="application/json" id="coursegate-config">{"gatekeeper":"ftp://x","token":"t","standard":"scorm12"}</script>`;
    expect(readConfig(document)).toBeUndefined();
    document.body.innerHTML = `<script type="application/json" id="coursegate-config">{"gatekeeper":"https://x","token":"t","standard":"cmi5"}</script>`;
    expect(readConfig(document)).toBeUndefined();
  });
});

describe('readSnapshot', () => {
  it('reads SCORM 1.2 learner, status, location, suspend data and keeps interaction indexes aligned', () => {
    const api = lms12({
      'cmi.core.student_id': 'jane@example.com',
      'cmi.core.student_name': 'Doe, Jane',
      'cmi.core.lesson_location': '4',
      'cmi.core.entry': 'resume',
      'cmi.suspend_data': 'state',
      'cmi.launch_data': 'ld',
      'cmi.objectives.0.id': 'obj1',
      'cmi.objectives.0.status': 'passed',
      'cmi.interactions.0.id': 'q1',
      'cmi.interactions.1.id': 'q2',
    });
    api.LMSInitialize('');
    const snap = readSnapshot(api as unknown as LmsApi, 'scorm12');
    expect(snap).toMatchObject({
      'cmi.core.student_id': 'jane@example.com',
      'cmi.core.student_name': 'Doe, Jane',
      'cmi.core.lesson_location': '4',
      'cmi.core.entry': 'resume',
      'cmi.suspend_data': 'state',
      'cmi.launch_data': 'ld',
      'cmi.objectives.0.id': 'obj1',
      'cmi.objectives.0.status': 'passed',
      'cmi.interactions.0.id': 'i0',
      'cmi.interactions.1.id': 'i1',
    });
  });

  it('reads SCORM 2004 objectives and interactions (ids, type, objectives, correct responses) and leaves unset elements out', () => {
    const api = new Scorm2004API(QUIET);
    (api as unknown as SeedableApi).loadFromFlattenedJSON(
      {
        'cmi.learner_id': 'jane@example.com',
        'cmi.location': '3',
        'cmi.scaled_passing_score': '0.8',
        'cmi.objectives.0.id': 'obj_playing',
        'cmi.interactions.0.id': 'q1',
        'cmi.interactions.0.type': 'choice',
        'cmi.interactions.0.learner_response': 'a',
        'cmi.interactions.0.objectives.0.id': 'obj_playing',
        'cmi.interactions.0.correct_responses.0.pattern': 'b',
      },
      '',
    );
    api.Initialize('');
    const snap = readSnapshot(api as unknown as LmsApi, 'scorm2004');
    expect(snap).toMatchObject({
      'cmi.learner_id': 'jane@example.com',
      'cmi.location': '3',
      'cmi.scaled_passing_score': '0.8',
      'cmi.objectives.0.id': 'obj_playing',
      'cmi.interactions.0.type': 'choice',
      'cmi.interactions.0.objectives.0.id': 'obj_playing',
      'cmi.interactions.0.correct_responses.0.pattern': 'b',
    });
    expect(snap).not.toHaveProperty('cmi.score.scaled');
  });
});

describe('createRelay', () => {
  it('applies SetValue, Commit and Terminate and nothing else, and nothing after Terminate', () => {
    const api = lms12({});
    api.LMSInitialize('');
    const relay = createRelay(api as unknown as LmsApi, 'scorm12', {});
    expect(relay.apply('SetValue', ['cmi.core.lesson_location', '3'])).toEqual({ r: 'true', e: '0' });
    expect(relay.apply('SetValue', ['cmi.core.student_id', 'x'])).toMatchObject({ r: 'false', e: '403' });
    expect(relay.apply('GetValue', ['cmi.core.student_id'])).toEqual({ r: 'false', e: '-1' });
    expect(relay.apply('Initialize', [])).toEqual({ r: 'false', e: '-1' });
    expect(relay.apply('Commit', [])).toEqual({ r: 'true', e: '0' });
    expect(relay.apply('Terminate', [])).toEqual({ r: 'true', e: '0' });
    expect(relay.apply('SetValue', ['cmi.core.lesson_location', '4'])).toEqual({ r: 'false', e: '-1' });
    expect(api.cmi.core.lesson_location).toBe('3');
  });

  it('finish() commits and terminates once and writes nothing of its own (a page that never initialized stays as the LMS had it)', () => {
    const seeds: Record<string, string>[] = [
      {},
      { 'cmi.core.lesson_status': 'incomplete', 'cmi.core.entry': 'resume' },
    ];
    for (const seed of seeds) {
      const api = lms12(seed);
      api.LMSInitialize('');
      const cmi = () => (api as unknown as { renderCMIToJSONString(): string }).renderCMIToJSONString();
      const before = cmi();
      const calls: string[] = [];
      for (const m of ['LMSSetValue', 'LMSCommit', 'LMSFinish'] as const) {
        const original = api[m].bind(api) as (...a: string[]) => string;
        (api as unknown as Record<string, unknown>)[m] = (...a: string[]) => {
          calls.push(m);
          return original(...a);
        };
      }
      const relay = createRelay(api as unknown as LmsApi, 'scorm12', {});
      relay.finish();
      relay.finish();
      expect(calls).toEqual(['LMSCommit', 'LMSFinish']);
      expect(cmi()).toBe(before);
    }
  });
});

describe('startStub when the launch is refused', () => {
  function page(token: string) {
    document.body.innerHTML = `<main id="coursegate"></main><script type="application/json" id="coursegate-config">${JSON.stringify({ gatekeeper: 'https://gate.example', token, standard: 'scorm12' })}</script>`;
    const api = lms12({});
    const init = vi.spyOn(api, 'LMSInitialize');
    (window as unknown as Record<string, unknown>).API = api;
    return init;
  }

  it('shows the code-specific message in a focused alert and never initializes the LMS', async () => {
    const init = page('t');
    const fetchFn = vi.fn(async () =>
      Response.json({ error: { code: 'license_revoked', message: 'x' } }, { status: 403 }),
    );
    await startStub({ win: window, fetch: fetchFn as unknown as typeof fetch });
    const alert = document.querySelector('[role="alert"]');
    expect(alert?.textContent).toContain('revoked');
    expect(document.activeElement?.tagName).toBe('H1');
    expect(document.querySelector('button')).toBeNull();
    expect(init).not.toHaveBeenCalled();
    const [url, req] = fetchFn.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('https://gate.example/v1/launch');
    expect(JSON.parse(String(req.body))).toEqual({ token: 't', standard: 'scorm12' });
    expect(req.credentials).toBe('omit');
    // A Gatekeeper that never answers ends in "did not answer" with Try again, not an endless wait.
    expect(req.signal).toBeInstanceOf(AbortSignal);
    expect(req.signal?.aborted).toBe(false);
  });

  it('offers a retry after a network failure, which launches again', async () => {
    const init = page('t');
    const fetchFn = vi.fn(async () => {
      throw new TypeError('Failed to fetch');
    });
    await startStub({ win: window, fetch: fetchFn as unknown as typeof fetch });
    expect(document.querySelector('[role="alert"]')?.textContent).toContain('did not answer');
    document.querySelector('button')?.click();
    await vi.waitFor(() => expect(fetchFn).toHaveBeenCalledTimes(2));
    expect(init).not.toHaveBeenCalled();
  });

  it('does not even look for the LMS API before the Gatekeeper allowed the launch', async () => {
    page('t');
    const lookups = vi.fn(() => undefined);
    delete (window as unknown as Record<string, unknown>).API;
    Object.defineProperty(window, 'API', { get: lookups, configurable: true });
    try {
      const fetchFn = vi.fn(async () =>
        Response.json({ error: { code: 'license_expired', message: 'x' } }, { status: 403 }),
      );
      await startStub({ win: window, fetch: fetchFn as unknown as typeof fetch });
      expect(document.querySelector('[role="alert"]')?.textContent).toContain('expired');
      expect(lookups).not.toHaveBeenCalled();
    } finally {
      delete (window as unknown as Record<string, unknown>).API;
    }
  });
});
