import { bytesFromBase64url, randomToken } from '../crypto.js';
import { generateSigningKey, type StoredSigningKey } from '../tokens.js';

/**
 * The `keys` dependency of `createApp`: the Ed25519 signing keys (one active, older ones retired but
 * still verifying) and the server secret that HMAC-signs session tokens.
 */
export interface KeyStore {
  /** Every key; exactly one has `retiredAt === null`. */
  list(): readonly StoredSigningKey[];
  readonly sessionSecret: Uint8Array;
  /** Creates a new active key; the previous one is retired and keeps verifying tokens it signed. */
  rotate(now: number): Promise<StoredSigningKey>;
  /** Forgets a retired key: tokens it signed stop verifying. */
  remove(kid: string): Promise<void>;
  /**
   * Withdraws a key rotated out before: launches of tokens it signed are refused with
   * `signing_key_retired`. Refuses the active key and an unknown kid ({@link KeyRetireError}).
   */
  retire(kid: string, now: number): Promise<StoredSigningKey>;
  /** Called after every change, so verifiers drop what they memoized. */
  subscribe(listener: () => void): void;
}

export interface KeyStoreState {
  keys: StoredSigningKey[];
  sessionSecret: string;
}

/** The shared logic of both stores; `persist` writes the state wherever the store keeps it. */
export function keyStoreFrom(state: KeyStoreState, persist: (s: KeyStoreState) => Promise<void>): KeyStore {
  const listeners: (() => void)[] = [];
  const changed = async () => {
    await persist(state);
    for (const l of listeners) l();
  };
  return {
    list: () => state.keys,
    sessionSecret: bytesFromBase64url(state.sessionSecret),
    async rotate(now) {
      const next = await generateSigningKey(now);
      state.keys = [...state.keys.map((k) => (k.retiredAt === null ? { ...k, retiredAt: now } : k)), next];
      await changed();
      return next;
    },
    async remove(kid) {
      const key = state.keys.find((k) => k.kid === kid);
      if (!key) return;
      if (key.retiredAt === null) throw new Error('The active signing key cannot be removed; rotate first');
      state.keys = state.keys.filter((k) => k.kid !== kid);
      await changed();
    },
    async retire(kid, now) {
      const key = state.keys.find((k) => k.kid === kid);
      if (!key) {
        const out = state.keys.filter((k) => k.retiredAt !== null && !k.revokedAt).map((k) => k.kid);
        throw new KeyRetireError(
          'unknown',
          `No signing key ${kid}; rotated-out keys still verifying: ${out.join(', ') || 'none'}`,
        );
      }
      if (key.retiredAt === null)
        throw new KeyRetireError(
          'active',
          `${kid} is the active signing key; run rotate-signing-key first, then retire it`,
        );
      if (key.revokedAt) return key;
      const retired = { ...key, revokedAt: now };
      state.keys = state.keys.map((k) => (k.kid === kid ? retired : k));
      await changed();
      return retired;
    },
    subscribe: (l) => void listeners.push(l),
  };
}

/** Why a key cannot be retired: it is unknown, or it is the one that signs. */
export class KeyRetireError extends Error {
  constructor(
    readonly reason: 'unknown' | 'active',
    message: string,
  ) {
    super(message);
  }
}

/** A fresh state: one active key and a new session secret. */
export async function newKeyStoreState(now: number): Promise<KeyStoreState> {
  return { keys: [await generateSigningKey(now)], sessionSecret: randomToken(32) };
}

/** Keys that live only in memory (tests). */
export async function createMemoryKeyStore(now = Date.now()): Promise<KeyStore> {
  return keyStoreFrom(await newKeyStoreState(now), async () => {});
}
