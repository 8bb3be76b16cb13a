import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * A preview token: `<preview id>.<expiry, unix seconds>.<hex HMAC-SHA256 over both>`. The signature
 * makes links unforgeable; the row it names makes them revocable.
 */
export function signPreview(id: string, expires: number, secret: Uint8Array): string {
  return `${id}.${expires}.${createHmac('sha256', secret).update(`${id}\n${expires}`).digest('hex')}`;
}

/** The id and expiry of a well-signed token, or null. Expiry is checked by the caller against its clock. */
export function readPreview(token: string, secret: Uint8Array): { id: string; expires: number } | null {
  const m = /^([A-Za-z0-9_-]{1,64})\.(\d{1,12})\.([0-9a-f]{64})$/.exec(token);
  if (!m) return null;
  const [, id, exp, sig] = m as unknown as [string, string, string, string];
  const expected = Buffer.from(signPreview(id, Number(exp), secret).split('.')[2]!, 'hex');
  const given = Buffer.from(sig, 'hex');
  return timingSafeEqual(given, expected) ? { id, expires: Number(exp) } : null;
}
