/**
 * One end of the stub ⇄ player bridge (docs/gated-delivery.md, "The bridge"). It accepts a message only when
 * it comes from the one expected window, from its exact origin, and carries this launch's nonce; it posts
 * only to that window and origin, never to '*'.
 */
import { type BridgeMessage, isBridgeMessage } from '../../protocol/bridge.js';

export interface ChannelOptions {
  /** The window this side listens on. */
  self: Window;
  /** The peer window, read on every message: an iframe's `contentWindow` is only known once it exists. */
  peer: () => Window | null | undefined;
  /** The peer's exact origin, e.g. `https://content.example.com`. */
  origin: string;
  nonce: string;
  onMessage(message: BridgeMessage): void;
}

export interface Channel {
  post(message: Omit<BridgeMessage, 'cg' | 'nonce'>): void;
  close(): void;
}

/** An origin a message can be addressed to: scheme, host and optional port, nothing else ('null' and '*' are not). */
export function isExactOrigin(origin: string): boolean {
  return /^https?:\/\/[^/?#*\s]+$/.test(origin);
}

/**
 * Opens the bridge.
 * @example
 * const ch = openChannel({ self: window, peer: () => window.parent, origin: stubOrigin, nonce, onMessage });
 * ch.post({ type: 'hello' });
 */
export function openChannel(options: ChannelOptions): Channel {
  const { self, peer, origin, nonce, onMessage } = options;
  const valid = isExactOrigin(origin) && nonce.length >= 16;
  const listener = (event: MessageEvent) => {
    const from = peer();
    if (!valid || !from || event.source !== from || event.origin !== origin) return;
    const data: unknown = event.data;
    if (!isBridgeMessage(data) || data.nonce !== nonce) return;
    onMessage(data);
  };
  self.addEventListener('message', listener);
  return {
    post(message) {
      if (valid) peer()?.postMessage({ ...message, cg: 1, nonce }, origin);
    },
    close() {
      self.removeEventListener('message', listener);
    },
  };
}

/** A fresh per-launch nonce: 128 random bits, hex. */
export function createNonce(crypto: Crypto): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => (b + 256).toString(16).slice(1)).join(
    '',
  );
}
