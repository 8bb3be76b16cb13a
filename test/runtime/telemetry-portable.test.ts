import { afterEach, describe, expect, it } from 'vitest';
import { PACKAGE_TELEMETRY_ELEMENT_ID } from '../../protocol/telemetry.js';
import {
  ANONYMOUS_SESSION_PREFIX,
  packageTelemetryConfig,
  telemetryFromPackage,
} from '../../runtime/telemetry/index.js';

const KEY = `cgi_${'k'.repeat(43)}`;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function embed(config: unknown) {
  const el = document.createElement('script');
  el.type = 'application/json';
  el.id = PACKAGE_TELEMETRY_ELEMENT_ID;
  el.textContent = typeof config === 'string' ? config : JSON.stringify(config);
  document.head.append(el);
}

/** A fetch that records what the telemetry sends and accepts it. */
function recorder() {
  const sent: { url: string; headers: Record<string, string>; body: unknown }[] = [];
  const fetch = async (url: RequestInfo | URL, init?: RequestInit) => {
    sent.push({
      url: String(url),
      headers: init?.headers as Record<string, string>,
      body: JSON.parse(String(init?.body)),
    });
    return new Response('[]', { status: 200 });
  };
  return { sent, fetch: fetch as typeof globalThis.fetch };
}

afterEach(() => {
  document.getElementById(PACKAGE_TELEMETRY_ELEMENT_ID)?.remove();
  localStorage.clear();
});

describe('telemetry of a portable package (ingest key)', () => {
  it('is off without the embedded config: nothing created, nothing sent', () => {
    expect(telemetryFromPackage()).toBeUndefined();
    embed('{not json');
    expect(telemetryFromPackage()).toBeUndefined();
    document.getElementById(PACKAGE_TELEMETRY_ELEMENT_ID)?.remove();
    embed({ endpoint: 'https://gk.test', course: 'intro' }); // no key
    expect(packageTelemetryConfig()).toBeUndefined();
  });

  it('sends as an anonymous session drawn in the browser and kept for the course', async () => {
    embed({ endpoint: 'https://gk.test', ingestKey: KEY, course: 'intro' });
    const r = recorder();
    const t = telemetryFromPackage({ fetch: r.fetch, flushDelayMs: 0 });
    expect(t).toBeDefined();
    t?.statement('launched');
    expect(await t?.flush()).toBe(true);
    const sessionId = localStorage.getItem(`${ANONYMOUS_SESSION_PREFIX}intro`) ?? '';
    expect(sessionId).toMatch(UUID);
    expect(r.sent).toHaveLength(1);
    expect(r.sent[0]?.url).toBe('https://gk.test/xapi/statements');
    expect(r.sent[0]?.headers.Authorization ?? r.sent[0]?.headers.authorization).toBe(
      `Bearer ${KEY}.${sessionId}`,
    );
    expect((r.sent[0]!.body as { actor: unknown }[])[0]!.actor).toEqual({
      objectType: 'Agent',
      account: { homePage: 'https://gk.test', name: sessionId },
    });
    // The next page of the same course continues the same anonymous session.
    const again = recorder();
    const t2 = telemetryFromPackage({ fetch: again.fetch, flushDelayMs: 0 });
    t2?.statement('progressed', undefined, { progress: 0.5 });
    await t2?.flush();
    expect((again.sent[0]!.body as { actor: { account: { name: string } } }[])[0]!.actor.account.name).toBe(
      sessionId,
    );
  });
});
