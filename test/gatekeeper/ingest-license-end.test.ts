import { count, eq, like } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { completions, errorEvents, errorReports, sessions, statements } from '../../gatekeeper/db/schema.js';
import { errorReport, ingestSetup, postStatements, statement } from './ingest-setup.js';

type Setup = Awaited<ReturnType<typeof ingestSetup>>;
type Launched = { id: string; token: string };

const codeOf = async (res: Response) => ((await res.json()) as { error?: { code: string } }).error?.code;
/** Statuses of accepted answers; a refused one shows its body, so a failure says why. */
const outcomes = async (answers: Promise<Response[]>) =>
  Promise.all(
    (await answers).map(async (r) => (r.status < 300 ? r.status : `${r.status} ${await r.text()}`)),
  );
/** POST and PUT statements, POST errors, POST report: all stored. */
const STORED = [200, 204, 200, 204];

/** A second license of the same course, and a launch through it. */
async function otherLicense(s: Setup, body: Record<string, unknown> = {}) {
  const res = await s.t.call('POST', '/v1/licenses', {
    key: s.a.owner.key,
    body: { courseId: s.course.id, clientName: 'Other LMS', ...body },
  });
  expect(res.status).toBe(201);
  const { token, license } = (await res.json()) as { token: string; license: { id: string } };
  const launched = await s.t.call('POST', '/v1/launch', { body: { token, standard: 'scorm12' } });
  expect(launched.status).toBe(200);
  return { license, session: ((await launched.json()) as { session: Launched }).session };
}

/** A fingerprint (a short hash: letters and digits) naming its session, so groups can be counted per session. */
const fingerprintOf = (sessionId: string) => sessionId.replace(/[^0-9a-z]/gi, '').slice(-30);

/** Every telemetry route a session token opens, each with something new to store. */
function sendAll(s: Setup, session: Launched, seq: number) {
  const auth = { authorization: `Bearer ${session.token}` };
  const put = statement(session.id);
  return Promise.all([
    postStatements(s.t, session.token, [statement(session.id), statement(session.id)]),
    s.t.call('PUT', `/xapi/statements?statementId=${put.id}`, {
      body: put,
      headers: { ...auth, 'x-experience-api-version': '1.0.3' },
    }),
    s.t.call('POST', '/v1/errors', {
      body: {
        errors: [errorReport({ fingerprint: `${fingerprintOf(session.id)}${seq}` })],
      },
      headers: auth,
    }),
    s.t.call('POST', '/v1/sessions/report', {
      body: { seq, cmi: { 'cmi.core.lesson_status': seq === 1 ? 'incomplete' : 'completed' } },
      headers: auth,
    }),
  ]);
}

/** What the database holds of one session, counted in its tables (not through the API). */
async function stored(s: Setup, sessionId: string) {
  const orm = s.t.db.orm;
  const n = async (q: { n: number } | undefined | Promise<{ n: number } | undefined>) => (await q)?.n ?? 0;
  return {
    sessions: await n(orm.select({ n: count() }).from(sessions).where(eq(sessions.id, sessionId)).get()),
    statements: await n(
      orm.select({ n: count() }).from(statements).where(eq(statements.sessionId, sessionId)).get(),
    ),
    errorReports: await n(
      orm
        .select({ n: count() })
        .from(errorReports)
        .where(like(errorReports.id, `${sessionId}:%`))
        .get(),
    ),
    errorGroups: await n(
      orm
        .select({ n: count() })
        .from(errorEvents)
        .where(like(errorEvents.fingerprint, `${fingerprintOf(sessionId)}%`))
        .get(),
    ),
    completed: (
      await orm
        .select({ completed: completions.completed })
        .from(completions)
        .where(eq(completions.sessionId, sessionId))
        .get()
    )?.completed,
  };
}

describe('a license that ends ends its sessions telemetry', () => {
  it('revoked during live sessions: their next statements, errors and reports are refused and store nothing; another license is unaffected', async () => {
    const s = await ingestSetup();
    const live = await s.launch();
    const silent = await s.launch(); // launched, never sent anything: no session row yet
    const other = await otherLicense(s);
    expect(await outcomes(sendAll(s, live, 1))).toEqual(STORED);
    expect(await outcomes(sendAll(s, other.session, 1))).toEqual(STORED);
    const before = await stored(s, live.id);
    expect(before).toEqual({ sessions: 1, statements: 3, errorReports: 1, errorGroups: 1, completed: false });

    const revoked = await s.t.call('POST', `/v1/licenses/${s.license.id}/revoke`, {
      key: s.a.owner.key,
      body: {},
    });
    expect(revoked.status).toBe(200);

    for (const session of [live, silent]) {
      const answers = await sendAll(s, session, 2);
      expect(answers.map((r) => r.status)).toEqual([403, 403, 403, 403]);
      expect(await Promise.all(answers.map(codeOf))).toEqual(Array(4).fill('license_revoked'));
    }
    expect(await stored(s, live.id)).toEqual(before);
    expect(await stored(s, silent.id)).toEqual({
      sessions: 0,
      statements: 0,
      errorReports: 0,
      errorGroups: 0,
      completed: undefined,
    });

    expect(await outcomes(sendAll(s, other.session, 2))).toEqual(STORED);
    expect(await stored(s, other.session.id)).toEqual({
      sessions: 1,
      statements: 6,
      errorReports: 2,
      errorGroups: 2,
      completed: true,
    });
  });

  it('expired during a live session: its next requests are refused with license_expired; another license is unaffected', async () => {
    const s = await ingestSetup();
    const ending = await otherLicense(s, { expiresAt: '2026-03-01T13:00:00Z' });
    const lasting = await s.launch();
    expect(await outcomes(sendAll(s, ending.session, 1))).toEqual(STORED);
    const before = await stored(s, ending.session.id);

    s.t.clock.now = new Date('2026-03-01T13:00:00Z');
    const answers = await sendAll(s, ending.session, 2);
    expect(answers.map((r) => r.status)).toEqual([403, 403, 403, 403]);
    expect(await Promise.all(answers.map(codeOf))).toEqual(Array(4).fill('license_expired'));
    expect(await stored(s, ending.session.id)).toEqual(before);

    expect(await outcomes(sendAll(s, lasting, 1))).toEqual(STORED);
    expect(await stored(s, lasting.id)).toMatchObject({ statements: 3, errorReports: 1, completed: false });
  });
});
