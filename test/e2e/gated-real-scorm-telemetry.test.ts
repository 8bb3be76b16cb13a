import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildHelloCourse } from '../../examples/hello-course/build.js';
import { DATABASE_FILE } from '../../gatekeeper/db/database-file.js';
import { importForwardingKey } from '../../gatekeeper/forwarding/credentials.js';
import { createForwarder } from '../../gatekeeper/forwarding/forward.js';
import { setForwarding } from '../../gatekeeper/forwarding/service.js';
import { createOutbound } from '../../gatekeeper/webhooks/outbound.js';
import type { BridgeStandard } from '../../protocol/bridge.js';
import type { LaunchResponse } from '../../protocol/launch.js';
import { useBrowser } from '../helpers/browser.js';
import { type GatedHarness, startGatedHarness } from '../helpers/gated-lms.js';
import { completeCourse, GOLF_FIXTURES, lmsRecord, lmsTerminated } from '../helpers/golf-course.js';
import { helloFrame, takeHello } from '../helpers/hello-course.js';
import { type RealGatekeeper, realGatekeeper } from '../helpers/real-gatekeeper.js';
import { sharedFile } from '../helpers/shared.js';
import { startTestLrs } from '../helpers/test-lrs.js';

/**
 * Gated SCORM sessions and the real Gatekeeper's records (issues 7 and 8): third-party content (the golf
 * courses, no Coursegate runtime) gets a completion record from the launch stub's reports equal to what
 * the LMS recorded; hello-course (Coursegate runtime) sends its anonymous statements with the session the
 * player hands it; and the learner "Jane Doe" <jane@example.com> reaches neither a request the Gatekeeper
 * receives nor its database file. LMS 127.0.0.1, Gatekeeper API localhost, content 127.0.0.2.
 */
const b = useBrowser();
let h: GatedHarness;
let gk: RealGatekeeper;
const helloDir = mkdtempSync(join(tmpdir(), 'cg-hello-'));
const PII = ['Jane Doe', 'jane@example.com'];
const JANE: Record<BridgeStandard, Record<string, string>> = {
  scorm12: { 'cmi.core.student_id': 'jane@example.com', 'cmi.core.student_name': 'Jane Doe' },
  scorm2004: { 'cmi.learner_id': 'jane@example.com', 'cmi.learner_name': 'Jane Doe' },
};

beforeAll(async () => {
  gk = realGatekeeper();
  h = await startGatedHarness({ gatekeeper: gk.handler });
  await gk.start(h.gate);
});
afterAll(async () => {
  await h?.close();
  await gk?.close();
  rmSync(helloDir, { recursive: true, force: true });
});

async function api(path: string): Promise<unknown> {
  const res = await fetch(`${gk.api.url}${path}`, { headers: { authorization: `Bearer ${gk.api.key}` } });
  expect(res.status, path).toBe(200);
  return res.json();
}

type Completion = Record<string, unknown> & { sessionId: string };
async function completionsOf(courseId: string): Promise<Completion[]> {
  return ((await api(`/v1/courses/${courseId}/completions`)) as { completions: Completion[] }).completions;
}

/** Opens an LMS page and resolves the session `POST /v1/launch` handed the stub. */
async function launch(url: string): Promise<{ page: Page & { errors: string[] }; sessionId: string }> {
  const page = await b.page();
  page.on('dialog', (d) => void d.accept());
  const answer = page.waitForResponse(
    (r) => r.url() === `${h.gate}/v1/launch` && r.request().method() === 'POST',
  );
  await page.goto(url);
  const body = (await (await answer).json()) as LaunchResponse;
  return { page, sessionId: body.session.id };
}

/** What the Gatekeeper's completion record must say, read from the LMS's CMI. */
function expectedFrom(standard: BridgeStandard, record: Record<string, unknown>) {
  const cmi = record.cmi as Record<string, Record<string, unknown> & { score: Record<string, string> }>;
  const num = (v: unknown) => (v === undefined || v === '' ? null : Number(v));
  if (standard === 'scorm12') {
    const core = cmi.core!;
    const status = String(core.lesson_status);
    return {
      completed: ['passed', 'failed', 'completed'].includes(status),
      success: status === 'passed' ? true : status === 'failed' ? false : null,
      score: num(core.score.raw),
    };
  }
  const c = cmi as unknown as Record<string, unknown> & { score: Record<string, string> };
  const success = String(c.success_status);
  return {
    completed: c.completion_status === 'completed',
    success: success === 'passed' ? true : success === 'failed' ? false : null,
    score: num(c.score.raw),
    scoreScaled: num(c.score.scaled),
  };
}

