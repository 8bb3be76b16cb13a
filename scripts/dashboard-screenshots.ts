/**
 * `npm run screenshots`: regenerates docs/screenshots/*.png from a real Gatekeeper with seeded data
 * in Chromium, 1200×800: the sign-in page, then the operator walk of the acceptance test
 * (test/helpers/operator-walk.ts) saving a screenshot at each step, then the overview pages. The README
 * and docs/dashboard.md show these images.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { FULL_CHROMIUM_PATH, launchBrowser } from '../test/helpers/browser.ts';
import { startDashboardFixture } from '../test/helpers/dashboard.ts';
import { operatorWalk } from '../test/helpers/operator-walk.ts';
import { ROOT } from '../test/helpers/paths.ts';

const out = join(ROOT, 'docs/screenshots');
mkdirSync(out, { recursive: true });
const fx = await startDashboardFixture({ courseTitle: 'Workplace Safety' });
const browser = await launchBrowser({ executablePath: FULL_CHROMIUM_PATH });
try {
  const page = await browser.browser.newPage({ viewport: { width: 1200, height: 800 } });
  const shot = (name: string) => page.screenshot({ path: join(out, `${name}.png`) }).then(() => undefined);
  await page.goto(`${fx.base}/login`);
  await shot('dashboard-login');
  await operatorWalk(page, fx, shot);
  for (const [name, path] of [
    ['dashboard-courses', ''],
    ['dashboard-launches', '/launches'],
  ] as const) {
    await page.goto(`${fx.base}${path}`);
    await shot(name);
  }
  console.log(`Screenshots written to ${out}`);
} finally {
  await browser.close();
  await fx.close();
}
