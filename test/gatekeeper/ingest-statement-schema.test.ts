import { describe, expect, it } from 'vitest';
import { GatekeeperError } from '../../gatekeeper/errors.js';
import { StatementSchema } from '../../gatekeeper/ingest/statement-openapi.js';
import { parseStatement, parseStatementBatch } from '../../gatekeeper/ingest/statement-schema.js';

const ID = '0b7a1c52-5b1e-4c55-9a2b-2f7d1e0f9a10';
const base = {
  id: ID,
  actor: { objectType: 'Agent', account: { homePage: 'https://gk.test', name: 'sess_1' } },
  verb: { id: 'http://adlnet.gov/expapi/verbs/progressed', display: { 'en-US': 'progressed' } },
  object: { objectType: 'Activity', id: 'https://gk.test/courses/intro' },
  timestamp: '2026-03-01T12:00:00.000Z',
};
type Case = Record<string, unknown>;
const activity = { id: 'https://gk.test/courses/intro/q1' };
const attachment = {
  usageType: 'http://example.com/attachment-usage/test',
  display: { en: 'A file' },
  contentType: 'text/plain',
  length: 27,
  sha2: '495395e777cd98da653df9615d09c0fd6bb2f8d4788394cd53c56a3bfdcd848a',
  fileUrl: 'https://x.test/file.txt',
};

/** One activity per interaction type, each with the component lists xAPI gives it. */
function interactions(): Case[] {
  const list = [{ id: 'a', description: { 'en-US': 'A' } }, { id: 'b' }];
  const lists: Record<string, Case> = {
    choice: { choices: list },
    sequencing: { choices: list },
    likert: { scale: list },
    matching: { source: list, target: list },
    performance: { steps: list },
  };
  const types = ['true-false', 'choice', 'fill-in', 'long-fill-in', 'matching', 'performance', 'sequencing'];
  return [...types, 'likert', 'numeric', 'other'].map((interactionType) => ({
    ...base,
    object: {
      id: 'https://x.test/q',
      definition: { interactionType, correctResponsesPattern: ['a'], ...lists[interactionType] },
    },
  }));
}

/** Statements the ingest must accept, in shapes courses and xAPI clients send. */
const VALID: Case[] = [
  base,
  { ...base, id: undefined },
  { ...base, version: '1.0.3' },
  { ...base, version: '2.0.0' },
  // Keys in another order come out in schema order: the same statement, the same stored body.
  { timestamp: base.timestamp, object: base.object, verb: base.verb, actor: base.actor, id: ID },
  { ...base, actor: { account: { name: 'sess_1', homePage: 'https://gk.test' } } },
  { ...base, object: { id: 'urn:x:1' } },
  { ...base, object: { objectType: 'StatementRef', id: ID } },
  {
    ...base,
    object: {
      id: 'https://x.test/a',
      definition: {
        extensions: { 'https://x.test/e': [1, { b: 2 }] },
        course: 'defined',
        type: 'http://adlnet.gov/expapi/activities/lesson',
        name: { en: 'Quiz' },
        description: { en: 'A quiz' },
        moreInfo: 'https://x.test/more',
      },
    },
  },
  {
    ...base,
    result: {
      extensions: { 'https://w3id.org/xapi/cmi5/result/extensions/progress': 40 },
      duration: 'PT1M1.5S',
      response: 'b',
      completion: true,
      success: false,
      score: { max: 10, min: 0, raw: 8, scaled: 0.8 },
    },
  },
  { ...base, result: { score: { raw: -5 } } },
  { ...base, result: { duration: 'P1Y2M3DT5H6M7.5S' } },
  { ...base, result: { duration: 'P4W' } },
  { ...base, result: { duration: 'PT16559.14S' } },
  { ...base, version: '1.0' },
  { ...base, timestamp: '2008-09-15T15:53:00.601+00:00' },
  { ...base, timestamp: '2008-09-15T15:53:00-05:00' },
  { ...base, timestamp: '20080915T155300Z' },
  { ...base, timestamp: '2008-09-15T15:53' },
  { ...base, verb: { id: 'https://x.test/v', display: { 'zh-Hant': 'v', 'sr-Latn-RS': 'v', tlh: 'v' } } },
  { ...base, context: { language: 'zh-Hans-CN' } },
  { ...base, context: { contextActivities: { parent: activity, other: [activity] } } },
  {
    ...base,
    verb: { id: 'http://adlnet.gov/expapi/verbs/voided' },
    object: { objectType: 'StatementRef', id: ID },
  },
  { ...base, object: { objectType: 'StatementRef', id: ID }, context: { registration: ID, language: 'en' } },
  ...interactions(),
  {
    ...base,
    attachments: [
      {
        usageType: 'http://example.com/attachment-usage/test',
        display: { 'en-US': 'A test attachment' },
        description: { es: 'Un adjunto' },
        contentType: 'text/plain; charset=ascii',
        length: 27,
        sha2: '495395e777cd98da653df9615d09c0fd6bb2f8d4788394cd53c56a3bfdcd848a',
        fileUrl: 'http://over.there.com/file.txt',
      },
    ],
  },
  {
    ...base,
    context: {
      extensions: { 'https://coursegate.dev/xapi/extensions/course': 'intro' },
      contextActivities: { other: [activity], parent: [activity, { objectType: 'Activity', id: 'urn:a' }] },
      statement: { objectType: 'StatementRef', id: ID },
      language: 'en',
      platform: 'Coursegate',
      revision: '3',
      registration: ID,
    },
  },
];

