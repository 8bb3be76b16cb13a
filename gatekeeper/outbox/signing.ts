import { hmacSha256Base64, randomBase64 } from '../crypto.js';

const PREFIX = 'whsec_';

/** A new endpoint secret as Standard Webhooks writes them: `whsec_` and 24 random bytes in base64. */
export function newWebhookSecret(): string {
  return `${PREFIX}${randomBase64(24)}`;
}

/**
 * The Standard Webhooks headers of one attempt: `webhook-id` (the event's stable id), `webhook-timestamp`
 * (seconds, this attempt's) and `webhook-signature`, `v1,<base64 HMAC-SHA256 of id.timestamp.body>` per
 * secret, space-separated (after a rotation the previous secret signs too for a while).
 */
export function signedHeaders(input: {
  id: string;
  timestampSeconds: number;
  body: string;
  secrets: readonly string[];
}): Record<string, string> {
  const signed = `${input.id}.${input.timestampSeconds}.${input.body}`;
  const signatures = input.secrets.map(
    (s) =>
      `v1,${hmacSha256Base64(Buffer.from(s.startsWith(PREFIX) ? s.slice(PREFIX.length) : s, 'base64'), signed)}`,
  );
  return {
    'webhook-id': input.id,
    'webhook-timestamp': String(input.timestampSeconds),
    'webhook-signature': signatures.join(' '),
  };
}
