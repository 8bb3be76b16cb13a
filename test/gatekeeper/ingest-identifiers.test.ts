import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqlite } from '../../gatekeeper/db/open-sqlite.js';
import { createTestApp } from '../helpers/gatekeeper.js';
import { ingestSetup, postStatements, statement } from './ingest-setup.js';

// Issue 23: identifiers a course (or a careless author) puts in a statement never reach the database.
const EMAIL = 'jane.doe@example.com';
const MAILTO = `mailto:${EMAIL}`;
const PHONE = '+44 20 7946 0958';
const US_PHONE = '+1 (555) 010-9999';
const CARD = '4111 1111 1111 1111';
const CARD_RUN = '4111111111111111';
const NATIONAL = '123-45-6789';
/**
 * Every spelling that must not be found in the database file, its WAL or the API's answer. Long enough
 * that random ids cannot hold one by chance (a bare `4111` is in one UUID v4 of 4,096: `…-4111-…`).
 */
const NEEDLES = [
  'jane.doe',
  'jane.doe%40',
  '7946 0958',
  '2079460958',
  '010-9999',
  '0109999',
  '4111 1111',
  '411111111111',
  '45-6789',
];
const EXT = 'https://x.test/ext';
const COURSE = 'https://x.test/courses/intro';

type Json = Record<string, unknown>;
const agent = { objectType: 'Agent', mbox: MAILTO };

/** The seven statements the red team sent (issue 23, finding 1), then variants; each one is kept, scrubbed. */
const kept: Json[] = [
  { result: { response: `Contact me at ${EMAIL}` } },
  { result: { extensions: { [`${EXT}/contact`]: EMAIL } } },
  { context: { extensions: { [`${EXT}/contact`]: EMAIL } } },
  { object: { id: `${COURSE}?learner=${EMAIL}` } },
  { verb: { id: 'http://adlnet.gov/expapi/verbs/answered', display: { 'en-US': `answered by ${EMAIL}` } } },
  { object: { id: COURSE, definition: { name: { en: `Quiz of ${EMAIL}` }, description: { en: EMAIL } } } },
  { context: { contextActivities: { other: [{ id: MAILTO }] } } },
  // Variants.
  { result: { extensions: { [`${EXT}/profile`]: { a: [{ b: { c: `call ${PHONE}` } }] } } } },
  { context: { extensions: { [`${EXT}/${EMAIL}`]: 1 } } },
  { result: { response: `phone ${US_PHONE}` } },
  { result: { response: `card ${CARD}` } },
  { context: { extensions: { [`${EXT}/payment`]: [CARD_RUN] } } },
  { object: { id: COURSE, definition: { description: { en: `SSN ${NATIONAL}` } } } },
  { context: { contextActivities: { grouping: [{ id: 'tel:+442079460958' }] } } },
  { object: { id: `${COURSE}?learner=jane.doe%40example.com` } },
];

/** Statements that name another agent: refused whole, the answer naming where. */
const refused: [Json, string][] = [
  [
    { context: { instructor: { account: { homePage: 'https://x.test', name: 'teacher' } } } },
    '0.context.instructor',
  ],
  [{ context: { team: { objectType: 'Group', member: [agent] } } }, '0.context.team'],
  [{ authority: agent }, '0.authority'],
  [{ object: agent }, '0.object'],
  [{ object: { objectType: 'Group', name: `Team of ${EMAIL}` } }, '0.object'],
  [
    {
      object: {
        objectType: 'SubStatement',
        actor: agent,
        verb: { id: 'http://x.test/v' },
        object: { id: COURSE },
      },
    },
    '0.object.actor.mbox',
  ],
  [
    {
      object: {
        objectType: 'SubStatement',
        verb: { id: 'http://x.test/v' },
        object: { id: COURSE },
        context: { instructor: agent },
      },
    },
    '0.object.context.instructor',
  ],
  [{ actor: { objectType: 'Group', member: [agent] } }, '0.actor'],
  [{ result: { extensions: { [`${EXT}/who`]: { a: [agent] } } } }, `0.result.extensions.${EXT}/who.a.0`],
];

function expectNoIdentifier(places: Record<string, Buffer>): void {
  for (const [where, bytes] of Object.entries(places))
    for (const needle of NEEDLES) expect(bytes.includes(needle), `${needle} in ${where}`).toBe(false);
}