/** Statements the ingest must refuse: one broken rule each. */
const INVALID: (Case | string | null)[] = [
  { ...base, id: 'x' },
  { ...base, id: 7 },
  { ...base, extra: 1 },
  { ...base, actor: undefined },
  { ...base, actor: { objectType: 'Group', account: base.actor.account } },
  { ...base, actor: { account: { homePage: 'not an iri', name: 'sess_1' } } },
  { ...base, actor: { account: { homePage: 'https://gk.test', name: '' } } },
  { ...base, actor: { account: { homePage: 'https://gk.test', name: 'x'.repeat(201) } } },
  { ...base, actor: { account: { homePage: 'https://gk.test', name: 'sess_1', extra: 1 } } },
  { ...base, actor: { account: base.actor.account, extra: 1 } },
  { ...base, verb: { id: 'nope' } },
  { ...base, verb: { id: `https://x.test/${'a'.repeat(2048)}` } },
  { ...base, verb: { id: 'https://x.test/v', display: { en: 3 } } },
  { ...base, verb: { id: 'https://x.test/v', extra: 1 } },
  { ...base, verb: 'https://x.test/v' },
  { ...base, object: undefined },
  { ...base, object: [] },
  { ...base, object: { objectType: 'Agent', account: base.actor.account } },
  { ...base, object: { objectType: 'StatementRef', id: 'x' } },
  { ...base, object: { id: 'https://x.test/a', extra: 1 } },
  { ...base, object: { id: 'https://x.test/a', definition: { type: 'nope' } } },
  { ...base, object: { id: 'https://x.test/a', definition: { name: 'Quiz' } } },
  { ...base, object: { id: 'https://x.test/a', definition: { extensions: [] } } },
  { ...base, result: null },
  { ...base, result: { score: { scaled: 1.5 } } },
  { ...base, result: { score: { raw: '8' } } },
  { ...base, result: { score: { min: 5, max: 1 } } },
  { ...base, result: { score: { raw: 11, max: 10 } } },
  { ...base, result: { score: { raw: -1, min: 0 } } },
  { ...base, result: { score: { extra: 1 } } },
  { ...base, result: { success: 'yes' } },
  { ...base, result: { completion: 1 } },
  { ...base, result: { response: 'x'.repeat(10_001) } },
  { ...base, result: { duration: '61s' } },
  { ...base, result: { duration: 'P' } },
  { ...base, result: { extra: 1 } },
  { ...base, context: { registration: 'x' } },
  { ...base, context: { instructor: { account: base.actor.account } } },
  { ...base, context: { platform: 1 } },
  { ...base, context: { statement: { id: ID } } },
  { ...base, context: { contextActivities: { parent: 'https://x.test/a' } } },
  { ...base, context: { language: 'en-something-AU' } },
  { ...base, context: { language: 7 } },
  { ...base, context: { extensions: { 'should fail': 1 } } },
  { ...base, result: { extensions: { 'should fail': 1 } } },
  { ...base, object: { id: 'https://x.test/a', definition: { extensions: { 'should fail': 1 } } } },
  { ...base, verb: { id: 'https://x.test/v', display: { a12345678: 'v' } } },
  { ...base, object: { id: 'https://x.test/a', definition: { name: { 's-something': 'Quiz' } } } },
  { ...base, object: { id: 'https://x.test/a', definition: { interactionType: 'choiCe' } } },
  { ...base, object: { id: 'https://x.test/a', definition: { interactionType: 12345 } } },
  { ...base, object: { id: 'https://x.test/a', definition: { interactionType: { test: 'value' } } } },
  { ...base, object: { id: 'https://x.test/a', definition: { correctResponsesPattern: ['a'] } } },
  { ...base, object: { id: 'https://x.test/a', definition: { interactionType: 'choice', choices: [{}] } } },
  { ...base, object: { id: 'https://x.test/a', definition: { interactionType: 'true-false', choices: [] } } },
  { ...base, object: { id: 'https://x.test/a', definition: { scale: [{ id: 'a' }] } } },
  { ...base, timestamp: '01/011/2015' },
  { ...base, timestamp: '2008-09-15T15:53:00.601-00' },
  { ...base, timestamp: '2008-09-15T15:53:00.601-0000' },
  { ...base, timestamp: '2008-09-15T15:53:00.601-00:00' },
  { ...base, timestamp: '2008-09-15' },
  { ...base, result: { duration: 'P4W1D' } },
  { ...base, result: { duration: 'P1Y2M3W4DT5H6M7.5S' } },
  { ...base, result: { duration: 'PT1.5H2M' } },
  { ...base, result: { duration: 'PA1H0M0S' } },
  { ...base, object: { objectType: 'StatementRef', id: ID }, context: { revision: '1' } },
  { ...base, object: { objectType: 'StatementRef', id: ID }, context: { platform: 'Coursegate' } },
  { ...base, verb: { id: 'http://adlnet.gov/expapi/verbs/voided' } },
  { ...base, attachments: {} },
  { ...base, attachments: [{ ...attachment, fileUrl: undefined }] },
  { ...base, attachments: [{ ...attachment, display: undefined }] },
  { ...base, attachments: [{ ...attachment, length: -1 }] },
  { ...base, attachments: [{ ...attachment, usageType: 'nope' }] },
  { ...base, attachments: [{ ...attachment, extra: 1 }] },
  { ...base, version: '1.0.' },
  { ...base, context: { contextActivities: { parent: [{ id: 'nope' }] } } },
  { ...base, context: { contextActivities: { sibling: [activity] } } },
  { ...base, timestamp: 'yesterday' },
  { ...base, version: '0.95' },
  { ...base, version: '1.1.0' },
  'a statement',
  null,
];

