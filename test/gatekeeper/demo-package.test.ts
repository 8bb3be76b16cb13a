import { join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAuditEvents } from '../../gatekeeper/db/audit-events.js';
import { DATABASE_FILE } from '../../gatekeeper/db/database-file.js';
import { openSqlite } from '../../gatekeeper/db/open-sqlite.js';
import { ensureDemo } from '../../gatekeeper/demo/first-run.js';
import { startGatekeeper } from '../helpers/gatekeeper.js';
import { ROOT } from '../helpers/paths.js';

/**
 * `npm start`'s demo: the gated packages the demo LMS launches are judged by the LMS against the mastery
 * score examples/hello-course/coursegate.json sets (0.6), as `coursegate deploy` would record it.
 */
let gk: Awaited<ReturnType<typeof startGatekeeper>>;
let demo: NonNullable<Awaited<ReturnType<typeof ensureDemo>>>;

beforeAll(async () => {
  gk = await startGatekeeper();
  const made = await ensureDemo({
    dataDir: gk.dataDir,
    playerDir: join(ROOT, 'dist/player'),
    now: () => new Date(),
  });
  if (!made) throw new Error('the demo was not created on an empty data dir');
  demo = made;
});
afterAll(async () => {
  await gk?.close();
});

async function manifest(format: string, file: string): Promise<string> {
  const res = await fetch(`${gk.listenUrl}/v1/licenses/${demo.state.licenseId}/package?format=${format}`, {
    headers: { authorization: `Bearer ${demo.state.apiKey}` },
  });
  expect(res.status).toBe(200);
  return strFromU8(unzipSync(new Uint8Array(await res.arrayBuffer()))[file]!);
}

describe('the demo course deployed by npm start', () => {
  it('carries hello-course mastery score into every gated format', async () => {
    expect(await manifest('scorm12', 'imsmanifest.xml')).toContain(
      '<adlcp:masteryscore>60</adlcp:masteryscore>',
    );
    expect(await manifest('scorm2004', 'imsmanifest.xml')).toMatch(
      /<imsss:minNormalizedMeasure>0\.6<\/imsss:minNormalizedMeasure>/,
    );
    expect(await manifest('cmi5', 'cmi5.xml')).toMatch(/masteryScore="0\.6"/);
  });

  it('records the demo license in the audit log, as an issue through the API would be', async () => {
    const db = await openSqlite({ file: join(gk.dataDir, DATABASE_FILE) });
    try {
      const events = await listAuditEvents(db, demo.state.orgId);
      expect(events.filter((e) => e.subject === demo.state.licenseId)).toMatchObject([
        { action: 'license.issue', toValue: 'Demo LMS', fromValue: null },
      ]);
    } finally {
      await db.close();
    }
  });

  it('makes the demo deployment live through the promote service, so the course history shows who and why', async () => {
    const res = await fetch(`${gk.listenUrl}/v1/courses/${demo.state.courseId}/history`, {
      headers: { authorization: `Bearer ${demo.state.apiKey}` },
    });
    expect(res.status).toBe(200);
    const { course, events } = (await res.json()) as {
      course: { liveDeploymentId: string };
      events: { action: string; actor: string; from: string | null; to: string; reason: string }[];
    };
    expect(events).toEqual([
      {
        at: expect.any(String),
        action: 'promote',
        actor: demo.state.ownerEmail,
        from: null,
        to: course.liveDeploymentId,
        reason: 'The demo course, as npm start seeds it',
      },
    ]);
  });
});
