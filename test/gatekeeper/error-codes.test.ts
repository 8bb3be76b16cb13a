import { readdirSync, readFileSync } from 'node:fs';
import { STATUS_CODES } from 'node:http';
import { join } from 'node:path';
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  GATEKEEPER_ERROR_CODES,
  GATEKEEPER_ERROR_STATUS,
  type GatekeeperErrorCode,
  LAUNCH_ERROR_CODES,
  type LaunchErrorCode,
} from '../../protocol/errors.js';
import { tempFsStorage } from '../helpers/fs-storage.js';
import { createTestApp } from '../helpers/gatekeeper.js';
import { ROOT } from '../helpers/paths.js';

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.tsx?$/.test(e.name))
    .map((e) => readFileSync(join(e.parentPath, e.name), 'utf8'));
}

/** The published contract: the codes table of docs/gatekeeper.md, as `{ code: status }`. */
function documentedStatuses(): Record<string, number> {
  const doc = readFileSync(join(ROOT, 'docs/gatekeeper.md'), 'utf8');
  const rows = [...doc.matchAll(/^\| `([a-z_]+)`\s*\| (\d{3})\s*\|/gm)];
  return Object.fromEntries(rows.map((m) => [m[1], Number(m[2])]));
}

describe('error codes: one status per code, from one table', () => {
  it('the table, the code type, the launch codes and the docs agree; every status is an HTTP error status', () => {
    expectTypeOf<LaunchErrorCode>().toExtend<GatekeeperErrorCode>();
    expect([...GATEKEEPER_ERROR_CODES].sort()).toEqual(Object.keys(GATEKEEPER_ERROR_STATUS).sort());
    for (const code of LAUNCH_ERROR_CODES) expect(GATEKEEPER_ERROR_CODES).toContain(code);
    for (const [code, status] of Object.entries(GATEKEEPER_ERROR_STATUS)) {
      expect(STATUS_CODES[status], code).toBeDefined();
      expect(status, code).toBeGreaterThanOrEqual(400);
      // A name that says "not found" is a 404; one that says "taken" or "exists" is a 409.
      if (code.endsWith('_not_found')) expect(status, code).toBe(404);
      if (/_(taken|exists)$/.test(code)) expect(status, code).toBe(409);
    }
    expect(documentedStatuses()).toEqual(GATEKEEPER_ERROR_STATUS);
  });

  it('every code is answered somewhere in the Gatekeeper, and no route picks a status for one', () => {
    const text = sources(join(ROOT, 'gatekeeper')).join('\n');
    const unused = GATEKEEPER_ERROR_CODES.filter((code) => !text.includes(`'${code}'`));
    expect(unused).toEqual([]);
    expect(text).not.toMatch(/new GatekeeperError\(\s*\d/);
    expect(text).not.toMatch(/code: '[a-z_]+'(?: as const)?,\s*message/);
  });

  it('a client tells what is missing or refused by code, with the documented status', async () => {
    const t = await createTestApp({ storage: await tempFsStorage() });
    const { owner, member } = await t.org('Acme');
    const live = (await t.liveCourse(owner.member.orgId, 'intro')).deployment.id;
    const answer = async (method: string, path: string, key?: string, body?: unknown) => {
      const res = await t.call(method, path, { ...(key ? { key } : {}), ...(body ? { body } : {}) });
      return [res.status, ((await res.json()) as { error?: { code: string } }).error?.code];
    };
    const { key } = owner;
    expect(await answer('GET', '/v1/nope', key)).toEqual([404, 'route_not_found']);
    expect(await answer('GET', '/v1/courses/nocourse', key)).toEqual([404, 'course_not_found']);
    expect(await answer('GET', '/v1/licenses/lic_nope', key)).toEqual([404, 'license_not_found']);
    expect(await answer('GET', '/v1/licenses?courseId=nocourse', key)).toEqual([404, 'course_not_found']);
    expect(await answer('GET', '/v1/deployments/dep_nope', key)).toEqual([404, 'deployment_not_found']);
    expect(await answer('DELETE', '/v1/keys/key_nope', key)).toEqual([404, 'api_key_not_found']);
    expect(await answer('PATCH', '/v1/members/mem_nope', key, { role: 'member' })).toEqual([
      404,
      'member_not_found',
    ]);
    expect(await answer('POST', '/v1/courses', key, { slug: 'intro', title: 'Again' })).toEqual([
      409,
      'slug_taken',
    ]);
    expect(await answer('DELETE', `/v1/members/${owner.member.id}`, key)).toEqual([409, 'last_owner']);
    expect(await answer('POST', '/v1/courses/intro/rollback', key, { reason: 'undo' })).toEqual([
      428,
      'expected_live_required',
    ]);
    expect(
      await answer('POST', '/v1/courses/intro/rollback', key, { reason: 'undo', expectedLive: live }),
    ).toEqual([409, 'no_rollback_target']);
    expect(
      await answer('POST', '/v1/courses/intro/rollback', key, { reason: 'undo', expectedLive: null }),
    ).toEqual([409, 'live_changed']);
    expect(await answer('GET', '/v1/courses/intro/ingest-keys', member.key)).toEqual([403, 'forbidden']);
    expect(await answer('GET', '/v1/courses')).toEqual([401, 'unauthorized']);
    expect(await answer('POST', '/v1/courses', key, { title: 'no slug' })).toEqual([400, 'invalid_request']);

    // The OpenAPI document lists the same codes, so a generated client can switch on them.
    const doc = (await (await t.call('GET', '/openapi.json')).json()) as {
      components: { schemas: Record<string, { enum?: string[] }> };
    };
    expect(doc.components.schemas.ErrorCode?.enum?.sort()).toEqual([...GATEKEEPER_ERROR_CODES].sort());
  });
});
