import { GatekeeperError } from '../errors.js';

/** The request's JSON body; a body that is not JSON is `400 invalid_request` with `hint` (what to send). */
export async function jsonBody(c: { req: { json(): Promise<unknown> } }, hint: string): Promise<unknown> {
  try {
    return await c.req.json();
  } catch {
    throw new GatekeeperError('invalid_request', hint);
  }
}
