import { describe, expect, it } from 'vitest';
import { listApiKeys } from '../../gatekeeper/db/api-keys.js';
import { countOrgs } from '../../gatekeeper/db/orgs.js';
import { createOrgWithOwner } from '../../gatekeeper/orgs/service.js';
import { createTestApp } from '../helpers/gatekeeper.js';

describe('creating an organisation (the orgs service: CLI, demo and test seeders)', () => {
  it('makes the org, its owner and a key that acts as that owner on the API', async () => {
    const t = await createTestApp();
    const made = await createOrgWithOwner(
      { db: t.db, now: () => t.clock.now },
      { name: ' Initech ', owner: { email: 'Boss@Initech.test', name: 'Bill' }, keyName: 'admin init' },
    );
    const org = await t.call('GET', '/v1/org', { key: made.key });
    expect(org.status).toBe(200);
    expect(await org.json()).toMatchObject({ id: made.org.id, name: 'Initech' });
    const members = await t.call('GET', '/v1/members', { key: made.key });
    expect(((await members.json()) as { members: unknown[] }).members).toMatchObject([
      { email: 'boss@initech.test', name: 'Bill', role: 'owner', hasPassword: false },
    ]);
    expect((await listApiKeys(t.db, made.org.id)).map((k) => k.name)).toEqual(['admin init']);
  });

  it('refuses an owner email that already belongs to a member, leaving no org without an owner behind', async () => {
    const t = await createTestApp();
    await t.org('Acme');
    const before = await countOrgs(t.db);
    await expect(
      createOrgWithOwner(
        { db: t.db, now: () => t.clock.now },
        { name: 'Copycat', owner: { email: 'owner@acme.test' }, keyName: 'k' },
      ),
    ).rejects.toMatchObject({ status: 409, message: 'That email already belongs to a member' });
    await expect(
      createOrgWithOwner(
        { db: t.db, now: () => t.clock.now },
        { name: '  ', owner: { email: 'new@copycat.test' }, keyName: 'k' },
      ),
    ).rejects.toMatchObject({ status: 400 });
    expect(await countOrgs(t.db)).toBe(before);
  });
});
