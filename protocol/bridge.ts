/** postMessage protocol between the launch stub (LMS origin) and the player (content origin). */

export type BridgeMessageType = 'hello' | 'welcome' | 'call' | 'result' | 'event';

export interface BridgeMessage {
  cg: 1;
  type: BridgeMessageType;
  /** Per-launch random value; messages with another nonce are ignored. */
  nonce: string;
  /** Correlates a `call` with its `result`. */
  id?: number;
  method?: string;
  args?: unknown[];
  value?: unknown;
}

export function isBridgeMessage(data: unknown): data is BridgeMessage {
  if (typeof data !== 'object' || data === null) return false;
  const m = data as Record<string, unknown>;
  return m.cg === 1 && typeof m.type === 'string' && typeof m.nonce === 'string';
}