describe('third-party SCORM content: the stub reports what the LMS recorded', () => {
  for (const f of GOLF_FIXTURES) {
    const zip = sharedFile(`fixtures/scorm/${f.name}.zip`);
    it.skipIf(!zip.path)(`${f.name}: the completion record equals the LMS's CMI`, async () => {
      const courseId = await gk.deploy(f.name, zip.path!, 'shared/launchpage.html');
      const license = await gk.license(courseId);
      const folder = h.lmsFiles(`gated/${f.name}`, await gk.gatedPackage(license.id, f.standard));
      const seed = { ...f.seed, ...JANE[f.standard] };
      const { page, sessionId } = await launch(
        h.lmsPage({ standard: f.standard, seed, sco: `${folder}shared/launchpage.html` }),
      );
      const lms = await completeCourse(page);
      const expected = expectedFrom(f.standard, lms);
      expect(expected.completed).toBe(true);
      expect(expected.score).toBe(93);
      await expect
        .poll(async () => (await completionsOf(courseId)).find((c) => c.sessionId === sessionId), {
          timeout: 15_000,
        })
        .toMatchObject(expected);
      const [record] = await completionsOf(courseId);
      expect(record!.durationMs).toBeGreaterThan(0);
      // The LMS holds 93 (a percentage in SCORM 1.2, RTE section 3.4): every standard's record reads 93 %.
      expect(record!.percent).toBe(93);
      expect(page.errors).toEqual([]);
    });
  }
});

describe('content without any SCORM calls', () => {
  // A SCO whose pages never call the API: the LMS record stays as a direct launch leaves it (issue 19).
  const single = sharedFile('fixtures/scorm/golf-scorm12-single-sco.zip');
  it.skipIf(!single.path)(
    'leaving the page (pagehide) sends the final report: the record shows what the LMS recorded, not attempted',
    async () => {
      const courseId = await gk.deploy('single', single.path!, 'shared/launchpage.html');
      const license = await gk.license(courseId);
      const folder = h.lmsFiles('gated/single', await gk.gatedPackage(license.id, 'scorm12'));
      const { page, sessionId } = await launch(
        h.lmsPage({ standard: 'scorm12', seed: JANE.scorm12, sco: `${folder}shared/launchpage.html` }),
      );
      const player = () => page.frames().find((fr) => fr.url().includes('/_coursegate/player.html#'));
      await expect
        .poll(() => player()?.childFrames()[0]?.url() ?? '', { timeout: 20_000 })
        .toContain(gk.contentUrl);
      await player()!.childFrames()[0]!.waitForLoadState('load');
      // The stub has heard that the page loaded (a message from the player, after the frame's load).
      const stub = page.frames().find((fr) => fr.url().includes(`${folder}shared/launchpage.html`))!;
      await expect.poll(() => stub.evaluate(() => document.body.dataset.cgContent)).toBe('loaded');
      await page.evaluate(() => document.getElementById('sco')!.remove());
      await lmsTerminated(page);
      // The stub wrote nothing: scorm-again keeps "not attempted" through an Initialize / Finish pair.
      const cmi = (await lmsRecord(page)).cmi as { core: Record<string, unknown> };
      expect(cmi.core.lesson_status).toBe('not attempted');
      await expect
        .poll(async () => (await completionsOf(courseId)).find((c) => c.sessionId === sessionId), {
          timeout: 15_000,
        })
        .toMatchObject({ completed: false, score: null });
    },
  );
});

