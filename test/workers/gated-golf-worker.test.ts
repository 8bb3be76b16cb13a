import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningContentServer, startContentServer } from '../../gatekeeper/content/server.js';
import { createCourse, setLiveDeploymentStatement } from '../../gatekeeper/db/courses.js';
import { createDeployment } from '../../gatekeeper/db/deployments.js';
import { createOrgWithOwner } from '../../gatekeeper/orgs/service.js';
import { createR2Storage } from '../../gatekeeper/storage/r2.js';
import type { Storage } from '../../gatekeeper/storage/types.js';
import { useBrowser } from '../helpers/browser.js';
import { type GatedHarness, startGatedHarness } from '../helpers/gated-lms.js';
import { TEST_PUBLIC_URL } from '../helpers/gatekeeper.js';
import {
  courseFrame,
  exitCourse,
  goTo,
  lmsLog,
  lmsRecord,
  lmsTerminated,
  takeQuiz,
} from '../helpers/golf-course.js';
import { ROOT } from '../helpers/paths.js';
import { sharedFile } from '../helpers/shared.js';
import { startWorkerTarget, type WorkerTarget } from '../helpers/worker-target.js';

/**
 * The whole gated path with the Gatekeeper as a Worker: Chromium opens an LMS page (scorm-again) that
 * frames a gated package whose stub launches against the Worker under Miniflare on loopback (D1), and
 * the course is served from R2 by the content app on its own origin.
 */
const b = useBrowser();
const zip = sharedFile('fixtures/scorm/golf-scorm12-basic-runtime.zip');
const seed = { 'cmi.core.student_id': 'learner-1', 'cmi.core.student_name': 'Learner, One' };

let h: GatedHarness;
let worker: WorkerTarget;
let content: RunningContentServer;

beforeAll(async () => {
  h = await startGatedHarness();
  // The content origin starts first: the Worker needs its URL as COURSEGATE_CONTENT_URL.
  const r2: { storage?: Storage } = {};
  const storage = new Proxy({} as Storage, { get: (_, k) => Reflect.get(r2.storage as Storage, k) });
  content = await startContentServer({ storage, host: '127.0.0.4', port: 0 });
  worker = await startWorkerTarget({
    publicUrl: TEST_PUBLIC_URL,
    contentUrl: content.url,
    listen: true,
  });
  r2.storage = createR2Storage({ bucket: worker.r2 });
});
afterAll(async () => {
  await worker?.mf.dispose();
  await content?.close();
  await h?.close();
});

/** Org, owner key, a course whose live deployment is the golf fixture in R2 (player under `_coursegate/`). */
async function deployGolf(storage: Storage) {
  const now = Date.now();
  const { org, key } = await createOrgWithOwner(
    { db: worker.db, now: () => new Date(now) },
    { name: 'Golf Org', owner: { email: 'owner@golf.test' }, keyName: 'owner' },
  );
  const course = await createCourse(worker.db, { orgId: org.id, slug: 'golf', title: 'Golf', now });
  const files = unzipSync(readFileSync(zip.path as string));
  const deployment = await createDeployment(worker.db, {
    orgId: org.id,
    courseId: course.id,
    entry: 'shared/launchpage.html',
    files: Object.entries(files)
      .filter(([name]) => !name.endsWith('/'))
      .map(([path, data]) => ({ path, sha256: '0'.repeat(64), size: data.byteLength })),
    status: 'live',
    now,
  });
  await worker.db.batch([setLiveDeploymentStatement(worker.db, course.id, deployment.id)]);
  const base = `courses/${course.id}/${deployment.id}/`;
  // Copies: Miniflare's binding proxy (in Node) sends only views that own their whole buffer.
  for (const [name, data] of Object.entries(files))
    if (!name.endsWith('/')) await storage.put(base + name, data.slice());
  for (const f of readdirSync(join(ROOT, 'dist/player')).filter((n) => /\.(html|js)$/.test(n)))
    await storage.put(`${base}_coursegate/${f}`, new Uint8Array(readFileSync(join(ROOT, 'dist/player', f))));
  return { key, course, deployment };
}

describe('gated launch through the Worker', () => {
  it.skipIf(!zip.path)('completes the golf SCORM 1.2 course end to end, recorded in the LMS', async () => {
    const storage = createR2Storage({ bucket: worker.r2 });
    const { key, course, deployment } = await deployGolf(storage);
    const issued = await worker.fetch('/v1/licenses', {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ courseId: course.id, clientName: 'Test LMS' }),
    });
    expect(issued.status).toBe(201);
    const { token } = (await issued.json()) as { token: string };
    const gatekeeperUrl = (worker.url as URL).origin;
    const sco = h.gatedPackage('golf-on-worker', {
      token,
      standard: 'scorm12',
      entry: 'shared/launchpage.html',
      gatekeeperUrl,
    });

    const page = await b.page();
    page.on('dialog', (d) => void d.accept());
    await page.goto(h.lmsPage({ standard: 'scorm12', seed, sco }));
    const frame = await courseFrame(page);
    await goTo(frame, 3);
    await takeQuiz(frame);
    await exitCourse(frame);
    await lmsTerminated(page);
    const record = await lmsRecord(page);

    // One answer wrong out of 15, as in the ungated run of test/e2e/gated-golf.test.ts.
    expect(JSON.stringify(record)).toMatch(/"raw":"93"/);
    const log = await lmsLog(page);
    expect(log.filter((e) => e[0] === 'LMSInitialize')).toHaveLength(1);
    expect(log.filter((e) => e[0] === 'LMSFinish')).toHaveLength(1);
    expect(
      page
        .frames()
        .some((fr) =>
          fr
            .url()
            .startsWith(`${content.url}/courses/${course.id}/${deployment.id}/_coursegate/player.html#`),
        ),
    ).toBe(true);
    // The Worker recorded the launch in D1.
    const events = await worker.d1.prepare('SELECT allowed FROM launch_events').all<{ allowed: number }>();
    expect(events.results).toEqual([{ allowed: 1 }]);
    expect(page.errors).toEqual([]);
  });
});
