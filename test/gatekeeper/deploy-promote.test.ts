import { connect } from 'node:net';
import { Writable } from 'node:stream';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDeploy } from '../../packager/commands/deploy.js';
import { startDeployGatekeeper } from '../helpers/deploy-gatekeeper.js';
import { loopbackFetch } from '../helpers/loopback-fetch.js';
import { sharedFile } from '../helpers/shared.js';
import { onWorker } from '../helpers/worker-target.js';
import { validateXml } from '../helpers/xmllint.js';
import { makeCourseDir, removeDir } from '../packager/fixtures.js';

const quiet = () =>
  new Writable({
    write(_c, _e, done) {
      done();
    },
  });

/** The fields the tests read from the API's JSON answers. */
interface Answer {
  error?: { code: string };
  token: string;
  events: Record<string, unknown>[];
  url: string;
  id: string;
  entry: string;
  metadata: { standard: string; items: { kind: string; launchUrl: string }[] };
}

/** Sends the request target exactly as written (fetch would resolve `../` before sending). */
function rawStatus(url: string, target: string): Promise<number> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    let text = '';
    socket.on('data', (c) => {
      text += String(c);
    });
    socket.on('error', reject);
    socket.on('end', () => resolve(Number(text.split(' ')[1])));
    socket.write(`GET ${target} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nConnection: close\r\n\r\n`);
  });
}

const driver = onWorker ? 'r2' : 'fs';

