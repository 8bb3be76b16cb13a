import { expect } from 'vitest';
import { readinessProbe } from '../../gatekeeper/db/schema.js';
import type { TestApp } from './gatekeeper.js';

/**
 * `GET /readyz` answers 200 naming both parts ready, the readiness row holds the request's time (the
 * database really took a write), and `GET /healthz` still answers.
 */
export async function expectReady(t: TestApp): Promise<void> {
  const res = await t.request('/readyz');
  expect(res.status).toBe(200);
  expect(await res.json()).toEqual({ ok: true, database: 'ok', storage: 'ok' });
  const rows = await t.db.orm.select().from(readinessProbe).all();
  expect(rows).toEqual([{ id: 1, checkedAt: t.clock.now.getTime() }]);
  expect((await t.request('/healthz')).status).toBe(200);
}
