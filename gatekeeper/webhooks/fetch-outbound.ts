import type { OutboundRequest, Send } from '../outbox/drain.js';
import { type OutboundPolicy, urlRefusal } from './address-policy.js';

/**
 * The Worker's sender of webhook deliveries: the same URL rules as on Node (`urlRefusal`), no redirect
 * followed, a deadline, and at most `maxBodyBytes` of the answer read. A Worker cannot resolve names
 * itself, so the after-resolution check of `outbound.ts` is Cloudflare's: its `fetch` does not reach
 * private or link-local addresses (docs/integrations.md, "Outbound safety").
 */
export function createFetchOutbound(
  options: OutboundPolicy & { timeoutMs?: number; maxBodyBytes?: number },
): Send {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const maxBody = options.maxBodyBytes ?? 4096;
  return async (req: OutboundRequest) => {
    const refusal = urlRefusal(req.url, options);
    if (refusal) throw new Error(`refused: ${refusal}`);
    const res = await fetch(req.url, {
      method: req.method ?? 'POST',
      headers: { 'user-agent': 'Coursegate-Webhooks', ...req.headers },
      body: req.body,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    const reader = res.body?.getReader();
    let read = 0;
    while (reader && read <= maxBody) {
      const { done, value } = await reader.read();
      if (done) break;
      read += value.byteLength;
    }
    await reader?.cancel().catch(() => undefined);
    return { status: res.status };
  };
}
