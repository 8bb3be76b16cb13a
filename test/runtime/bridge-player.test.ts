import { describe, expect, it, vi } from 'vitest';
import { entryUrl, readParams } from '../../delivery/player/params.js';
import { startPlayer } from '../../delivery/player/player.js';
import { type SeedableApi, seedAndRelay } from '../../delivery/player/relay-api.js';
import type { BridgeMethod } from '../../protocol/bridge.js';
import { Scorm12API, Scorm2004API } from '../helpers/scorm-again.js';

const QUIET = { autocommit: false, lmsCommitUrl: false, logLevel: 5 } as const;

function relayed(api: SeedableApi, standard: 'scorm12' | 'scorm2004', snapshot: Record<string, string>) {
  const calls: Array<[BridgeMethod, string[]]> = [];
  let started = 0;
  seedAndRelay(api, standard, snapshot, { started: () => started++, forward: (m, a) => calls.push([m, a]) });
  return { calls, started: () => started };
}

describe('player params', () => {
  it('reads nonce, stub origin and entry from the fragment', () => {
    const hash = `#${new URLSearchParams({ n: 'abc', o: 'https://lms.example', e: 'shared/a.html?q=1' })}`;
    expect(readParams(hash)).toEqual({
      nonce: 'abc',
      stubOrigin: 'https://lms.example',
      entry: 'shared/a.html?q=1',
      standard: undefined,
    });
    expect(readParams(`${hash}&s=scorm2004`)?.standard).toBe('scorm2004');
    expect(readParams(`${hash}&s=cmi5`)?.standard).toBeUndefined();
    expect(readParams('#n=abc')).toBeUndefined();
  });

  it('resolves the entry inside the deployment root only', () => {
    const player = 'https://cdn.example/c/d1/_coursegate/player.html#n=x';
    expect(entryUrl(player, 'shared/a.html?q=1')).toBe('https://cdn.example/c/d1/shared/a.html?q=1');
    expect(entryUrl(player, '../d0/a.html')).toBeUndefined();
    expect(entryUrl(player, '//evil.example/a.html')).toBeUndefined();
    expect(entryUrl(player, 'https://evil.example/a.html')).toBeUndefined();
  });
});

describe('seedAndRelay', () => {
  it('answers the very first SCORM 1.2 GetValue with the LMS value and forwards accepted changes only', () => {
    const api = new Scorm12API(QUIET) as unknown as SeedableApi & Scorm12API;
    const { calls, started } = relayed(api, 'scorm12', {
      'cmi.core.student_name': 'Doe, Jane',
      'cmi.core.lesson_location': '7',
      'cmi.core.entry': 'resume',
      'cmi.suspend_data': 'saved',
      'cmi.interactions.0.id': 'i0',
    });
    expect(api.LMSInitialize('')).toBe('true');
    expect(started()).toBe(1);
    expect(api.LMSGetValue('cmi.core.lesson_location')).toBe('7');
    expect(api.LMSGetValue('cmi.suspend_data')).toBe('saved');
    expect(api.LMSGetValue('cmi.core.entry')).toBe('resume');
    expect(api.LMSGetValue('cmi.interactions._count')).toBe('1');
    expect(api.LMSSetValue('cmi.interactions.1.id', 'q2')).toBe('true');
    expect(api.LMSSetValue('cmi.core.student_name', 'Someone')).toBe('false');
    expect(api.LMSSetValue('cmi.core.lesson_status', 'not-a-status')).toBe('false');
    expect(api.LMSCommit('')).toBe('true');
    expect(api.LMSFinish('')).toBe('true');
    expect(calls).toEqual([
      ['SetValue', ['cmi.interactions.1.id', 'q2']],
      ['Commit', []],
      ['Terminate', []],
    ]);
  });

  it('serves SCORM 2004 objectives from the snapshot', () => {
    const api = new Scorm2004API(QUIET) as unknown as SeedableApi & Scorm2004API;
    const { calls } = relayed(api, 'scorm2004', {
      'cmi.location': '2',
      'cmi.objectives.0.id': 'obj_playing',
      'cmi.objectives.1.id': 'obj_etiquette',
    });
    api.Initialize('');
    expect(api.GetValue('cmi.location')).toBe('2');
    expect(api.GetValue('cmi.objectives._count')).toBe('2');
    expect(api.GetValue('cmi.objectives.1.id')).toBe('obj_etiquette');
    api.SetValue('cmi.objectives.1.progress_measure', '0.5');
    expect(calls).toEqual([['SetValue', ['cmi.objectives.1.progress_measure', '0.5']]]);
  });
});

