/**
 * The LRS's Basic credentials at rest (docs/integrations.md, "Statement forwarding"): AES-256-GCM under
 * the server's forwarding key (`COURSEGATE_FORWARDING_KEY`, 32 bytes in base64), a fresh 96-bit IV per
 * value, and the course id as additional data, so a ciphertext copied to another course's row does not
 * decrypt. WebCrypto, so Node and the Worker share it. Stored as `v1.<iv>.<ciphertext>` (base64url).
 */

const te = new TextEncoder();
const td = new TextDecoder();

const b64url = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
const fromB64 = (s: string) =>
  Uint8Array.from(atob(s.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));

/** The forwarding key from its configured base64 text; throws unless it is 32 bytes. */
export async function importForwardingKey(base64: string): Promise<CryptoKey> {
  const raw = fromB64(base64.trim());
  if (raw.length !== 32) throw new Error('COURSEGATE_FORWARDING_KEY must be 32 bytes in base64');
  return crypto.subtle.importKey('raw', raw, 'AES-GCM', false, ['encrypt', 'decrypt']);
}

export async function sealCredentials(key: CryptoKey, courseId: string, plain: string): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const sealed = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv, additionalData: te.encode(courseId) },
    key,
    te.encode(plain),
  );
  return `v1.${b64url(iv)}.${b64url(new Uint8Array(sealed))}`;
}

export async function openCredentials(key: CryptoKey, courseId: string, stored: string): Promise<string> {
  const [version, iv, data] = stored.split('.');
  if (version !== 'v1' || !iv || !data) throw new Error('credentials in an unknown format');
  const plain = await crypto.subtle.decrypt(
    { name: 'AES-GCM', iv: fromB64(iv), additionalData: te.encode(courseId) },
    key,
    fromB64(data),
  );
  return td.decode(plain);
}
