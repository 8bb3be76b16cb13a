/**
 * `npm run screenshots`: regenerates docs/screenshots/*.png from a real Gatekeeper with seeded data
 * in Chromium, 1200×800. The README shows these images.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { FULL_CHROMIUM_PATH, launchBrowser } from '../test/helpers/browser.ts';
import { startDashboardFixture } from '../test/helpers/dashboard.ts';
import { ROOT } from '../test/helpers/paths.ts';

const out = join(ROOT, 'docs/screenshots');
mkdirSync(out, { recursive: true });
const fx = await startDashboardFixture({ courseTitle: 'Workplace Safety' });
const browser = await launchBrowser({ executablePath: FULL_CHROMIUM_PATH });
try {
  const page = await browser.browser.newPage({ viewport: { width: 1200, height: 800 } });
  const shots: [string, string][] = [
    ['dashboard-courses', ''],
    ['dashboard-course', `/courses/${fx.course.id}`],
    ['dashboard-license', `/licenses/${fx.license.id}`],
    ['dashboard-launches', '/launches'],
  ];
  await page.goto(`${fx.base}/login`);
  await page.screenshot({ path: join(out, 'dashboard-login.png') });
  await fx.login(page);
  for (const [name, path] of shots) {
    await page.goto(`${fx.base}${path}`);
    await page.screenshot({ path: join(out, `${name}.png`) });
  }
  console.log(`Screenshots written to ${out}`);
} finally {
  await browser.close();
  await fx.close();
}
