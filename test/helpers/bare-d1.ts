import type { D1Database } from '@cloudflare/workers-types/latest/index.ts';
import { Miniflare } from 'miniflare';
import { WORKER_COMPATIBILITY_DATE } from './worker-target.js';

/**
 * A D1 database of its own under Miniflare, with no Gatekeeper Worker in front of it: for tests of the
 * data layer and of single reads on D1. `dispose` stops Miniflare.
 */
export async function startBareD1(options: { name: string }) {
  const mf = new Miniflare({
    modules: true,
    script: 'export default { fetch: () => new Response(null, { status: 404 }) }',
    compatibilityDate: WORKER_COMPATIBILITY_DATE,
    d1Databases: { DB: options.name },
  });
  const d1 = (await mf.getD1Database('DB')) as unknown as D1Database;
  return { d1, dispose: () => mf.dispose() };
}
