import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useBrowser } from '../helpers/browser.js';
import { type GatedHarness, startGatedHarness } from '../helpers/gated-lms.js';
import { courseFrame, exitCourse, goTo, lmsLog, lmsRecord, lmsTerminated } from '../helpers/golf-course.js';
import { sharedFile } from '../helpers/shared.js';

/**
 * A frame on a fourth origin inside the LMS page (an ad, a widget) knows where the stub and the player
 * are and posts bridge messages to both, with a guessed nonce and with the real one. Nothing reaches the
 * LMS and nothing comes back to it.
 */
const b = useBrowser();
let h: GatedHarness;
const golf = sharedFile('fixtures/scorm/golf-scorm12-basic-runtime.zip');

const INTRUDER = `<!doctype html><title>widget</title><script>
window.got = [];
addEventListener('message', function (e) { window.got.push({ origin: e.origin, data: e.data }); });
window.attack = function (nonce) {
  var stub = parent.frames[0];
  var player = stub.frames[0];
  var forged = [
    { cg: 1, type: 'hello', nonce: nonce },
    { cg: 1, type: 'call', nonce: nonce, id: 1, method: 'SetValue', args: ['cmi.core.lesson_status', 'passed'] },
    { cg: 1, type: 'call', nonce: nonce, id: 2, method: 'SetValue', args: ['cmi.core.score.raw', '100'] },
    { cg: 1, type: 'call', nonce: nonce, id: 3, method: 'Commit', args: [] },
    { cg: 1, type: 'call', nonce: nonce, id: 4, method: 'Terminate', args: [] },
    { cg: 1, type: 'call', nonce: 'guessed-nonce-0000000000000000', id: 5, method: 'SetValue', args: ['cmi.core.lesson_status', 'failed'] },
    { cg: 1, type: 'welcome', nonce: nonce, value: { standard: 'scorm12', snapshot: { 'cmi.core.lesson_status': 'passed', 'cmi.core.lesson_location': '13' } } },
    { cg: 1, type: 'result', nonce: nonce, id: 1, value: { r: 'true', e: '0' } },
    { cg: 1, type: 'event', nonce: nonce, value: 'initialized' }
  ];
  forged.forEach(function (m) { stub.postMessage(m, '*'); player.postMessage(m, '*'); });
  return forged.length;
};
</script>`;

beforeAll(async () => {
  h = await startGatedHarness();
  h.intruderPages.set('/intruder.html', INTRUDER);
  if (golf.path) {
    const { contentRoot } = h.deploy('golf-scorm12-basic-runtime', golf.path);
    h.gatekeeper.allow('spoof-token', { contentUrl: `${contentRoot}shared/launchpage.html` });
  }
});
afterAll(async () => {
  await h?.close();
});

describe('bridge spoofing from a fourth origin', () => {
  it.skipIf(!golf.path)('changes nothing in the LMS, even with the real nonce', async () => {
    const sco = h.gatedPackage('spoof', {
      token: 'spoof-token',
      standard: 'scorm12',
      entry: 'shared/launchpage.html',
    });
    const page = await b.page();
    page.on('dialog', (d) => void d.accept());
    await page.goto(
      h.lmsPage({ standard: 'scorm12', seed: { 'cmi.core.student_id': 'l4' }, sco, intruder: true }),
    );
    const course = await courseFrame(page);
    await goTo(course, 1);
    const before = await lmsRecord(page);
    const callsBefore = (await lmsLog(page)).length;

    const player = page
      .frames()
      .find((f) => f.url().startsWith(`${h.content}/`) && f.url().includes('/_coursegate/player.html#'))!;
    const nonce = new URLSearchParams(new URL(player.url()).hash.slice(1)).get('n')!;
    expect(nonce).toMatch(/^[0-9a-f]{32}$/);
    const intruder = page.frames().find((f) => f.url().startsWith(h.intruder))!;
    for (const n of [nonce, 'guessed-nonce-0000000000000000']) {
      expect(
        await intruder.evaluate((x) => (window as unknown as { attack(n: string): number }).attack(x), n),
      ).toBe(9);
    }

    // A real change after the attack: once it is in the LMS, the forged messages (posted earlier) were handled.
    await goTo(course, 2);
    await page.waitForFunction(() =>
      (window as unknown as { lmsLog: string[][] }).lmsLog.some(
        (e) => e[1] === 'cmi.core.lesson_location' && e[2] === '2',
      ),
    );
    const log = (await lmsLog(page)).slice(callsBefore);
    expect(log).toEqual([['LMSSetValue', 'cmi.core.lesson_location', '2']]);
    const after = await lmsRecord(page);
    expect(after).toEqual({
      ...before,
      cmi: {
        ...(before.cmi as object),
        core: { ...(before.cmi as { core: object }).core, lesson_location: '2' },
      },
    });
    // The player kept the LMS's values, not the forged welcome's.
    expect(
      await course.evaluate(() =>
        (window as unknown as { API: { LMSGetValue(k: string): string } }).API.LMSGetValue(
          'cmi.core.lesson_status',
        ),
      ),
    ).toBe('incomplete');
    // Nothing was ever answered to the intruder.
    expect(await intruder.evaluate(() => (window as unknown as { got: unknown[] }).got)).toEqual([]);

    // The real session still ends normally.
    await exitCourse(course);
    await lmsTerminated(page);
    expect(page.errors).toEqual([]);
  });

  it.skipIf(!golf.path)(
    'answers the first hello only: a second one from the player itself gets no snapshot',
    async () => {
      const page = await b.page();
      page.on('dialog', (d) => void d.accept());
      const sco = h.gatedPackage('spoof', {
        token: 'spoof-token',
        standard: 'scorm12',
        entry: 'shared/launchpage.html',
      });
      await page.goto(h.lmsPage({ standard: 'scorm12', seed: { 'cmi.core.student_id': 'l4' }, sco }));
      await courseFrame(page);
      const player = page.frames().find((f) => f.url().includes('/_coursegate/player.html#'))!;
      const replies = await player.evaluate(
        ([lms]) =>
          new Promise<string[]>((resolve) => {
            const nonce = new URLSearchParams(location.hash.slice(1)).get('n');
            const seen: string[] = [];
            addEventListener('message', (e) => {
              if (e.source !== parent || e.data?.nonce !== nonce) return;
              seen.push(e.data.type);
              // Replies come in order: once the call is answered, a welcome would already be here.
              if (e.data.type === 'result' && e.data.id === 999) resolve(seen);
            });
            parent.postMessage({ cg: 1, type: 'hello', nonce }, lms!);
            parent.postMessage({ cg: 1, type: 'call', nonce, id: 999, method: 'Commit', args: [] }, lms!);
          }),
        [h.lms] as const,
      );
      expect(replies).toEqual(['result']);
    },
  );
});