const zodResult = (c: Case | string | null) => StatementSchema.safeParse(c);

function handResult(c: unknown) {
  try {
    return { ok: true as const, data: parseStatement(c) };
  } catch (err) {
    if (!(err instanceof GatekeeperError)) throw err;
    return { ok: false as const, err };
  }
}

describe('the hand-written statement check', () => {
  it('accepts what the xAPI schema accepts, with the same canonical body', () => {
    for (const c of VALID) {
      const zod = zodResult(c);
      expect(zod.success, JSON.stringify(c)).toBe(true);
      const hand = handResult(c);
      expect(hand.ok, JSON.stringify(c)).toBe(true);
      expect(JSON.stringify(hand.ok && hand.data)).toBe(JSON.stringify(zod.data));
    }
    const [reordered, original] = [VALID[4], VALID[0]].map((c) => JSON.stringify(parseStatement(c)));
    expect(reordered).toBe(original);
  });

  it('stores version 1.0 as 1.0.0 and one context activity as an array of one', () => {
    expect(parseStatement({ ...base, version: '1.0' }).version).toBe('1.0.0');
    const one = parseStatement({ ...base, context: { contextActivities: { parent: activity } } });
    expect(one.context?.contextActivities).toEqual({ parent: [activity] });
  });

  it('refuses a SubStatement object as 400 construct_not_accepted (docs/telemetry.md, privacy table)', () => {
    const sub = { objectType: 'SubStatement', actor: base.actor, verb: base.verb, object: base.object };
    expect(zodResult({ ...base, object: sub }).success).toBe(false);
    const hand = handResult({ ...base, object: sub });
    expect(!hand.ok && [hand.err.status, hand.err.code]).toEqual([400, 'construct_not_accepted']);
  });

  it('refuses what the xAPI schema refuses, as 400 invalid_request naming the field', () => {
    for (const c of INVALID) {
      expect(zodResult(c).success, JSON.stringify(c)).toBe(false);
      const hand = handResult(c);
      expect(hand.ok, JSON.stringify(c)).toBe(false);
      if (!hand.ok) expect([hand.err.status, hand.err.code]).toEqual([400, 'invalid_request']);
    }
    const bad = handResult({ ...base, result: { score: { scaled: 2 } } });
    expect(!bad.ok && bad.err.message).toBe('result.score.scaled: expected -1 to 1');
  });

  it('takes 1 to 1,000 statements a request and names the index of a bad one', () => {
    expect(parseStatementBatch([base, base])).toHaveLength(2);
    expect(() => parseStatementBatch([])).toThrow(GatekeeperError);
    expect(() => parseStatementBatch(Array.from({ length: 1001 }, () => base))).toThrow(/1 to 1000/);
    expect(() => parseStatementBatch([base, { ...base, verb: { id: 'nope' } }])).toThrow(
      /^1\.verb\.id: an IRI$/,
    );
  });
});
