import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useBrowser } from '../helpers/browser.js';
import { serveOrigins } from '../helpers/serve.js';

/**
 * The harness itself: a page on one loopback origin iframes a page on another, and the two talk over
 * postMessage with exact target origins, each checking `event.origin` and `event.source`.
 */
const b = useBrowser();
let servers: Awaited<ReturnType<typeof serveOrigins>>;
let parentOrigin = '';
let childOrigin = '';
let intruderOrigin = '';

const parentPage = (child: string, intruder: string) => `<!doctype html><title>parent</title>
<iframe id="child" src="${child}/child.html"></iframe>
<iframe id="intruder" src="${intruder}/intruder.html"></iframe>
<script>
  window.received = [];
  window.ignored = [];
  window.addEventListener('message', (e) => {
    const frame = document.getElementById('child').contentWindow;
    if (e.origin !== ${JSON.stringify(child)} || e.source !== frame) return window.ignored.push(e.origin);
    window.received.push(e.data);
    if (e.data.type === 'hello') frame.postMessage({ type: 'welcome' }, ${JSON.stringify(child)});
  });
</script>`;

const childPage = (parent: string) => `<!doctype html><title>child</title><script>
  window.received = [];
  window.addEventListener('message', (e) => {
    if (e.origin !== ${JSON.stringify(parent)} || e.source !== window.parent) return;
    window.received.push(e.data);
  });
  window.parent.postMessage({ type: 'hello' }, ${JSON.stringify(parent)});
</script>`;

// Posts to the parent with its exact origin: a real cross-origin sender that the parent must ignore.
const intruderPage = (parent: string) =>
  `<!doctype html><script>window.parent.postMessage({ type: 'hello', forged: true }, ${JSON.stringify(parent)});</script>`;

beforeAll(async () => {
  // Ports are only known after listening; the pages are rendered per request from the final origins.
  const files: Record<string, string> = {};
  servers = await serveOrigins([
    { host: '127.0.0.1', handler: (req, res) => inline(req.url, res) },
    { host: 'localhost', handler: (req, res) => inline(req.url, res) },
    { host: '127.0.0.2', handler: (req, res) => inline(req.url, res) },
  ]);
  [parentOrigin, childOrigin, intruderOrigin] = servers.origins as [string, string, string];
  files['/parent.html'] = parentPage(childOrigin, intruderOrigin);
  files['/child.html'] = childPage(parentOrigin);
  files['/intruder.html'] = intruderPage(parentOrigin);
  function inline(url: string | undefined, res: import('node:http').ServerResponse) {
    const body = files[new URL(url ?? '/', 'http://x').pathname];
    if (body === undefined) return false;
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(body);
    return true;
  }
});

afterAll(async () => {
  await servers?.close();
});

describe('cross-origin postMessage in real Chromium', () => {
  it('exchanges hello/welcome between exact origins and ignores a third origin', async () => {
    const page = await b.page();
    await page.goto(`${parentOrigin}/parent.html`);
    const child = page.frames().find((f) => f.url().startsWith(childOrigin));
    expect(child, 'child frame on the other origin').toBeDefined();
    await child!.waitForFunction(() => (window as unknown as { received: unknown[] }).received.length > 0);
    await page.waitForFunction(() => (window as unknown as { ignored: unknown[] }).ignored.length > 0);
    const ignored = await page.evaluate(() => (window as unknown as { ignored: string[] }).ignored);
    expect(ignored).toEqual([intruderOrigin]);
    const parentReceived = await page.evaluate(() => (window as unknown as { received: unknown[] }).received);
    const childReceived = await child!.evaluate(
      () => (window as unknown as { received: unknown[] }).received,
    );
    expect(new URL(parentOrigin).host).not.toBe(new URL(childOrigin).host);
    expect(parentReceived).toEqual([{ type: 'hello' }]);
    expect(childReceived).toEqual([{ type: 'welcome' }]);
    expect(page.errors).toEqual([]);
  });
});
