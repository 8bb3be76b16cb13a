import { type KeyStore, type KeyStoreState, keyStoreFrom } from './key-store.js';

/**
 * The key store of the Worker: signing keys and the session secret come from one Worker secret holding
 * the same JSON as `signing-keys.json` (`wrangler secret put COURSEGATE_KEYS`). A Worker cannot write
 * its own secrets, so rotation happens outside: rotate on a Node Gatekeeper or with the CLI, put the
 * new JSON, and every isolate picks it up on deploy.
 *
 * @example
 * const keys = createEnvKeyStore(env.COURSEGATE_KEYS);
 */
export function createEnvKeyStore(json: string): KeyStore {
  let state: KeyStoreState;
  try {
    state = JSON.parse(json) as KeyStoreState;
  } catch {
    throw new Error('COURSEGATE_KEYS is not valid JSON (expected the content of signing-keys.json)');
  }
  if (!Array.isArray(state.keys) || typeof state.sessionSecret !== 'string')
    throw new Error('COURSEGATE_KEYS must hold { keys: [...], sessionSecret }');
  if (state.keys.filter((k) => k.retiredAt === null).length !== 1)
    throw new Error('COURSEGATE_KEYS must hold exactly one active key');
  const readOnly = async () => {
    throw new Error('Signing keys of a Worker are rotated by updating the COURSEGATE_KEYS secret');
  };
  // Refused before anything changes, so an isolate never holds keys other isolates do not.
  return { ...keyStoreFrom(state, readOnly), rotate: readOnly, remove: readOnly, retire: readOnly };
}
