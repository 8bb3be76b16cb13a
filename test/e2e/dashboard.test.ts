import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractPackage } from '../../packager/index.js';
import { savedDownload, useBrowser } from '../helpers/browser.js';
import { type DashboardFixture, startDashboardFixture } from '../helpers/dashboard.js';
import { validateXml } from '../helpers/xmllint.js';

describe('dashboard: the owner works from the browser', () => {
  const b = useBrowser();
  let fx: DashboardFixture;
  beforeAll(async () => {
    fx = await startDashboardFixture();
  }, 60_000);
  afterAll(async () => {
    await fx?.close();
  });

  it('signs in with email and password, and signs out', async () => {
    const page = await b.page();
    await page.goto(`${fx.base}/licenses`);
    expect(new URL(page.url()).pathname).toBe('/dashboard/login');
    await page.getByLabel('Email').fill(fx.owner.email);
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toContain('Wrong email or password');

    await fx.login(page);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Courses');
    const cookie = (await page.context().cookies()).find((c) => c.name === 'cg_dashboard');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict' });

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${fx.base}/login`);
    await page.goto(fx.base);
    expect(new URL(page.url()).pathname).toBe('/dashboard/login');
    expect(page.errors).toEqual([]);
  });

  it('promotes with a reason (the audit row appears) and refuses a rollback without one', async () => {
    const page = await b.page();
    await fx.login(page);
    await page.goto(`${fx.base}/courses/${fx.course.id}`);
    const row = page.getByRole('row').filter({ hasText: fx.v2.id });
    await row.getByLabel('Reason').fill('Fixes the quiz scoring');
    await row.getByRole('button', { name: 'Promote' }).click();
    await expect(page.getByRole('status').textContent()).resolves.toContain('Promoted');
    const audit = page.locator('#audit tbody tr').first();
    await expect(audit.textContent()).resolves.toContain('deployment.promote');
    await expect(audit.textContent()).resolves.toContain('Fixes the quiz scoring');
    await expect(audit.textContent()).resolves.toContain(fx.v2.id);

    // Blank (only spaces) passes the browser's `required`; the server still refuses it, visibly.
    await page.getByLabel('Reason for rolling back').fill('   ');
    await page.getByRole('button', { name: /Roll back/ }).click();
    const alert = page.getByRole('alert');
    await expect(alert.textContent()).resolves.toContain('Give a reason');
    await page.goto(`${fx.base}/courses/${fx.course.id}`);
    await expect(page.locator('#live').textContent()).resolves.toContain(fx.v2.id);

    await page.getByLabel('Reason for rolling back').fill('Scores look wrong in Globex');
    await page.getByRole('button', { name: /Roll back/ }).click();
    await expect(page.getByRole('status').textContent()).resolves.toContain('Rolled back');
    await expect(page.locator('#audit tbody tr').first().textContent()).resolves.toContain(
      'deployment.rollback',
    );
    await expect(page.locator('#live').textContent()).resolves.toContain(fx.v1.id);
  });

  it('exports a deployment per standard (manifests validate against the XSDs) and makes a preview link', async () => {
    const page = await b.page();
    await fx.login(page);
    await page.goto(`${fx.base}/courses/${fx.course.id}`);
    const row = page.getByRole('row').filter({ hasText: fx.v1.id });
    const work = mkdtempSync(join(tmpdir(), 'cg-dash-export-'));
    try {
      for (const [label, format, manifest] of [
        ['SCORM 1.2', 'scorm12', 'imsmanifest.xml'],
        ['SCORM 2004', 'scorm2004', 'imsmanifest.xml'],
        ['cmi5', 'cmi5', 'cmi5.xml'],
      ] as const) {
        const [download] = await Promise.all([
          page.waitForEvent('download'),
          row.getByRole('link', { name: new RegExp(`^${label} export`) }).click(),
        ]);
        expect(download.suggestedFilename()).toBe(`safety-${format}.zip`);
        const target = join(work, format);
        const extracted = await extractPackage(await savedDownload(download, work), target);
        expect(extracted.files).toContain('index.html');
        await validateXml(join(target, manifest), format);
      }
    } finally {
      rmSync(work, { recursive: true, force: true });
    }

    await row.getByRole('button', { name: /Preview link/ }).click();
    const url = (await page.locator('#preview-url').textContent()) ?? '';
    expect(url.startsWith(`${fx.gk.url}/preview/`)).toBe(true);
    await page.goto(url);
    expect(new URL(page.url()).origin).toBe(fx.contentUrl);
    await expect(page.locator('p').textContent()).resolves.toBe('Safety first.');
  });

  it('downloads the gated package of a license per standard, and its manifest validates against the XSDs', async () => {
    const page = await b.page();
    await fx.login(page);
    await page.goto(`${fx.base}/licenses/${fx.license.id}`);
    const work = mkdtempSync(join(tmpdir(), 'cg-dash-gated-'));
    try {
      for (const [label, format, manifest] of [
        ['SCORM 1.2', 'scorm12', 'imsmanifest.xml'],
        ['SCORM 2004', 'scorm2004', 'imsmanifest.xml'],
        ['cmi5', 'cmi5', 'cmi5.xml'],
      ] as const) {
        const [download] = await Promise.all([
          page.waitForEvent('download'),
          page.getByRole('link', { name: `${label} gated package` }).click(),
        ]);
        expect(download.suggestedFilename()).toBe(`safety-${format}-gated.zip`);
        const target = join(work, format);
        await extractPackage(await savedDownload(download, work), target);
        await validateXml(join(target, manifest), format);
        // cmi5: the AU is the course's launch page on the content origin, never the content itself.
        if (format === 'cmi5')
          expect(readFileSync(join(target, manifest), 'utf8')).toMatch(
            new RegExp(`<url>${fx.contentUrl}/courses/[^/]+/_coursegate/cmi5-launch\\.html\\?t=`),
          );
      }
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });

  it('revokes a license after a confirmation step with a reason, and the next launch is refused', async () => {
    const page = await b.page();
    await fx.login(page);
    await page.goto(`${fx.base}/licenses/${fx.license.id}`);
    const token = (await page.locator('#token').textContent())?.trim() ?? '';
    const launch = () =>
      fetch(`${fx.gk.url}/v1/launch`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ token, standard: 'scorm12' }),
      });
    expect((await launch()).status).toBe(200);

    await page.goto(`${fx.base}/licenses`);
    const row = page.getByRole('row').filter({ hasText: 'Globex LMS' });
    const status = async (text: string) => {
      await page.goto(`${fx.base}/licenses`);
      await expect(
        page
          .getByRole('row')
          .filter({ hasText: 'Globex LMS' })
          .locator('td[data-label="Status"] > span')
          .textContent(),
      ).resolves.toBe(text);
    };
    // The list only links to the confirmation page: nothing changes until its form is sent.
    await row.getByRole('link', { name: /Revoke/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Revoke Globex LMS?' }).waitFor();
    await expect(launch().then((r) => r.status)).resolves.toBe(200);
    // A revocation says why: the browser will not send the form without a reason.
    await page.getByRole('button', { name: 'Revoke Globex LMS' }).click();
    await expect(
      page.getByLabel('Reason').evaluate((el) => (el as HTMLInputElement).validity.valueMissing),
    ).resolves.toBe(true);
    await page.getByLabel('Reason').fill('Invoice unpaid');
    await page.getByRole('button', { name: 'Revoke Globex LMS' }).click();
    await expect(page.getByRole('status').textContent()).resolves.toContain('Revoked');
    await status('revoked');
    const refused = await launch();
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('license_revoked');

    await page
      .getByRole('row')
      .filter({ hasText: 'Globex LMS' })
      .getByRole('link', { name: /Un-revoke/ })
      .click();
    await page.getByRole('button', { name: 'Un-revoke Globex LMS' }).click();
    await status('active');
    expect((await launch()).status).toBe(200);
  });

  it('issues, extends and reissues a license', async () => {
    const page = await b.page();
    await fx.login(page);
    await page.goto(`${fx.base}/licenses`);
    await page.getByText('Issue a license').click();
    await page.getByLabel('Course').selectOption({ label: 'Onboarding 101' });
    await page.getByLabel('Client name').fill('Initech');
    await page.getByLabel(/Allowed LMS origins/).fill('https://lms.initech.test');
    await page.getByRole('button', { name: 'Issue' }).click();
    await page.getByRole('heading', { level: 1, name: 'License: Initech' }).waitFor();
    const first = await page.locator('#token').textContent();

    await page.getByLabel(/New expiry/).fill('2099-12-31');
    await page.getByRole('button', { name: 'Extend' }).click();
    await page.locator('dl', { hasText: '2099-12-31' }).waitFor();

    await page.getByRole('button', { name: 'Issue a new token' }).click();
    await expect(page.getByRole('status').textContent()).resolves.toContain('New token issued');
    expect(await page.locator('#token').textContent()).not.toBe(first);

    // Extended into the past, it is still "active" in the table but refuses launches: the page says so.
    await page.getByLabel(/New expiry/).fill('2020-01-01');
    await page.getByRole('button', { name: 'Extend' }).click();
    await page.locator('dd.status-expired', { hasText: /^\s*expired\s*$/ }).waitFor();
    await page.goto(`${fx.base}/licenses`);
    const row = page.getByRole('row').filter({ hasText: 'Initech' });
    await expect(row.locator('td[data-label="Status"]').textContent()).resolves.toBe('expired');
  });

  it('filters launches and exports them as CSV and NDJSON', async () => {
    const page = await b.page();
    await fx.login(page);
    await page.goto(`${fx.base}/launches`);
    await page.getByLabel('Outcome').selectOption('denied');
    await Promise.all([
      page.waitForURL(/outcome=denied/),
      page.getByRole('button', { name: 'Filter' }).click(),
    ]);
    const reasons = await page.locator('td[data-label="Reason"]').allTextContents();
    expect(reasons.length).toBeGreaterThan(0);
    expect(reasons.every((r) => r !== 'ok')).toBe(true);

    await page.getByLabel('Outcome').selectOption('');
    await Promise.all([
      page.waitForURL((u) => !u.search.includes('outcome=denied')),
      page.getByRole('button', { name: 'Filter' }).click(),
    ]);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^launches-\d{4}-\d{2}-\d{2}\.csv$/);
    const work = mkdtempSync(join(tmpdir(), 'cg-dash-csv-'));
    const csv = readFileSync(await savedDownload(download, work), 'utf8')
      .trim()
      .split('\r\n');
    rmSync(work, { recursive: true, force: true });
    expect(csv[0]).toBe(
      'at,allowed,reason,detail,courseTitle,courseId,clientName,licenseId,sessionId,origin,standard',
    );
    expect(csv.some((line) => line.includes('license_revoked'))).toBe(true);
    expect(csv.filter((line) => line.includes(',true,ok,')).length).toBeGreaterThan(10);

    const ndjson = await page.request.get(`${fx.base}/launches?outcome=denied&format=ndjson`);
    const rows = (await ndjson.text())
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { allowed: boolean });
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.allowed === false)).toBe(true);
  });

  it('a rollback from a page that shows an older live deployment changes nothing, and says what is live now', async () => {
    // Two owners have the course open; both see v1 live.
    const [first, second] = [await b.page(), await b.page()];
    for (const page of [first, second]) {
      await fx.login(page);
      await page.goto(`${fx.base}/courses/${fx.course.id}`);
      await expect(page.locator('#live').textContent()).resolves.toContain(fx.v1.id);
    }
    const row = first.getByRole('row').filter({ hasText: fx.v2.id });
    await row.getByLabel('Reason').fill('Ships the fixed quiz');
    await row.getByRole('button', { name: 'Promote' }).click();
    await expect(first.getByRole('status').textContent()).resolves.toContain('Promoted');

    // The second still shows v1 live: its rollback would undo the first owner's release.
    await second.getByLabel('Reason for rolling back').fill('v1 looks broken');
    const [answer] = await Promise.all([
      second.waitForResponse((r) => r.url().endsWith('/rollback')),
      second.getByRole('button', { name: /Roll back/ }).click(),
    ]);
    expect(answer.status()).toBe(409);
    const alert = await second.getByRole('alert').textContent();
    expect(alert).toContain('Someone else changed the live deployment first');
    expect(alert).toContain(`deployment ${fx.v2.id} is live`);
    expect(alert).toContain('Nothing was changed');
    // The page shows the course as it is now, and its forms now carry v2.
    await expect(second.locator('#live').textContent()).resolves.toContain(fx.v2.id);
    await expect(second.locator('#audit tbody tr').first().textContent()).resolves.toContain(
      'Ships the fixed quiz',
    );
    await second.getByLabel('Reason for rolling back').fill('Back to v1 after all');
    await second.getByRole('button', { name: /Roll back/ }).click();
    await expect(second.getByRole('status').textContent()).resolves.toContain('Rolled back');
    await expect(second.locator('#live').textContent()).resolves.toContain(fx.v1.id);
    expect([...first.errors, ...second.errors]).toEqual([]);
  });

  it('changes the password and signs in with the new one', async () => {
    const page = await b.page();
    await fx.login(page, 'member');
    await page.goto(`${fx.base}/account`);
    await page.getByLabel('Current password').fill('member-password-123');
    await page.getByLabel(/New password/).fill('a-much-longer-new-password');
    await page.getByRole('button', { name: 'Change password' }).click();
    await expect(page.getByRole('status').textContent()).resolves.toContain('Password changed');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Email').fill(fx.member.email);
    await page.getByLabel('Password').fill('a-much-longer-new-password');
    await Promise.all([page.waitForURL(fx.base), page.getByRole('button', { name: 'Sign in' }).click()]);
  });
});