describe('no identifier in stored statements and error texts (issue 23)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cg-ids-'));
  const file = join(dir, 'gatekeeper.sqlite');
  let s: Awaited<ReturnType<typeof ingestSetup>>;
  let session: { id: string; token: string };
  let db: Awaited<ReturnType<typeof openSqlite>>;

  beforeAll(async () => {
    db = await openSqlite({ file });
    s = await ingestSetup(await createTestApp({ db }));
    session = await s.launch();
  });
  const storedBytes = () => ({ db: readFileSync(file), wal: readFileSync(`${file}-wal`) });
  afterAll(async () => {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses any agent but the actor with 400 pii_not_accepted and the JSON path', async () => {
    for (const [overrides, path] of refused) {
      const res = await postStatements(s.t, session.token, [statement(session.id, overrides)]);
      const body = (await res.json()) as { error: { code: string; details?: { path?: string } } };
      expect([res.status, body.error.code, body.error.details?.path], path).toEqual([
        400,
        'pii_not_accepted',
        path,
      ]);
    }
  });

  it('stores the rest with placeholders: nothing in the database file, its WAL or GET /xapi/statements', async () => {
    for (const overrides of kept) {
      const res = await postStatements(s.t, session.token, [statement(session.id, overrides)]);
      expect(res.status, JSON.stringify(overrides)).toBe(200);
    }
    const read = await s.t.call('GET', `/xapi/statements?session=${session.id}`, { key: s.a.owner.key });
    const text = await read.text();
    expectNoIdentifier({ ...storedBytes(), api: Buffer.from(text) });
    const { statements } = JSON.parse(text) as { statements: Json[] };
    expect(statements).toHaveLength(kept.length);
    // What the course's owner sees: the placeholders, where the identifiers were.
    const responses = statements.map((x) => (x.result as Json | undefined)?.response).filter(Boolean);
    expect(responses.sort()).toEqual(['Contact me at [email]', 'card [number]', 'phone [phone]']);
    expect(text).toContain(`${COURSE}?learner=[email]`);
    expect(text).toContain('"mailto:[redacted]"');
    // The stored rows are in one of the two files: the byte check would prove nothing if neither held them.
    const { db: dbBytes, wal } = storedBytes();
    expect(Buffer.concat([dbBytes, wal]).includes('Contact me at [email]')).toBe(true);
  });

  it('stores error reports with the same identifiers replaced', async () => {
    const res = await s.t.call('POST', '/v1/errors', {
      body: {
        errors: [
          {
            id: `r-${EMAIL}`,
            fingerprint: 'f1',
            kind: 'error',
            code: `lms_${CARD_RUN}`,
            message: `Failed for ${EMAIL} (${US_PHONE}), card ${CARD}, SSN ${NATIONAL}`,
            stack: `Error: x\n    at send (${MAILTO})\n    at call ${PHONE}`,
            count: 1,
            firstAt: '2026-03-01T11:59:00.000Z',
            lastAt: '2026-03-01T11:59:30.000Z',
            course: 'intro',
          },
        ],
      },
      headers: { authorization: `Bearer ${session.token}` },
    });
    expect(res.status).toBe(200);
    const text = await (
      await s.t.call('GET', `/v1/courses/${s.course.id}/errors?format=ndjson`, { key: s.a.owner.key })
    ).text();
    expect(JSON.parse(text.trim()).message).toBe('Failed for [email] ([phone]), card [number], SSN [number]');
    expectNoIdentifier({ ...storedBytes(), api: Buffer.from(text) });
  });

  it('keeps what is not an identifier: UUIDs, timestamps, short numbers, stack frames', async () => {
    const { redactIdentifiers } = await import('../../gatekeeper/privacy/service.js');
    const kept = [
      `${COURSE}/q/123e4567-e89b-12d3-a456-426614174000`,
      '2026-03-01T12:00:00.000Z',
      'scored 12345678 points in 3.14159265358979 s',
      'onClick@https://cdn.test/app.js:10:5',
      'sha a1b2c3d4e5f60123456789',
    ];
    for (const text of kept) expect(redactIdentifiers(text)).toBe(text);
  });
});
