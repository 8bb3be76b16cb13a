import type { Frame, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useBrowser } from '../helpers/browser.js';
import { type RealGatekeeper, useRealGatedBench } from '../helpers/real-gatekeeper.js';

/**
 * Issue 23, "one content origin per organisation": org A's course launches, then org B's (a tenant whose
 * course is hostile) in the same browser profile, B's windows opened by A's course page. From B's course
 * page, framed in the LMS as launched and on its own in a window, the test tries every way a page can reach
 * another origin's state: storage, frames, `window.opener`, `BroadcastChannel` and service worker scope.
 * Each must fail against A while working for B's own. A's page holds its secrets first-party (a course
 * opened in a window of its own, as cmi5 "OwnWindow" launches do), where the runtime's outbox keeps session
 * tokens. Chromium is the judge: the Gatekeeper only decides which origin each org's content lives on.
 */
const b = useBrowser();
const bench = useRealGatedBench();

const text = (s: string) => new TextEncoder().encode(s);
const COURSE = (org: string) => ({
  'index.html': text(`<!doctype html><html lang="en"><title>${org}</title><h1>${org}</h1></html>`),
  'sw.js': text('self.addEventListener("fetch", () => {});'),
});

/** Deploys a course for the org, licenses it and imports its gated SCORM 1.2 package into the LMS. */
async function gatedCourse(org: Awaited<ReturnType<RealGatekeeper['org']>>, name: string) {
  const courseId = await org.deploy(name, COURSE(name), 'index.html');
  const license = await org.license(courseId);
  const folder = bench.h.lmsFiles(`gated/${name}`, await org.gatedPackage(license.id, 'scorm12'));
  return bench.h.lmsPage({ standard: 'scorm12', seed: {}, sco: `${folder}index.html` });
}

/** The course frame (`index.html` on the org's content origin) once it has loaded. */
async function courseFrame(page: Page, origin: string): Promise<Frame> {
  const found = () =>
    page
      .frames()
      .find(
        (f) => f.url().startsWith(`${origin}/courses/`) && new URL(f.url()).pathname.endsWith('/index.html'),
      );
  await expect
    .poll(() => (found() ? 'found' : page.frames().map((f) => f.url())), { timeout: 30_000 })
    .toBe('found');
  const frame = found()!;
  await frame.waitForLoadState('load');
  return frame;
}

/** The session token the launch answered to `page`. */
function launchAnswer(page: Page): Promise<{ session: { token: string }; contentUrl: string }> {
  return page
    .waitForResponse((r) => r.url().endsWith('/v1/launch') && r.request().method() === 'POST')
    .then((r) => r.json());
}

/** What B's page can reach of A's state; run in B's course page. */
async function probe({ aUrl, aOrigin }: { aUrl: string; aOrigin: string }) {
  const attempt = async (fn: () => unknown) => {
    try {
      return { ok: true, value: String(await fn()) };
    } catch (e) {
      return { ok: false, value: String((e as Error).name) };
    }
  };
  const load = (src: string) =>
    new Promise<HTMLIFrameElement>((done) => {
      const f = document.createElement('iframe');
      f.onload = () => done(f);
      f.src = src;
      document.body.append(f);
    });
  // Storage: everything B's origin holds (a third-party frame may have none at all).
  const storage = await attempt(() => {
    localStorage.setItem('cg-b', 'mine');
    return JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage });
  });
  // Frames: A's course page (the URL A's launch answered) framed inside B, and B's own for comparison.
  const theirs = await load(aUrl);
  const mine = await load(location.href.split('#')[0]!);
  const frames = {
    theirsDocument: await attempt(() => theirs.contentDocument?.documentElement.outerHTML ?? 'null'),
    theirsStorage: await attempt(() => JSON.stringify({ ...theirs.contentWindow!.localStorage })),
    theirsUrl: await attempt(() => theirs.contentWindow!.location.href),
    mineDocument: await attempt(() => mine.contentDocument?.title),
  };
  // The window that opened B's is A's course page.
  const opener = top!.opener as Window | null;
  const openerProbe = {
    present: opener !== null,
    document: await attempt(() => opener!.document.documentElement.outerHTML),
    storage: await attempt(() => JSON.stringify({ ...opener!.localStorage })),
    url: await attempt(() => opener!.location.href),
  };
  // BroadcastChannel: ask on A's channel name; B's own frame answers too, so B hears its own reply (and
  // then one more round trip) before it looks at what came back.
  const heard: unknown[] = [];
  const responder = new (mine.contentWindow as typeof window).BroadcastChannel('coursegate');
  responder.onmessage = (e) => e.data === 'who' && responder.postMessage({ from: 'B' });
  const channel = new BroadcastChannel('coursegate');
  await new Promise<void>((done) => {
    let rounds = 0;
    channel.onmessage = (e) => {
      heard.push(e.data);
      if ((e.data as { from?: string }).from !== 'B') return;
      if (++rounds < 2) channel.postMessage('who');
      else done();
    };
    channel.postMessage('who');
  });
  // Service workers: registering A's script (scope: A's course folder), and which scopes B's registrations show.
  const swTheirs = await attempt(() =>
    navigator.serviceWorker.register(`${aOrigin}${new URL('sw.js', aUrl).pathname}`),
  );
  const swMine = await attempt(async () => (await navigator.serviceWorker.register('sw.js')).scope);
  const scopes = await attempt(async () =>
    (await navigator.serviceWorker.getRegistrations()).map((r) => r.scope).join(' '),
  );
  return { storage, frames, opener: openerProbe, heard: JSON.stringify(heard), swTheirs, swMine, scopes };
}

