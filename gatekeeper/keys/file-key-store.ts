import { chmodSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type KeyStore, type KeyStoreState, keyStoreFrom, newKeyStoreState } from './key-store.js';

export const KEYS_FILE = 'signing-keys.json';

function write(file: string, state: KeyStoreState) {
  // Written beside and renamed, so a crash never leaves half a key file; 0600 before any byte lands.
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, file);
}

/**
 * Opens the key store in `dataDir/signing-keys.json` (mode 0600), creating a first Ed25519 key and a
 * session secret on first start.
 *
 * @example
 * const keys = await openFileKeyStore('./data');
 */
export async function openFileKeyStore(dataDir: string, now = Date.now()): Promise<KeyStore> {
  const file = join(dataDir, KEYS_FILE);
  let state: KeyStoreState;
  if (existsSync(file)) {
    state = JSON.parse(readFileSync(file, 'utf8')) as KeyStoreState;
    chmodSync(file, 0o600);
  } else {
    state = await newKeyStoreState(now);
    write(file, state);
  }
  return keyStoreFrom(state, async (s) => write(file, s));
}
