import { afterEach, describe, expect, it } from 'vitest';
import { VERBS } from '../../protocol/xapi.js';
import { createTelemetry, type Telemetry } from '../../runtime/telemetry/index.js';
import { createIngestStub } from '../helpers/ingest-stub.js';

const HOME = 'https://gk.example.com';
let telemetry: Telemetry | undefined;
afterEach(() => {
  telemetry?.uninstall();
  localStorage.clear();
});

function setup() {
  const ingest = createIngestStub({ homePage: HOME, sessions: [{ id: 'sess-1', token: 'tok-1' }] });
  telemetry = createTelemetry({
    endpoint: HOME,
    sessionToken: 'tok-1',
    sessionId: 'sess-1',
    course: 'intro',
    deployment: 'dep-1',
    fetch: ingest.fetch,
    flushDelayMs: 60_000,
  });
  return { ingest, t: telemetry };
}

describe('createTelemetry', () => {
  it('sends lifecycle and course-defined statements and errors with the last statements as breadcrumbs', async () => {
    const { ingest, t } = setup();
    t.install(window);
    const ids = [
      t.statement('launched'),
      t.statement('initialized'),
      t.track('http://adlnet.gov/expapi/verbs/answered', 'quiz-1/q1', { response: 'b', success: true }),
    ];
    t.error('lms_commit_failed', 'LMSCommit returned false');
    expect(await t.flush()).toBe(true);

    expect(ingest.statements().map((s) => s.id)).toEqual(ids);
    expect(ingest.statements().map((s) => (s.verb as { id: string }).id)).toEqual([
      VERBS.launched,
      VERBS.initialized,
      'http://adlnet.gov/expapi/verbs/answered',
    ]);
    const [report] = ingest.reports();
    expect(report).toMatchObject({
      kind: 'runtime',
      code: 'lms_commit_failed',
      course: 'intro',
      deployment: 'dep-1',
    });
    expect(report?.breadcrumbs.map((b) => b.type)).toEqual([
      VERBS.launched,
      VERBS.initialized,
      'http://adlnet.gov/expapi/verbs/answered',
    ]);
  });

  it('never throws into course code: an unserialisable result is reported as invalid_argument', async () => {
    const { ingest, t } = setup();
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expect(t.track('bookmarked', 'page-1', { extensions: { 'https://e.example/x': circular } })).toBe('');
    expect(await t.flush()).toBe(true);
    expect(ingest.statements()).toEqual([]);
    expect(ingest.reports()).toMatchObject([{ kind: 'runtime', code: 'invalid_argument' }]);
  });

  it('captures nothing and sends nothing at creation; install starts capture, uninstall stops it', async () => {
    const { ingest, t } = setup();
    window.dispatchEvent(new ErrorEvent('error', { message: 'before install' }));
    t.install(window);
    window.dispatchEvent(new ErrorEvent('error', { message: 'while installed' }));
    t.uninstall();
    window.dispatchEvent(new ErrorEvent('error', { message: 'after uninstall' }));
    await t.flush();
    expect(ingest.reports().map((r) => r.message)).toEqual(['while installed']);
  });
});