describe('startPlayer', () => {
  it('starts loading scorm-again for the fragment’s standard at once, and uses that API once welcomed', async () => {
    const nonce = 'b'.repeat(32);
    const stubOrigin = 'https://lms.example';
    const hash = `#${new URLSearchParams({ n: nonce, o: stubOrigin, e: 'index.html', s: 'scorm2004' })}`;
    const posted: unknown[] = [];
    const parent = { postMessage: (data: unknown, origin: string) => posted.push([data, origin]) };
    const listeners: Array<(e: unknown) => void> = [];
    const win = {
      document,
      location: { hash, href: `https://cdn.example/c/d1/_coursegate/player.html${hash}` },
      parent,
      addEventListener: (_: string, l: (e: unknown) => void) => listeners.push(l),
      removeEventListener() {},
    } as unknown as Window & { API_1484_11?: unknown };
    const made: SeedableApi[] = [];
    const createApi = vi.fn(async () => {
      const api = new Scorm2004API(QUIET) as unknown as SeedableApi;
      made.push(api);
      return api;
    });
    startPlayer({ win, createApi });
    // Before any welcome: scorm-again is on its way, and the player has said hello to the stub's exact origin.
    expect(createApi).toHaveBeenCalledWith('scorm2004');
    expect(posted).toEqual([[{ type: 'hello', cg: 1, nonce }, stubOrigin]]);
    const value = { standard: 'scorm2004', snapshot: { 'cmi.location': '3' } };
    for (const l of listeners)
      l({ source: parent, origin: stubOrigin, data: { cg: 1, type: 'welcome', nonce, value } });
    await vi.waitFor(() => expect(win.API_1484_11).toBeDefined());
    expect(createApi).toHaveBeenCalledTimes(1);
    expect(win.API_1484_11).toBe(made[0]);
    const api = win.API_1484_11 as Scorm2004API;
    api.Initialize('');
    expect(api.GetValue('cmi.location')).toBe('3');
    document.body.innerHTML = '';
  });

  it('in the launch page’s early frame (fragment: the standard only) loads scorm-again, waits, and takes the first launch handed over', async () => {
    const nonce = 'c'.repeat(32);
    const stubOrigin = 'https://lms.example';
    const player = 'https://cdn.example/c/d1/_coursegate/player.html';
    const posted: unknown[] = [];
    const parent = { postMessage: (data: unknown, origin: string) => posted.push([data, origin]) };
    const on: Record<string, Array<() => void>> = {};
    const location = { hash: '#s=scorm12', href: `${player}#s=scorm12` };
    const win = {
      document,
      location,
      parent,
      addEventListener: (type: string, l: () => void) => {
        on[type] = [...(on[type] ?? []), l];
      },
      removeEventListener: (type: string, l: () => void) => {
        on[type] = (on[type] ?? []).filter((x) => x !== l);
      },
    } as unknown as Window;
    const createApi = vi.fn(async () => new Scorm12API(QUIET) as unknown as SeedableApi);
    startPlayer({ win, createApi });
    expect(createApi).toHaveBeenCalledWith('scorm12');
    expect(posted).toEqual([]);
    expect(document.body.textContent).not.toMatch(/only runs inside/);
    const handOver = (n: string) => {
      location.hash = `#${new URLSearchParams({ n, o: stubOrigin, e: 'index.html', s: 'scorm12' })}`;
      location.href = `${player}${location.hash}`;
      for (const l of on.hashchange ?? []) l();
    };
    handOver(nonce);
    handOver('d'.repeat(32));
    expect(posted).toEqual([[{ type: 'hello', cg: 1, nonce }, stubOrigin]]);
    expect(createApi).toHaveBeenCalledTimes(1);
  });
});
