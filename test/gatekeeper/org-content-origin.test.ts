import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../gatekeeper/config.js';
import { orgs } from '../../gatekeeper/db/schema.js';
import { startedBanner } from '../../gatekeeper/process-lifecycle.js';
import {
  createTestApp,
  startGatekeeper,
  TEST_CONTENT_URL,
  type TestApp,
  testOrgOrigin,
} from '../helpers/gatekeeper.js';
import { onWorker } from '../helpers/worker-target.js';
import { statement } from './ingest-setup.js';

/** An org with a live course and an open license; `launch` answers the launch's JSON. */
async function orgWithLicense(t: TestApp, name: string) {
  const o = await t.org(name);
  const { course } = await t.liveCourse(o.org.id, 'intro', 'start/index.html');
  const res = await t.call('POST', '/v1/licenses', {
    key: o.owner.key,
    body: { courseId: course.id, clientName: 'LMS' },
  });
  const { token } = (await res.json()) as { token: string };
  const launch = async () => {
    const r = await t.call('POST', '/v1/launch', { body: { token, standard: 'scorm12' } });
    expect(r.status).toBe(200);
    return (await r.json()) as {
      contentUrl: string;
      contentBase: string;
      session: { id: string; token: string };
    };
  };
  return { id: o.org.id, course, launch };
}

describe('the launch answers content on its org’s own origin', () => {
  it('each org’s course URL is on org-<uuid>.<content host>, never the shared origin nor another org’s', async () => {
    const t = await createTestApp();
    const a = await orgWithLicense(t, 'Acme');
    const b = await orgWithLicense(t, 'Beta');
    const [la, lb] = [await a.launch(), await b.launch()];
    expect(new URL(la.contentUrl).origin).toBe(testOrgOrigin(a.id));
    expect(new URL(lb.contentUrl).origin).toBe(testOrgOrigin(b.id));
    expect(new URL(la.contentUrl).origin).not.toBe(new URL(lb.contentUrl).origin);
    expect(la.contentUrl.startsWith(TEST_CONTENT_URL)).toBe(false);
    expect(new URL(la.contentBase).origin).toBe(testOrgOrigin(a.id));
  });

  it('an org with a content URL of its own (a bucket custom domain) gets that one', async () => {
    const t = await createTestApp();
    const a = await orgWithLicense(t, 'Acme');
    await t.db.orm
      .update(orgs)
      .set({ contentUrl: 'https://acme.cdn.example', contentHost: 'acme.cdn.example' })
      .where(eq(orgs.id, a.id));
    expect((await a.launch()).contentUrl).toMatch(
      new RegExp(`^https://acme\\.cdn\\.example/courses/${a.course.id}/dep_[^/]+/start/index\\.html$`),
    );
  });
});

describe('ingest CORS: a session’s answers are readable by its own org’s content origin only', () => {
  it('allows the session’s org origin, not another org’s; preflights (no token) name every content origin', async () => {
    const t = await createTestApp();
    const a = await orgWithLicense(t, 'Acme');
    const b = await orgWithLicense(t, 'Beta');
    const { session } = await a.launch();
    const post = (origin: string) =>
      t.call('POST', '/xapi/statements', {
        body: statement(session.id),
        headers: { authorization: `Bearer ${session.token}`, 'x-experience-api-version': '1.0.3', origin },
      });
    const own = await post(testOrgOrigin(a.id));
    expect(own.status).toBe(200);
    expect(own.headers.get('access-control-allow-origin')).toBe(testOrgOrigin(a.id));
    const theirs = await post(testOrgOrigin(b.id));
    expect(theirs.headers.get('access-control-allow-origin')).toBeNull();
    const preflight = (origin: string) =>
      t.call('OPTIONS', '/xapi/statements', {
        headers: { origin, 'access-control-request-method': 'PUT' },
      });
    expect((await preflight(testOrgOrigin(b.id))).headers.get('access-control-allow-methods')).toContain(
      'PUT',
    );
    expect((await preflight('https://lms.example')).headers.get('access-control-allow-methods')).toBe('POST');
  });
});

describe('COURSEGATE_ORG_CONTENT_URL', () => {
  it('defaults to <org>.<content host> with local disk, <org>.localhost for an IP address', () => {
    expect(loadConfig({}).orgContentUrl).toBe('http://{org}.localhost:8788');
    expect(loadConfig({ COURSEGATE_CONTENT_URL: 'https://content.example.net' }).orgContentUrl).toBe(
      'https://{org}.content.example.net',
    );
  });

  it.skipIf(onWorker)(
    'with s3 and none set, the server says at start that orgs share an origin',
    async () => {
      const gk = await startGatekeeper({
        COURSEGATE_STORAGE: 's3',
        COURSEGATE_CONTENT_URL: 'http://127.0.0.1:9/content',
        COURSEGATE_S3_ENDPOINT: 'http://127.0.0.1:9',
        COURSEGATE_S3_BUCKET: 'b',
        COURSEGATE_S3_ACCESS_KEY_ID: 'k',
        COURSEGATE_S3_SECRET_ACCESS_KEY: 's',
      });
      try {
        expect(gk.orgContentUrl).toBeUndefined();
        expect(startedBanner(loadConfig({}), gk)).toMatch(/warning: .*share COURSEGATE_CONTENT_URL/);
      } finally {
        await gk.close();
      }
    },
  );

  it('has no default with s3: the bucket’s URL takes no org label', () => {
    const s3 = {
      COURSEGATE_STORAGE: 's3',
      COURSEGATE_CONTENT_URL: 'https://cdn.example',
      COURSEGATE_S3_BUCKET: 'b',
      COURSEGATE_S3_ACCESS_KEY_ID: 'k',
      COURSEGATE_S3_SECRET_ACCESS_KEY: 's',
    };
    expect(loadConfig(s3).orgContentUrl).toBeUndefined();
    expect(loadConfig({ ...s3, COURSEGATE_ORG_CONTENT_URL: 'https://{org}.cdn.example' }).orgContentUrl).toBe(
      'https://{org}.cdn.example',
    );
  });

  it.each([
    'https://content.example.net',
    'https://x{org}.example.net',
    'https://example.net/{org}',
    'https://{org}.{org}.example.net',
  ])('refuses %s: {org} must be one whole label of the host', (value) => {
    expect(() => loadConfig({ COURSEGATE_ORG_CONTENT_URL: value })).toThrow(/COURSEGATE_ORG_CONTENT_URL/);
  });
});