describe(`promote, rollback, history, launch, content origin and previews (real Gatekeeper, ${driver})`, {
  timeout: 120_000,
}, () => {
  let env: Awaited<ReturnType<typeof startDeployGatekeeper>>;
  const dirs: string[] = [];
  const ids: string[] = [];
  let token = '';

  const call = async (method: string, path: string, body?: unknown) => {
    const res = await env.request(method, path, body);
    return {
      status: res.status,
      headers: res.headers,
      json: (await res.json().catch(() => ({}))) as Answer,
    };
  };
  const launch = async () => {
    const res = await fetch(`${env.gk.url}/v1/launch`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token, standard: 'scorm12' }),
    });
    expect(res.status).toBe(200);
    return ((await res.json()) as { contentUrl: string }).contentUrl;
  };

  beforeAll(async () => {
    env = await startDeployGatekeeper(driver, 'promo');
    for (const version of ['one', 'two']) {
      const dir = makeCourseDir({ 'index.html': `<!doctype html><title>${version}</title>` });
      dirs.push(dir);
      const r = await runDeploy({ source: dir, course: 'promo', api: env.api, log: quiet(), out: quiet() });
      ids.push(r.deploymentId!);
    }
    const lic = await call('POST', '/v1/licenses', { courseId: env.course.id, clientName: 'LMS' });
    token = lic.json.token;
  });
  afterAll(async () => {
    await env?.close();
    for (const d of dirs) removeDir(d);
  });

  it('refuses promote and rollback without a reason, or with a blank one: 400 reason_required', async () => {
    for (const body of [
      { deployment: ids[0] },
      { deployment: ids[0], reason: '   ' },
      { deployment: ids[0], reason: '' },
    ]) {
      const res = await call('POST', '/v1/courses/promo/promote', body);
      expect([res.status, res.json.error?.code]).toEqual([400, 'reason_required']);
    }
    for (const body of [{}, { reason: ' ' }]) {
      const res = await call('POST', '/v1/courses/promo/rollback', body);
      expect([res.status, res.json.error?.code]).toEqual([400, 'reason_required']);
    }
    // A reason is a sentence or two for the audit trail, not a document.
    const long = await call('POST', '/v1/courses/promo/promote', {
      deployment: ids[0],
      reason: 'x'.repeat(1001),
    });
    expect([long.status, long.json.error?.code]).toEqual([400, 'invalid_request']);
    expect((await call('GET', '/v1/courses/promo/history')).json.events).toEqual([]);
  });

  it('promotion and rollback are pointer changes: the next launch gets the new, then the previous content URL', async () => {
    expect(
      (
        await call('POST', '/v1/courses/promo/promote', {
          deployment: ids[0],
          reason: 'first release',
          expectedLive: null,
        })
      ).status,
    ).toBe(200);
    expect(await launch()).toContain(`/${ids[0]}/index.html`);
    expect(
      (
        await call('POST', '/v1/courses/promo/promote', {
          deployment: ids[1],
          reason: 'typo fix',
          expectedLive: ids[0],
        })
      ).status,
    ).toBe(200);
    const second = await launch();
    expect(second).toContain(`/${ids[1]}/index.html`);
    const rolled = await call('POST', '/v1/courses/promo/rollback', {
      reason: 'broken quiz',
      expectedLive: ids[1],
    });
    expect(rolled.json).toMatchObject({ from: ids[1], to: ids[0] });
    const after = await launch();
    expect(after).toContain(`/${ids[0]}/index.html`);
    expect(await (await loopbackFetch(after)).text()).toContain('<title>one</title>');

    const history = await call('GET', '/v1/courses/promo/history');
    expect(history.json.events).toHaveLength(3);
    expect(
      history.json.events.map((e: Record<string, unknown>) => [e.action, e.from, e.to, e.reason, e.actor]),
    ).toEqual([
      ['rollback', ids[1], ids[0], 'broken quiz', 'author@deploy.test'],
      ['promote', ids[0], ids[1], 'typo fix', 'author@deploy.test'],
      ['promote', null, ids[0], 'first release', 'author@deploy.test'],
    ]);
    for (const e of history.json.events) expect(Date.parse(String(e.at))).toBeGreaterThan(0);
    // Rollbacks walk back through releases: before the first one there is nothing to go back to.
    const again = await call('POST', '/v1/courses/promo/rollback', { reason: 'again', expectedLive: ids[0] });
    expect([again.status, again.json.error?.code]).toEqual([409, 'no_rollback_target']);
  });

  it('serves content from its own origin with immutable caching; ../, %2e%2e/ and absolute-form requests answer 404', async () => {
    const url = await launch();
    expect(new URL(url).origin).not.toBe(new URL(env.gk.url).origin);
    const res = await loopbackFetch(url);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const player = await loopbackFetch(url.replace(/index\.html$/, '_coursegate/player.js'));
    expect(player.status).toBe(200);

    const path = new URL(url).pathname;
    const dir = path.slice(0, path.lastIndexOf('/'));
    for (const target of [
      `${dir}/../${ids[1]}/index.html`,
      `${dir}/%2e%2e/${ids[1]}/index.html`,
      `${dir}/%2E%2e/%2e%2E/../gatekeeper.sqlite`,
      `/courses/../../gatekeeper.sqlite`,
      `${url}`.replace(/^http:\/\/[^/]+/, 'http://evil.test'),
      '//etc/passwd',
    ])
      expect([target, await rawStatus(env.gk.contentUrl, target)]).toEqual([target, 404]);
  });

  it('preview links: signed, expiring, revocable; a tampered link is refused', async () => {
    const created = await call('POST', `/v1/deployments/${ids[1]}/previews`, { expiresIn: 3600 });
    expect(created.status).toBe(201);
    const open = await fetch(created.json.url, { redirect: 'manual' });
    expect(open.status).toBe(302);
    expect(open.headers.get('location')).toContain(`/${ids[1]}/index.html`);
    const tampered = created.json.url.replace(
      /\.(\d+)\./,
      (_m: string, exp: string) => `.${Number(exp) + 1000}.`,
    );
    expect((await fetch(tampered, { redirect: 'manual' })).status).toBe(404);
    const revoked = await call('DELETE', `/v1/previews/${created.json.id}`);
    expect(revoked.status).toBe(200);
    expect((await fetch(created.json.url, { redirect: 'manual' })).status).toBe(404);
  });

  it('exports the live deployment as a portable SCORM 1.2 and cmi5 zip: valid manifest, no player, same bytes twice', async () => {
    const exported = async (format: string) => {
      const res = await fetch(`${env.gk.url}/v1/courses/promo/export?format=${format}`, {
        headers: { authorization: `Bearer ${env.key}` },
      });
      expect([format, res.status]).toEqual([format, 200]);
      expect(res.headers.get('content-type')).toBe('application/zip');
      return new Uint8Array(await res.arrayBuffer());
    };
    const zip = await exported('scorm12');
    const files = unzipSync(zip);
    // The live deployment after the rollback, without the gated player the Gatekeeper adds.
    expect(Object.keys(files).sort()).toEqual(['imsmanifest.xml', 'index.html']);
    expect(strFromU8(files['index.html']!)).toContain('<title>one</title>');
    await validateXml({ xml: strFromU8(files['imsmanifest.xml']!) }, 'scorm12');
    expect(await exported('scorm12')).toEqual(zip);
    const cmi5 = unzipSync(await exported('cmi5'));
    expect(Object.keys(cmi5).sort()).toEqual(['cmi5.xml', 'index.html']);
    await validateXml({ xml: strFromU8(cmi5['cmi5.xml']!) }, 'cmi5');
  });

  const multi = sharedFile('fixtures/scorm/golf-scorm2004v4-sequencing.zip');
  it.skipIf(!multi.path)(
    'deploys a third-party SCORM zip and records its standard, SCOs and entry point',
    async () => {
      const r = await runDeploy({
        source: multi.path!,
        course: 'promo',
        api: env.api,
        log: quiet(),
        out: quiet(),
      });
      const d = await call('GET', `/v1/deployments/${r.deploymentId}`);
      expect(d.json.metadata.standard).toBe('scorm2004');
      const scos = d.json.metadata.items.filter((i: { kind: string }) => i.kind === 'sco');
      expect(scos.length).toBeGreaterThan(1);
      expect(d.json.entry).toBe(scos[0]!.launchUrl.replace(/[?#].*$/, ''));
      const listed = await env.listDeployment(r.deploymentId!);
      expect(listed).toContain('imsmanifest.xml');
      expect(listed).toContain(d.json.entry);
    },
  );
});
