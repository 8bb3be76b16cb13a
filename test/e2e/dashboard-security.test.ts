import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CSRF_MESSAGE } from '../../gatekeeper/dashboard/index.js';
import { getLicense } from '../../gatekeeper/db/licenses.js';
import { useBrowser } from '../helpers/browser.js';
import { type DashboardFixture, startDashboardFixture, XSS } from '../helpers/dashboard.js';
import { ROOT } from '../helpers/paths.js';
import { serveOrigins } from '../helpers/serve.js';

const AXE = readFileSync(join(ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8');

interface AxeViolation {
  id: string;
  impact: string | null;
  nodes: { target: string[] }[];
}

/** axe-core in the page; the dashboard's CSP forbids injected scripts, so the context bypasses it. */
async function seriousViolations(page: Page) {
  await page.addScriptTag({ content: AXE });
  const violations = (await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(): Promise<{ violations: unknown[] }> } }).axe;
    return (await axe.run()).violations;
  })) as AxeViolation[];
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

describe('dashboard: roles, CSRF, XSS and accessibility', () => {
  const b = useBrowser();
  let fx: DashboardFixture;
  beforeAll(async () => {
    fx = await startDashboardFixture();
  }, 60_000);
  afterAll(async () => {
    await fx?.close();
  });

  it('hides owner-only pages from a member, and a direct URL answers a 403 page', async () => {
    const page = await b.page();
    await fx.login(page, 'member');
    await expect(page.getByRole('link', { name: 'Members & keys' }).count()).resolves.toBe(0);
    const res = await page.goto(`${fx.base}/members`);
    expect(res?.status()).toBe(403);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Not allowed');
    await expect(page.getByRole('alert').textContent()).resolves.toContain('Only owners');
    // Members may not revoke either (permission matrix): no link to it, and a forged form is refused.
    await page.goto(`${fx.base}/licenses`);
    await expect(page.getByRole('link', { name: /Revoke/ }).count()).resolves.toBe(0);
    expect((await page.request.get(`${fx.base}/licenses/${fx.license.id}/revoke`)).status()).toBe(403);
    await page.goto(`${fx.base}/account`);
    const csrf = await page.locator('input[name="_csrf"]').first().inputValue();
    const forged = await page.request.post(`${fx.base}/licenses/${fx.license.id}/revoked`, {
      headers: { origin: fx.gk.url },
      form: { _csrf: csrf, revoked: 'on' },
    });
    expect(forged.status()).toBe(403);
    expect((await getLicense(fx.db, fx.org.id, fx.license.id))?.status).toBe('active');
  });

  it('refuses cross-site and same-site form posts from other origins (CSRF)', async () => {
    const port = new URL(fx.gk.url).port;
    const attack = (action: string) => `<!doctype html><title>win a prize</title>
<form method="post" action="${action}"><input name="revoked" value="on"><input name="_csrf" value="guess"></form>
<script>document.forms[0].submit()</script>`;
    const target = `${fx.base}/licenses/${fx.license.id}/revoked`;
    const { origins, close } = await serveOrigins([
      { host: '127.0.0.1', files: { '/attack.html': attack(target) } },
      // Same site as the dashboard (ports do not separate sites): the Strict cookie goes along.
      { host: 'localhost', files: { '/attack.html': attack(target) } },
    ]);
    try {
      const page = await b.page();
      await fx.login(page);
      for (const origin of origins) {
        expect(new URL(origin).port).not.toBe(port);
        await Promise.all([page.waitForURL(target), page.goto(`${origin}/attack.html`)]);
        await expect(page.getByRole('alert').textContent()).resolves.toBe(CSRF_MESSAGE);
        expect((await getLicense(fx.db, fx.org.id, fx.license.id))?.status).toBe('active');
      }
      // Right origin, right cookie, but no token: refused as well.
      const noToken = await page.request.post(target, {
        headers: { origin: fx.gk.url },
        form: { revoked: 'on' },
      });
      expect(noToken.status()).toBe(403);
      expect((await getLicense(fx.db, fx.org.id, fx.license.id))?.status).toBe('active');
    } finally {
      await close();
    }
  });

  it('renders a hostile course title and client name as text', async () => {
    const page = await b.page();
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await fx.login(page);
    await page.goto(`${fx.base}/licenses`);
    await page.getByText('Issue a license').click();
    await page.getByLabel('Client name').fill(XSS);
    await page.getByRole('button', { name: 'Issue' }).click();
    await page.getByRole('heading', { level: 1, name: `License: ${XSS}` }).waitFor();
    for (const path of ['', `/courses/${fx.course.id}`, '/licenses', '/launches']) {
      const res = await page.goto(`${fx.base}${path}`);
      const html = (await res?.text()) ?? '';
      expect(html).not.toContain(XSS);
      expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
      await expect(page.locator('main img').count()).resolves.toBe(0);
    }
    await expect(page.locator('main').textContent()).resolves.toContain(XSS);
    expect(dialogs).toEqual([]);
    expect(page.errors).toEqual([]);
  });

  it('sends a CSP without unsafe-inline, and the pages run under it without violations', async () => {
    const page = await b.page();
    const violations: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
    });
    await fx.login(page);
    const res = await page.goto(`${fx.base}/licenses`);
    const csp = res?.headers()['content-security-policy'] ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    // The script ran: it marks the document as scripted.
    await expect(page.locator('html.js').count()).resolves.toBe(1);
    await page.goto(`${fx.base}/courses/${fx.course.id}`);
    expect(violations).toEqual([]);
  });

  it('has no serious or critical axe violations on any page, and fits a phone', async () => {
    const context = await b.browser.newContext({ bypassCSP: true });
    const page = await context.newPage();
    try {
      await page.goto(`${fx.base}/login`);
      const found: Record<string, string[]> = { login: await seriousViolations(page) };
      await page.getByLabel('Email').fill(fx.owner.email);
      await page.getByLabel('Password').fill('owner-password-123');
      await Promise.all([page.waitForURL(fx.base), page.getByRole('button', { name: 'Sign in' }).click()]);
      const pages = [
        '',
        `/courses/${fx.course.id}`,
        '/licenses',
        `/licenses/${fx.license.id}`,
        '/launches',
        '/errors',
        '/error-groups',
        `/error-groups/${fx.course.id}/seed-0`,
        '/completions',
        '/audit',
        `/licenses/${fx.license.id}/revoke`,
        '/members',
        '/account',
        '/no-such-page',
      ];
      for (const path of pages) {
        await page.goto(`${fx.base}${path}`);
        found[path || '/'] = await seriousViolations(page);
      }
      expect(found).toEqual(Object.fromEntries(Object.keys(found).map((k) => [k, []])));

      await page.setViewportSize({ width: 375, height: 740 });
      for (const path of ['', '/licenses', '/launches', '/audit', `/courses/${fx.course.id}`]) {
        await page.goto(`${fx.base}${path}`);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        expect(overflow, path).toBeLessThanOrEqual(0);
      }
    } finally {
      await context.close();
    }
    // Fifteen pages through axe take about a minute on a loaded 2-core machine.
  }, 150_000);
});
