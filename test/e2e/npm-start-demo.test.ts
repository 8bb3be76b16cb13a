import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { useBrowser } from '../helpers/browser.js';
import { helloFrame, takeHello } from '../helpers/hello-course.js';
import { ROOT } from '../helpers/paths.js';

/** A fresh clone's `npm start`: the printed demo LMS URL, opened in Chromium, runs the demo course gated. */
const b = useBrowser();
const dataDir = mkdtempSync(join(tmpdir(), 'cg-npm-start-'));
const cloneDir = mkdtempSync(join(tmpdir(), 'cg-clone-'));
let child: ChildProcess | undefined;
let demoUrl = '';
let printed = '';

afterAll(() => {
  // npm runs the Gatekeeper as its own child: end the whole process group.
  if (child?.pid) process.kill(-child.pid, 'SIGTERM');
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(cloneDir, { recursive: true, force: true });
});

/**
 * A fresh clone of this checkout's HEAD (no dist/, no data/), sharing the installed node_modules, as a
 * stranger's `git clone && npm install` leaves it. Outside a git checkout the tree itself stands in.
 */
function freshClone(): string {
  if (!existsSync(join(ROOT, '.git'))) return ROOT;
  const dir = join(cloneDir, 'coursegate');
  execFileSync('git', ['clone', '--quiet', '--no-hardlinks', ROOT, dir]);
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  return dir;
}

function npmStart(): Promise<string> {
  child = spawn('npm', ['start'], {
    cwd: freshClone(),
    detached: true,
    env: {
      ...process.env,
      COURSEGATE_PORT: '0',
      COURSEGATE_CONTENT_PORT: '0',
      COURSEGATE_DATA_DIR: dataDir,
      COURSEGATE_LOG: 'off',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child!.stderr?.on('data', (d) => {
      err += d;
    });
    child!.stdout?.on('data', (d) => {
      out += d;
      if (!out.includes('Press Ctrl-C')) return;
      printed = out;
      const m = /demo LMS: (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]!);
      else reject(new Error(`no demo LMS URL in:\n${out}`));
    });
    child!.on('exit', (code) => reject(new Error(`npm start exited (${code}): ${err}`)));
  });
}

describe('npm start in a fresh clone, on an empty data dir', () => {
  it('prints the demo LMS URL; clicking through it completes the demo course through the Gatekeeper', async () => {
    demoUrl = await npmStart();
    const page = await b.page();
    await page.goto(demoUrl);
    await page.getByRole('link', { name: 'Launch the SCORM 2004 package' }).click();
    await takeHello(await helloFrame(page, /\/courses\/[^/]+\/[^/]+\/index\.html$/));
    await expect
      .poll(() => page.textContent('#recorded'), { timeout: 15_000 })
      .toMatch(/"success_status": "passed"/);
    expect(await page.textContent('#recorded')).toMatch(/"completion_status": "completed"/);
    await page.getByRole('button', { name: 'Finish the session' }).click();
    await expect.poll(() => page.textContent('#state')).toBe('Session finished.');
    expect(page.errors).toEqual([]);
    // A fresh clone has no bundles: `npm start` builds them first.
  }, 180_000);

  it('prints the dashboard URL and one-time owner credentials that sign in', async () => {
    const dashboard = /dashboard: (http:\/\/\S+)/.exec(printed)?.[1];
    const creds = /Dashboard sign-in \(shown once\): (\S+) \/ (\S+)/.exec(printed);
    expect(dashboard, printed).toBeDefined();
    expect(creds, printed).not.toBeNull();
    const page = await b.page();
    await page.goto(`${dashboard}/login`);
    await page.getByLabel('Email').fill(creds![1]!);
    await page.getByLabel('Password').fill(creds![2]!);
    await Promise.all([page.waitForURL(dashboard!), page.getByRole('button', { name: 'Sign in' }).click()]);
    // Signed in, the courses page lists the demo course.
    await page.getByText('Hello, Coursegate').first().waitFor({ timeout: 10_000 });
    expect(page.url()).toBe(dashboard);
  });

  it('launches the cmi5 package through its launch page and shows what the LRS recorded', async () => {
    expect(demoUrl).not.toBe('');
    const page = await b.page();
    await page.goto(demoUrl);
    const landed = page.waitForEvent(
      'framenavigated',
      (f) => f === page.mainFrame() && f.url().includes('#cg-session='),
    );
    await page.getByRole('link', { name: 'Launch the cmi5 package' }).click();
    await landed;
    await page.locator('html[data-ready]').waitFor({ state: 'attached' });
    // hello-course took the session for its telemetry and removed it from the address bar.
    expect(new URL(page.url()).hash).toBe('');
    const registration = new URL(page.url()).searchParams.get('registration');
    await takeHello(page);
    const done = `${demoUrl}cmi5/done?registration=${registration}`;
    await expect
      .poll(
        async () => {
          await page.goto(done);
          return page.textContent('#recorded');
        },
        { timeout: 15_000 },
      )
      .toMatch(/passed/);
    expect(await page.textContent('#recorded')).toMatch(/initialized/);
  });
  it('revoking the demo license in the dashboard refuses the next launch from the demo LMS', async () => {
    const dashboard = /dashboard: (http:\/\/\S+)/.exec(printed)![1]!;
    const creds = /Dashboard sign-in \(shown once\): (\S+) \/ (\S+)/.exec(printed)!;
    const page = await b.page();
    await page.goto(`${dashboard}/login`);
    await page.getByLabel('Email').fill(creds[1]!);
    await page.getByLabel('Password').fill(creds[2]!);
    await Promise.all([page.waitForURL(dashboard), page.getByRole('button', { name: 'Sign in' }).click()]);
    await page.goto(`${dashboard}/licenses`);
    // Revoking goes through its confirmation page, with a reason.
    const row = page.getByRole('row').filter({ hasText: 'Demo LMS' });
    await row.getByRole('link', { name: /Revoke/ }).click();
    await page.getByLabel('Reason').fill('Demo over');
    await page.getByRole('button', { name: 'Revoke Demo LMS' }).click();
    await expect(page.getByRole('status').textContent()).resolves.toContain('Revoked');

    const lms = await b.page();
    await lms.goto(demoUrl);
    await lms.getByRole('link', { name: 'Launch the SCORM 2004 package' }).click();
    // The stub answers in its own frame: look through every frame for its alert.
    const alertText = async () => {
      for (const f of lms.frames()) {
        const found = f.getByRole('alert');
        if ((await found.count()) > 0) return (await found.first().textContent()) ?? '';
      }
      return '';
    };
    await expect.poll(alertText, { timeout: 15_000 }).toMatch(/revoked/i);
  });
});