describe('hello-course gated in SCORM sends its statements for its session', () => {
  beforeAll(() => {
    buildHelloCourse(helloDir);
  });
  for (const standard of ['scorm12', 'scorm2004'] as const) {
    it(`${standard}: statements land in /xapi/statements and one completion record holds the result`, async () => {
      const files: Record<string, Uint8Array> = {};
      for (const name of readdirSync(helloDir)) files[name] = readFileSync(join(helloDir, name));
      const courseId = await gk.deploy(`hello-${standard}`, files, 'index.html');
      const license = await gk.license(courseId);
      const folder = h.lmsFiles(`hello-${standard}`, await gk.gatedPackage(license.id, standard));
      const { page, sessionId } = await launch(
        h.lmsPage({ standard, seed: JANE[standard], sco: `${folder}index.html` }),
      );
      const course = await helloFrame(page, `${gk.contentUrl}/courses/${courseId}/`);
      // The runtime took the session from the fragment and removed it from the address bar.
      expect(course.url()).not.toContain('cg-session');
      await takeHello(course);
      await expect
        .poll(async () => JSON.stringify(await lmsRecord(page)), { timeout: 15_000 })
        .toMatch(standard === 'scorm12' ? /"lesson_status":"passed"/ : /"success_status":"passed"/);
      // Leaving the course sends what is still queued (terminated at pagehide, then the stub's final report).
      await page.close({ runBeforeUnload: true });
      const statements = async () =>
        ((await api(`/xapi/statements?session=${sessionId}&ascending=true`)) as { statements: Statement[] })
          .statements;
      type Statement = { actor: { account: { name: string } }; verb: { id: string } };
      await expect
        .poll(async () => (await statements()).map((s) => s.verb.id.split('/').pop()), { timeout: 15_000 })
        .toEqual(
          expect.arrayContaining([
            'launched',
            'initialized',
            'answered',
            'passed',
            'completed',
            'terminated',
          ]),
        );
      for (const s of await statements()) expect(s.actor.account.name).toBe(sessionId);
      // Statements and the stub's report describe one session: one record, not two.
      await expect
        .poll(async () => (await completionsOf(courseId)).filter((c) => c.sessionId === sessionId), {
          timeout: 15_000,
        })
        .toEqual([expect.objectContaining({ completed: true, success: true })]);
      expect(await completionsOf(courseId)).toHaveLength(1);

      // Issue 25: the owner names an LRS for the course; the session's statements, as stored, reach it
      // once each, every one valid xAPI 1.0.3 (the test LRS refuses any other), with the completion record.
      const lrs = await startTestLrs({ username: 'cg', password: 'lrs-secret' });
      try {
        const key = importForwardingKey(Buffer.alloc(32, 5).toString('base64'));
        const policy = { allowHttpLoopback: true };
        const now = () => new Date();
        await setForwarding({ db: gk.db, now, policy, forwardingKey: key }, gk.owner, courseId, {
          endpoint: lrs.url,
          username: 'cg',
          password: 'lrs-secret',
        });
        const forwarder = createForwarder({
          db: gk.db,
          now,
          send: createOutbound(policy),
          key,
          homePage: gk.api.url,
          retryDelay: () => 60_000,
        });
        while ((await forwarder.runOnce()).forwarded > 0);
        const stored = (await statements()) as unknown as { id: string }[];
        for (const s of stored) expect(lrs.stored.has(s.id), s.id).toBe(true);
        expect(lrs.refused).toEqual([]);
        // The session's statements and the completion record's two (completed, passed), nothing else.
        expect(lrs.stored.size).toBe(stored.length + 2);
      } finally {
        await lrs.stop();
      }
    });
  }
});

describe('no PII, end to end, in gated SCORM 1.2 and 2004', () => {
  it('no request the Gatekeeper received carries Jane, and its database file (with the WAL) holds neither string', async () => {
    const reports = gk.requests.filter((r) => r.method === 'POST' && r.url === '/v1/sessions/report');
    const statements = gk.requests.filter((r) => r.method === 'POST' && r.url === '/xapi/statements');
    expect(reports.length).toBeGreaterThanOrEqual(GOLF_FIXTURES.length);
    expect(statements.length).toBeGreaterThan(0);
    for (const r of gk.requests) {
      const seen = JSON.stringify({ url: r.url, headers: r.headers, body: r.body });
      for (const s of PII) {
        expect(seen, `${r.method} ${r.url.slice(0, 40)}`).not.toContain(s);
        expect(decodeURIComponent(seen), `${r.method} ${r.url.slice(0, 40)}`).not.toContain(s);
      }
    }
    const file = (name: string) => {
      try {
        return readFileSync(join(gk.dataDir, name)).toString('latin1');
      } catch {
        return '';
      }
    };
    const bytes = file(DATABASE_FILE) + file(`${DATABASE_FILE}-wal`);
    expect(bytes.length).toBeGreaterThan(0);
    for (const s of [...PII, 'jane%40example.com', 'Jane%20Doe', 'Doe, Jane']) expect(bytes).not.toContain(s);
  });
});
