import { request } from 'node:http';

/**
 * `fetch` for URLs on `*.localhost` (each org's content origin in tests): Chromium sends those to loopback
 * itself, but Node's resolver does not know them (getaddrinfo ENOTFOUND). This connects to 127.0.0.1 on the
 * URL's port and sends the URL's host as `Host`, as a browser would; other URLs go to `fetch`. GET and HEAD
 * only, no redirects followed.
 * @example const res = await loopbackFetch('http://org-0b6f….localhost:8788/courses/c/d/index.html');
 */
export async function loopbackFetch(
  url: string,
  init: { method?: string; headers?: Record<string, string> } = {},
) {
  const target = new URL(url);
  if (!target.hostname.endsWith('.localhost')) return fetch(url, init);
  return new Promise<Response>((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: target.port || 80,
        method: init.method ?? 'GET',
        path: `${target.pathname}${target.search}`,
        headers: { ...init.headers, host: target.host },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const headers = new Headers();
          for (const [k, v] of Object.entries(res.headers))
            if (v !== undefined) headers.set(k, Array.isArray(v) ? v.join(', ') : v);
          const body = init.method === 'HEAD' || res.statusCode === 304 ? null : Buffer.concat(chunks);
          resolve(new Response(body, { status: res.statusCode ?? 0, headers }));
        });
      },
    );
    req.on('error', reject);
    req.end();
  });
}
