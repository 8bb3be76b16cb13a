import { afterAll, describe, expect, it } from 'vitest';
import { createCourseOf } from '../../gatekeeper/courses/service.js';
import { setLiveDeploymentStatement } from '../../gatekeeper/db/courses.js';
import { createDeployment } from '../../gatekeeper/db/deployments.js';
import { createOrgWithOwner } from '../../gatekeeper/orgs/service.js';
import { statement } from '../gatekeeper/ingest-setup.js';
import { TEST_CONTENT_URL, TEST_PUBLIC_URL } from '../helpers/gatekeeper.js';
import { startTestLrs } from '../helpers/test-lrs.js';
import { startWorkerTarget } from '../helpers/worker-target.js';

const PASSWORD = 'lrs-secret-worker-51d2';
const VERB = 'http://adlnet.gov/expapi/verbs/';
const lrs = await startTestLrs({ username: 'cg', password: PASSWORD });
const worker = await startWorkerTarget({
  publicUrl: TEST_PUBLIC_URL,
  contentUrl: TEST_CONTENT_URL,
  vars: {
    COURSEGATE_WEBHOOKS_ALLOW_HTTP_LOOPBACK: 'true',
    COURSEGATE_FORWARDING_KEY: Buffer.alloc(32, 9).toString('base64'),
  },
});
afterAll(async () => {
  await worker.mf.dispose();
  await lrs.close();
});

describe("the Worker's statement forwarding", () => {
  it('forwards a session from the every-minute Cron Trigger, keeps the backlog while the LRS is down, loses nothing', async () => {
    const now = new Date();
    const deps = { db: worker.db, now: () => now };
    const { org, key } = await createOrgWithOwner(deps, {
      name: 'Acme',
      owner: { email: 'owner@acme.test' },
      keyName: 'owner',
    });
    const course = await createCourseOf(deps, { orgId: org.id }, { slug: 'intro', title: 'Intro' });
    const deployment = await createDeployment(worker.db, {
      orgId: org.id,
      courseId: course.id,
      entry: 'index.html',
      files: [{ path: 'index.html', sha256: '0'.repeat(64), size: 1 }],
      status: 'live',
      now: now.getTime(),
    });
    await worker.db.batch([setLiveDeploymentStatement(worker.db, course.id, deployment.id)]);
    const call = (method: string, path: string, body?: unknown, auth = `Bearer ${key}`) =>
      worker.fetch(
        path,
        {
          method,
          headers: {
            authorization: auth,
            'content-type': 'application/json',
            'x-experience-api-version': '1.0.3',
          },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        },
        now,
      );
    const path = `/v1/courses/${course.id}/forwarding`;
    expect((await call('PUT', path, { endpoint: lrs.url, username: 'cg', password: PASSWORD })).status).toBe(
      200,
    );
    const [row] = (
      await worker.d1.prepare('SELECT credentials FROM lrs_forwarding').all<{ credentials: string }>()
    ).results;
    expect(row?.credentials).toMatch(/^v1\./);
    expect(row?.credentials).not.toContain(PASSWORD);

    const { token } = (await (
      await call('POST', '/v1/licenses', { courseId: course.id, clientName: 'LMS' })
    ).json()) as {
      token: string;
    };
    const { session } = (await (await call('POST', '/v1/launch', { token, standard: 'scorm12' })).json()) as {
      session: { id: string; token: string };
    };
    const sent = [
      statement(session.id, { verb: { id: `${VERB}initialized` } }),
      statement(session.id, { verb: { id: `${VERB}completed` }, result: { completion: true } }),
      statement(session.id, { verb: { id: `${VERB}terminated` } }),
    ];
    expect((await call('POST', '/xapi/statements', sent, `Bearer ${session.token}`)).status).toBe(200);

    const cron = await worker.mf.getWorker();
    await lrs.stop();
    await cron.scheduled({ scheduledTime: now, cron: '* * * * *' });
    const down = (await (await call('GET', path)).json()) as { backlog: number; lastError: string };
    expect(down.backlog).toBe(sent.length + 1);
    expect(down.lastError).not.toBeNull();

    await lrs.start();
    // The retry is due at most 5 s later.
    await cron.scheduled({ scheduledTime: new Date(now.getTime() + 10_000), cron: '* * * * *' });
    expect(lrs.refused).toEqual([]);
    for (const s of sent) expect(lrs.stored.has(s.id)).toBe(true);
    // The completion record as a statement: completed.
    expect(lrs.stored.size).toBe(sent.length + 1);
    expect(await (await call('GET', path)).json()).toMatchObject({ backlog: 0, delivered: sent.length + 1 });
  });
});
