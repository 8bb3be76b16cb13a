import { describe, expect, it, vi } from 'vitest';
import { createNonce, isExactOrigin, openChannel } from '../../delivery/bridge/channel.js';

const NONCE = 'a'.repeat(32);
const PEER_ORIGIN = 'https://content.example';

/** A peer window stand-in: what `event.source` is compared with, and what `post` writes to. */
function fakePeer() {
  const posted: Array<{ data: unknown; origin: string }> = [];
  return { posted, postMessage: (data: unknown, origin: string) => posted.push({ data, origin }) };
}

function deliver(data: unknown, origin: string, source: unknown) {
  window.dispatchEvent(new MessageEvent('message', { data, origin, source: source as Window }));
}

function setup(origin = PEER_ORIGIN, nonce = NONCE) {
  const peer = fakePeer();
  const onMessage = vi.fn();
  const ch = openChannel({ self: window, peer: () => peer as unknown as Window, origin, nonce, onMessage });
  return { peer, onMessage, ch };
}

describe('bridge channel', () => {
  it('accepts a message from the expected window, origin and nonce', () => {
    const { peer, onMessage, ch } = setup();
    deliver({ cg: 1, type: 'hello', nonce: NONCE }, PEER_ORIGIN, peer);
    expect(onMessage).toHaveBeenCalledWith({ cg: 1, type: 'hello', nonce: NONCE });
    ch.close();
  });

  it('ignores another origin, another window, another nonce and non-bridge data', () => {
    const { peer, onMessage, ch } = setup();
    deliver({ cg: 1, type: 'hello', nonce: NONCE }, 'https://evil.example', peer);
    deliver({ cg: 1, type: 'hello', nonce: NONCE }, PEER_ORIGIN, fakePeer());
    deliver({ cg: 1, type: 'hello', nonce: NONCE }, PEER_ORIGIN, null);
    deliver({ cg: 1, type: 'hello', nonce: 'b'.repeat(32) }, PEER_ORIGIN, peer);
    deliver({ type: 'hello', nonce: NONCE }, PEER_ORIGIN, peer);
    deliver('hello', PEER_ORIGIN, peer);
    expect(onMessage).not.toHaveBeenCalled();
    ch.close();
  });

  it('posts to the exact origin with the nonce, never to "*"', () => {
    const { peer, ch } = setup();
    ch.post({ type: 'call', id: 1, method: 'Commit', args: [] });
    expect(peer.posted).toEqual([
      { data: { type: 'call', id: 1, method: 'Commit', args: [], cg: 1, nonce: NONCE }, origin: PEER_ORIGIN },
    ]);
    ch.close();
  });

  it('refuses to work with a wildcard or opaque origin', () => {
    for (const origin of ['*', 'null', '', 'https://a.example/path']) {
      const { peer, onMessage, ch } = setup(origin);
      ch.post({ type: 'hello' });
      deliver({ cg: 1, type: 'hello', nonce: NONCE }, origin, peer);
      expect(peer.posted).toEqual([]);
      expect(onMessage).not.toHaveBeenCalled();
      ch.close();
    }
    expect(isExactOrigin('http://127.0.0.1:8080')).toBe(true);
  });

  it('stops listening once closed', () => {
    const { peer, onMessage, ch } = setup();
    ch.close();
    deliver({ cg: 1, type: 'hello', nonce: NONCE }, PEER_ORIGIN, peer);
    expect(onMessage).not.toHaveBeenCalled();
  });

  it('makes 128-bit hex nonces that differ', () => {
    const a = createNonce(crypto);
    expect(a).toMatch(/^[0-9a-f]{32}$/);
    expect(createNonce(crypto)).not.toBe(a);
  });
});
