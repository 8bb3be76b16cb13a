/** Derives a purpose-bound secret from the server secret, so one leaked signature key cannot sign another kind. */
export async function hmacSecret(serverSecret: Uint8Array, purpose: string): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey(
    'raw',
    new Uint8Array(serverSecret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  return new Uint8Array(await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(purpose)));
}
