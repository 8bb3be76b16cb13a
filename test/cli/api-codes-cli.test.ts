import { describe, expect, it } from 'vitest';
import { apiErrorOf, explaining, namingCourse } from '../../packager/commands/api-client.js';
import { tempFsStorage } from '../helpers/fs-storage.js';
import { createTestApp } from '../helpers/gatekeeper.js';

/**
 * The CLI's own texts come from the Gatekeeper's codes, never from its messages: real answers of an
 * in-process Gatekeeper (`app.request`) go through the CLI's error path.
 */
describe('what the CLI makes of a Gatekeeper error code', () => {
  async function setup() {
    const t = await createTestApp({ storage: await tempFsStorage() });
    const { owner } = await t.org('Acme');
    const live = (await t.liveCourse(owner.member.orgId, 'intro')).deployment.id;
    /** The failure the CLI's client would throw for this request. */
    const failing = async (method: string, path: string, body?: unknown) => {
      const res = await t.call(method, path, { key: owner.key, ...(body ? { body } : {}) });
      expect(res.ok, path).toBe(false);
      return Promise.reject(await apiErrorOf(res));
    };
    return { failing, live };
  }

  it('names the course the user typed on course_not_found, and only then', async () => {
    const { failing } = await setup();
    await expect(namingCourse('nocourse', failing('GET', '/v1/courses/nocourse/history'))).rejects.toThrow(
      /^No course "nocourse" in your organisation$/,
    );
    // Also a 404, about a license: not renamed as a missing course.
    const license = namingCourse('intro', failing('GET', '/v1/licenses/lic_nope'));
    await expect(license).rejects.toMatchObject({
      code: 'api_error',
      serverCode: 'license_not_found',
      status: 404,
      message: 'No such license (license_not_found)',
    });
  });

  it('turns a code into the command’s text, flags included, and passes other codes through', async () => {
    const { failing, live } = await setup();
    const rollback = () =>
      failing('POST', '/v1/courses/intro/rollback', { reason: 'undo', expectedLive: live });
    await expect(
      explaining(rollback(), { no_rollback_target: 'nothing to roll back to; use --to <deployment>' }),
    ).rejects.toThrow(/^nothing to roll back to; use --to <deployment>$/);
    await expect(explaining(rollback(), { last_owner: 'not this one' })).rejects.toMatchObject({
      serverCode: 'no_rollback_target',
      status: 409,
    });
  });

  it('keeps no code it does not know, so no command can branch on one', async () => {
    const err = await apiErrorOf(
      Response.json({ error: { code: 'not_a_code', message: 'x' } }, { status: 418 }),
    );
    expect([err.serverCode, err.message]).toEqual([undefined, 'x (not_a_code)']);
  });
});
