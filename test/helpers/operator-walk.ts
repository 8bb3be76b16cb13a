import type { Page } from 'playwright-core';
import { makeCourseDir, removeDir, tempDir } from '../packager/fixtures.js';
import { runCoursegate } from '../packager/run-cli.js';
import type { DashboardFixture } from './dashboard.js';

const DAY = 86_400_000;
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * The operator's walk of issue 24 in Chromium, shared by the acceptance test and `npm run screenshots`
 * (`shot` saves a screenshot at each step when given). Every step waits for what the page must show,
 * so a missing label, flag or row fails the walk; the test asserts the figures it returns.
 */
export async function operatorWalk(
  page: Page,
  fx: DashboardFixture,
  shot: (name: string) => Promise<void> = async () => {},
) {
  const course = `${fx.base}/courses/${fx.other.id}`;
  const home = tempDir('cg-walk-home-');
  const env = { HOME: home, COURSEGATE_URL: fx.gk.url, COURSEGATE_API_KEY: fx.key };
  const deploy = async (text: string, message: string) => {
    const dir = makeCourseDir({ 'index.html': `<!doctype html><title>Onboarding</title><p>${text}</p>` });
    try {
      const res = await runCoursegate(['deploy', dir, '--course', 'onboarding', '--message', message], {
        env,
        isolated: true,
      });
      if (res.code !== 0) throw new Error(`deploy failed: ${res.stderr}`);
      return /deployed (dep_[\w-]+)/.exec(res.stdout)?.[1] as string;
    } finally {
      removeDir(dir);
    }
  };
  const row = (text: string) => page.getByRole('row').filter({ hasText: text });
  const form = { rollback: page.getByRole('button', { name: /Roll back/ }) };
  try {
    await fx.login(page);
    // One deployment, promoted: nothing earlier to roll back to, so no Roll back form.
    const v1 = await deploy('Welcome', 'First cut of onboarding');
    await page.goto(course);
    await row('First cut of onboarding')
      .locator('td[data-label="Version"] strong', { hasText: /^#1$/ })
      .waitFor();
    await row('First cut of onboarding').getByLabel('Reason').fill('First release');
    await row('First cut of onboarding').getByRole('button', { name: 'Promote' }).click();
    await page.getByRole('status').filter({ hasText: 'Promoted' }).waitFor();
    const rollbackAlone = await form.rollback.count();

    const v2 = await deploy('Welcome aboard', 'Fix the welcome typo');
    await page.goto(course);
    await row('Fix the welcome typo')
      .locator('td[data-label="Version"] strong', { hasText: /^#2$/ })
      .waitFor();
    await row('First cut of onboarding')
      .locator('td[data-label="Version"] strong', { hasText: /^#1$/ })
      .waitFor();
    await row('Fix the welcome typo').getByLabel('Reason').fill('Typo fix');
    await row('Fix the welcome typo').getByRole('button', { name: 'Promote' }).click();
    await page.getByRole('status').filter({ hasText: 'Promoted' }).waitFor();
    await shot('dashboard-course');
    await page.getByLabel('Reason for rolling back').fill('Typo fix broke the layout');
    await page.getByRole('button', { name: 'Roll back to #1' }).click();
    await page.getByRole('status').filter({ hasText: 'Rolled back' }).waitFor();
    const history = await page.locator('#audit tbody tr').first().textContent();
    const live = await page.locator('#live').textContent();

    // A license with cap, start and notes, through the form.
    await page.goto(`${fx.base}/licenses`);
    await page.getByText('Issue a license').click();
    await page.getByLabel('Course').selectOption({ label: 'Onboarding 101' });
    await page.getByLabel('Client name').fill('Umbrella Academy');
    await page.getByLabel(/Allowed LMS origins/).fill('https://lms.umbrella.test');
    await page.getByLabel(/Starts/).fill(day(Date.now()));
    await page.getByLabel(/Launch cap/).fill('3');
    await page.getByLabel('Cap period').selectOption('month');
    await page.getByLabel(/Notes/).fill('Pilot for the Q3 cohort');
    await page.getByRole('button', { name: 'Issue' }).click();
    await page.getByRole('heading', { level: 1, name: 'License: Umbrella Academy' }).waitFor();
    const terms = await page.locator('#terms').textContent();
    const token = ((await page.locator('#token').textContent()) ?? '').trim();
    const launch = (origin: string) =>
      fetch(`${fx.gk.url}/v1/launch`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin },
        body: JSON.stringify({ token, standard: 'scorm12' }),
      }).then((r) => r.status);
    const launches = [
      await launch('https://lms.umbrella.test'),
      await launch('https://lms.umbrella.test'),
      await launch('https://elsewhere.test'),
      await launch('https://lms.umbrella.test'),
    ];
    await page.reload();
    const usage = Object.fromEntries(
      await page
        .locator('#usage dt')
        .evaluateAll((dts) =>
          dts.map((dt) => [dt.textContent ?? '', dt.nextElementSibling?.textContent ?? '']),
        ),
    ) as Record<string, string>;
    await page.locator('.flag-cap').first().waitFor();
    await shot('dashboard-license');

    // A license that expires within 14 days is flagged on the list and the course page.
    await page.goto(`${fx.base}/licenses`);
    await page.getByText('Issue a license').click();
    await page.getByLabel('Course').selectOption({ label: 'Onboarding 101' });
    await page.getByLabel('Client name').fill('Stark Industries');
    await page.getByLabel(/Expires/).fill(day(Date.now() + 6 * DAY));
    await page.getByRole('button', { name: 'Issue' }).click();
    await page.getByRole('heading', { level: 1, name: 'License: Stark Industries' }).waitFor();
    await page.goto(`${fx.base}/licenses`);
    const listFlag = await row('Stark Industries').locator('.flag-expiring').textContent();
    await page.goto(course);
    const courseFlags = await page.locator('#flagged').textContent();

    // Search by client name.
    await page.goto(`${fx.base}/licenses`);
    await page.getByLabel('Search').fill('Umbrella');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.waitForURL(/q=Umbrella/);
    const found = await page.locator('td[data-label="Client"]').allTextContents();
    const total = await page.locator('#license-total').textContent();
    await page.getByLabel('Search').fill('');
    await page.getByRole('button', { name: 'Search' }).click();
    await shot('dashboard-licenses');

    // Revoke with a reason, after the confirmation step; the audit page shows it, its CSV has it.
    await row('Umbrella Academy')
      .getByRole('link', { name: /Revoke/ })
      .click();
    await page.getByLabel('Reason').fill('Pilot ended early');
    await page.getByRole('button', { name: 'Revoke Umbrella Academy' }).click();
    await page.getByRole('status').filter({ hasText: 'Revoked' }).waitFor();
    await page.getByRole('link', { name: 'Audit', exact: true }).click();
    await page.getByLabel('Action').selectOption('license.revoke');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.waitForURL(/action=license.revoke/);
    const audited = await row('Umbrella Academy').textContent();
    await shot('dashboard-audit');
    const csv = await (await page.request.get(`${fx.base}/audit?format=csv&action=license.revoke`)).text();
    return {
      v1,
      v2,
      rollbackAlone,
      history,
      live,
      terms,
      launches,
      usage,
      listFlag,
      courseFlags,
      found,
      total,
      audited,
      csv,
    };
  } finally {
    removeDir(home);
  }
}
