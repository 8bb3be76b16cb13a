import { describe, expect, it } from 'vitest';
import { createDeployment } from '../../gatekeeper/db/deployments.js';
import { outboxEvents } from '../../gatekeeper/db/schema.js';
import { deploymentKey } from '../../gatekeeper/deployments/keys.js';
import { PLAYER_DIR, PLAYER_FILE_NAMES } from '../../gatekeeper/deployments/player-files.js';
import { tempFsStorage } from '../helpers/fs-storage.js';
import { createTestApp } from '../helpers/gatekeeper.js';

/** An org with a live course (d1) and two more finalized deployments; events read from the outbox. */
async function setup() {
  // On the Worker the app serves from its R2 bucket, not from this directory: `t.storage` is whichever the
  // app reads, so the player files written below are where finalize looks for them.
  const t = await createTestApp({ storage: await tempFsStorage() });
  const storage = t.storage;
  if (!storage) throw new Error('the test app has no content storage');
  const { owner } = await t.org('Acme');
  const orgId = owner.member.orgId;
  const { course, deployment } = await t.liveCourse(orgId, 'intro');
  const make = async (status?: 'uploading') =>
    (
      await createDeployment(t.db, {
        orgId,
        courseId: course.id,
        entry: 'index.html',
        files: [],
        now: t.clock.now.getTime(),
        ...(status ? { status } : {}),
      })
    ).id;
  const d = [deployment.id, await make(), await make()] as const;
  const post = (path: string, body: unknown) => t.call('POST', path, { key: owner.key, body });
  const events = async () =>
    (await t.db.orm.select().from(outboxEvents).orderBy(outboxEvents.seq)).map((e) => ({
      type: e.type,
      ...(JSON.parse(e.payload) as { data: Record<string, unknown> }).data,
    }));
  return { t, storage, course, d, post, events, make };
}

describe('deployment events', () => {
  it('promote and rollback each write one event; a change that loses the race (409) writes none', async () => {
    const s = await setup();
    const promote = (deployment: string, expectedLive: string) =>
      s.post(`/v1/courses/${s.course.id}/promote`, { deployment, reason: 'go', expectedLive });
    expect((await promote(s.d[1], s.d[0])).status).toBe(200);
    // Sent from the state before: refused, and nothing announced.
    expect((await promote(s.d[2], s.d[0])).status).toBe(409);
    const back = await s.post(`/v1/courses/${s.course.id}/rollback`, { reason: 'bad', expectedLive: s.d[1] });
    expect(back.status).toBe(200);
    expect(await s.events()).toEqual([
      {
        type: 'deployment.promoted',
        courseId: s.course.id,
        courseSlug: 'intro',
        deploymentId: s.d[1],
        previousDeploymentId: s.d[0],
      },
      {
        type: 'deployment.rolled_back',
        courseId: s.course.id,
        courseSlug: 'intro',
        deploymentId: s.d[0],
        previousDeploymentId: s.d[1],
      },
    ]);
  });

  it('finalize writes deployment.finalized once, however often it is called', async () => {
    const s = await setup();
    const id = await s.make('uploading');
    for (const name of PLAYER_FILE_NAMES)
      await s.storage.put(deploymentKey(s.course.id, id, `${PLAYER_DIR}/${name}`), 'x');
    for (let i = 0; i < 2; i++) expect((await s.post(`/v1/deployments/${id}/finalize`, {})).status).toBe(200);
    expect(await s.events()).toEqual([
      { type: 'deployment.finalized', deploymentId: id, courseId: s.course.id },
    ]);
  });
});