describe('one content origin per organisation (Chromium)', () => {
  it("org B's course cannot read org A's storage, frames, opener, broadcasts or service workers", async () => {
    const orgA = await bench.gk.org('Org A');
    const orgB = await bench.gk.org('Org B');
    const pageA = await b.page();
    const answerA = launchAnswer(pageA);
    await pageA.goto(await gatedCourse(orgA, 'course-a'));
    const a = await answerA;
    // The launch answers each org's content on its own origin.
    expect(new URL(a.contentUrl).origin).toBe(orgA.contentUrl);
    // A's course page URL carries its session's ingest token in the fragment.
    const aPageUrl = (await courseFrame(pageA, orgA.contentUrl)).url();
    const aIngestToken = new URL(aPageUrl).hash.split('cg-session=')[1]!;
    expect(aIngestToken.length).toBeGreaterThan(20);

    // A's course in a window of its own, holding first-party what A's origin holds: a secret and the
    // session tokens in storage (as the runtime's outbox does), a channel that answers anyone who asks,
    // and a service worker.
    const topA = await pageA.context().newPage();
    await topA.goto(aPageUrl);
    const SECRET = `a-secret-${Math.random()}`;
    await topA.evaluate(
      async ({ secret, tokens }) => {
        localStorage.setItem('cg-secret', secret);
        localStorage.setItem('cg-session', tokens.join(' '));
        sessionStorage.setItem('cg-secret', secret);
        const channel = new BroadcastChannel('coursegate');
        channel.onmessage = () => channel.postMessage({ from: 'A', secret, tokens, url: location.href });
        await navigator.serviceWorker.register('sw.js');
      },
      { secret: SECRET, tokens: [a.session.token, aIngestToken] },
    );

    // B's course launches through B's license in a window A's page opened, in the same profile…
    const lmsB = await gatedCourse(orgB, 'course-b');
    const opened = pageA.context().waitForEvent('page');
    await topA.evaluate((url) => void window.open(url, '_blank'), lmsB);
    const pageB = await opened;
    const answerB = await launchAnswer(pageB);
    expect(new URL(answerB.contentUrl).origin).toBe(orgB.contentUrl);
    expect(orgB.contentUrl).not.toBe(orgA.contentUrl);
    const frameB = await courseFrame(pageB, orgB.contentUrl);
    // …and B's page also gets a window of its own, opened by A's page: first-party, as A's.
    const ownB = pageA.context().waitForEvent('page');
    await topA.evaluate((url) => void window.open(url, '_blank'), frameB.url());
    const topB = await ownB;
    await topB.waitForLoadState('load');

    const input = { aUrl: a.contentUrl, aOrigin: orgA.contentUrl };
    for (const [where, probes] of [
      ['framed in the LMS', await frameB.evaluate(probe, input)],
      ['in its own window', await topB.evaluate(probe, input)],
    ] as const) {
      const everything = JSON.stringify(probes);
      for (const secret of [SECRET, a.session.token, aIngestToken, aPageUrl])
        expect(everything, where).not.toContain(secret);
      expect(probes.frames.theirsDocument, where).toEqual({ ok: true, value: 'null' });
      expect([probes.frames.theirsStorage.ok, probes.frames.theirsUrl.ok], where).toEqual([false, false]);
      expect(probes.frames.mineDocument, where).toEqual({ ok: true, value: 'course-b' });
      expect(probes.opener.present, where).toBe(true);
      expect([probes.opener.document.ok, probes.opener.storage.ok, probes.opener.url.ok], where).toEqual([
        false,
        false,
        false,
      ]);
      expect(probes.heard, where).toContain('"from":"B"');
      expect(probes.heard, where).not.toContain('"from":"A"');
      expect(probes.swTheirs.ok, where).toBe(false);
      for (const scope of probes.scopes.ok ? probes.scopes.value.split(' ').filter(Boolean) : [])
        expect(scope.startsWith(`${orgB.contentUrl}/`), where).toBe(true);
    }
    // First-party, B's own storage and service worker work: what failed above failed because it is A's.
    const own = await topB.evaluate(probe, input);
    expect(own.storage).toMatchObject({ ok: true, value: expect.stringContaining('mine') });
    expect(own.swMine).toEqual({
      ok: true,
      value: expect.stringMatching(new RegExp(`^${orgB.contentUrl}/`)),
    });
  });
});
