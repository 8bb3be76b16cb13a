import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeployPlanAnswer } from '../../protocol/deploy.js';
import { startDeployGatekeeper } from '../helpers/deploy-gatekeeper.js';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/**
 * Issue 22: with the S3 server stopped, deploy plan and finalize answered 500 and export sent 200
 * headers, then broke off. Over real HTTP against the real server and a real s3rver, stopped mid-deploy.
 */
describe('an S3 store stopped mid-deploy', { timeout: 120_000 }, () => {
  let env: Awaited<ReturnType<typeof startDeployGatekeeper>>;
  beforeAll(async () => {
    env = await startDeployGatekeeper('s3');
  });
  afterAll(async () => {
    await env?.close();
  });

  /** Plans a one-page deployment and uploads its page through the presigned URL. */
  async function planAndUpload(html: string): Promise<DeployPlanAnswer> {
    const bytes = new TextEncoder().encode(html);
    const res = await env.request('POST', `/v1/courses/${env.course.slug}/deployments`, {
      entry: 'index.html',
      files: [{ path: 'index.html', sha256: sha256(bytes), size: bytes.byteLength }],
    });
    expect(res.status).toBe(201);
    const plan = (await res.json()) as DeployPlanAnswer;
    for (const u of plan.upload) {
      const put = await fetch(u.url, { method: u.method, headers: u.headers, body: bytes });
      expect(put.status).toBe(200);
    }
    return plan;
  }

  const finalize = (id: string) => env.request('POST', `/v1/deployments/${id}/finalize`);

  async function refusal(res: Response) {
    return {
      status: res.status,
      type: res.headers.get('content-type'),
      retryAfter: Number(res.headers.get('retry-after')),
      body: (await res.json()) as { error: { code: string; details?: unknown } },
    };
  }

  it('plan, finalize, export and /readyz answer 503 storage_unavailable with Retry-After, and all recover when it is back', async () => {
    const first = await planAndUpload('<!doctype html><title>v1</title>');
    expect((await finalize(first.deployment.id)).status).toBe(200);
    const exportPath = `/v1/courses/${env.course.slug}/export?format=scorm12&deployment=${first.deployment.id}`;
    const exported = await env.request('GET', exportPath);
    expect(exported.status).toBe(200);
    await exported.arrayBuffer();
    const second = await planAndUpload('<!doctype html><title>v2</title>');

    await env.s3Outage.stop();
    try {
      const unavailable = { status: 503, body: { error: { code: 'storage_unavailable' } } };
      const finalized = await refusal(await finalize(second.deployment.id));
      expect(finalized).toMatchObject(unavailable);
      expect(finalized.retryAfter).toBeGreaterThan(0);

      const planned = await refusal(
        await env.request('POST', `/v1/courses/${env.course.slug}/deployments`, {
          entry: 'index.html',
          files: [{ path: 'index.html', sha256: 'b'.repeat(64), size: 3 }],
        }),
      );
      expect(planned).toMatchObject(unavailable);
      expect(planned.retryAfter).toBeGreaterThan(0);

      // Refused before any header of the zip went out: a JSON error, not a 200 that breaks off.
      const exportRefused = await refusal(await env.request('GET', exportPath));
      expect(exportRefused).toMatchObject({ ...unavailable, type: expect.stringMatching(/json/) });
      expect(exportRefused.retryAfter).toBeGreaterThan(0);

      const ready = await refusal(await fetch(`${env.gk.url}/readyz`));
      expect(ready).toMatchObject({
        ...unavailable,
        body: { error: { details: { database: 'ok', storage: 'storage_unavailable' } } },
      });
      expect((await fetch(`${env.gk.url}/healthz`)).status).toBe(200);
    } finally {
      await env.s3Outage.start();
    }

    expect((await finalize(second.deployment.id)).status).toBe(200);
    expect((await fetch(`${env.gk.url}/readyz`)).status).toBe(200);
    const again = await env.request('GET', exportPath);
    expect(again.status).toBe(200);
    await again.arrayBuffer();
  });
});
