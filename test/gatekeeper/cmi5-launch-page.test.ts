import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createContentApp, IMMUTABLE } from '../../gatekeeper/content/index.js';
import { publishCmi5LaunchPage } from '../../gatekeeper/deployments/cmi5-launch-page.js';
import { createStorage } from '../../gatekeeper/storage/factory.js';

const dir = mkdtempSync(join(tmpdir(), 'cg-cmi5-page-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the course-level cmi5 launch page on the content origin', () => {
  it('is written at one key per course and served as a page that is revalidated, not frozen', async () => {
    const storage = await createStorage({ driver: 'fs', root: dir });
    const publish = () =>
      publishCmi5LaunchPage({
        storage,
        courseId: 'crs_1',
        contentUrl: 'https://cdn.example/',
        gatekeeperUrl: 'https://gate.example',
        script: 'void 0',
      });
    const url = await publish();
    expect(url).toBe('https://cdn.example/courses/crs_1/_coursegate/cmi5-launch.html');
    // Publishing again (every package download) rewrites the same key.
    expect(await publish()).toBe(url);
    await storage.put('courses/crs_1/dep_1/index.html', 'course');

    const app = createContentApp({ storage });
    const page = await app.request('/courses/crs_1/_coursegate/cmi5-launch.html?t=tok&actor=x');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('cache-control')).toBe('no-cache');
    const html = await page.text();
    expect(html).toContain('{"gatekeeper":"https://gate.example"}');
    expect(html).toContain('<meta name="referrer" content="no-referrer">');
    const file = await app.request('/courses/crs_1/dep_1/index.html');
    expect(file.headers.get('cache-control')).toBe(IMMUTABLE);
  });
});
