import { describe, expect, it } from 'vitest';
import { listLaunchEvents } from '../../gatekeeper/db/launch-events.js';
import { createTestApp } from '../helpers/gatekeeper.js';

const NOT_JSON = 'Send a JSON body (Content-Type: application/json)';
const STANDARD = 'standard: Invalid option: expected one of "scorm12"|"scorm2004"|"cmi5"';
const JSON_TYPE = 'application/json';

/**
 * The hand-written launch route answers malformed bodies word for word as the zod-openapi pipeline it
 * replaced did, and records the same launch events: `recorded` is the event's `detail`, or `null` when a
 * request that never reached validation (wrong media type, broken JSON) leaves no event.
 */
const CASES: [
  name: string,
  body: string,
  contentType: string | null,
  message: string,
  recorded: string | null,
][] = [
  ['broken JSON', '{"token": ', JSON_TYPE, 'Malformed JSON in request body', null],
  ['an empty JSON body', '', JSON_TYPE, 'Malformed JSON in request body', null],
  ['form-encoded', 'token=abc&standard=scorm12', 'application/x-www-form-urlencoded', NOT_JSON, null],
  ['JSON sent as text/json', '{"token":"a.b.c","standard":"scorm12"}', 'text/json', NOT_JSON, null],
  [
    'text/plain that is not JSON',
    'token=abc',
    'text/plain;charset=UTF-8',
    'Malformed JSON in request body',
    null,
  ],
  [
    'text/plain in another charset',
    '{"token":"a","standard":"cmi5"}',
    'text/plain;charset=latin1',
    NOT_JSON,
    null,
  ],
  ['a dangling parameter separator', '{"token":"a","standard":"cmi5"}', 'application/json;', NOT_JSON, null],
  ['JSON null', 'null', JSON_TYPE, 'body: Invalid input: expected object, received null', ''],
  ['a JSON array', '[1,2]', JSON_TYPE, 'body: Invalid input: expected object, received array', ''],
  ['a JSON string', '"x"', JSON_TYPE, 'body: Invalid input: expected object, received string', ''],
  ['no fields', '{}', JSON_TYPE, 'token: Invalid input: expected string, received undefined', 'token'],
  [
    'a numeric token',
    '{"token":123,"standard":true}',
    JSON_TYPE,
    'token: Invalid input: expected string, received number',
    'token',
  ],
  [
    'an empty token',
    '{"token":"","standard":"scorm12"}',
    JSON_TYPE,
    'token: Too small: expected string to have >=1 characters',
    'token',
  ],
  [
    'a token one character too long',
    JSON.stringify({ token: 'a'.repeat(2049), standard: 'scorm12' }),
    JSON_TYPE,
    'token: Too big: expected string to have <=2048 characters',
    'token',
  ],
  ['a missing standard', '{"token":"a.b.c"}', JSON_TYPE, STANDARD, 'standard'],
  ['an unknown standard', '{"token":"a.b.c","standard":"aicc"}', JSON_TYPE, STANDARD, 'standard'],
  [
    'a token only under __proto__',
    '{"__proto__":{"token":"x"},"standard":"cmi5"}',
    JSON_TYPE,
    'token: Invalid input: expected string, received undefined',
    'token',
  ],
];

describe('POST /v1/launch: malformed bodies', () => {
  for (const [name, body, contentType, message, recorded] of CASES) {
    it(`${name} → 400 invalid_request "${message}"`, async () => {
      const t = await createTestApp();
      const res = await t.request('/v1/launch', {
        method: 'POST',
        headers: { origin: 'https://lms.example', ...(contentType ? { 'content-type': contentType } : {}) },
        body,
      });
      expect(res.status).toBe(400);
      expect(res.headers.get('access-control-allow-origin')).toBe('*');
      expect(await res.json()).toEqual({ error: { code: 'invalid_request', message } });
      const events = await listLaunchEvents(t.db);
      if (recorded === null) expect(events).toEqual([]);
      else
        expect(events).toEqual([
          expect.objectContaining({
            allowed: false,
            reason: 'invalid_request',
            detail: recorded,
            origin: 'https://lms.example',
            licenseId: null,
            standard: null,
          }),
        ]);
    });
  }

  it('accepts any JSON media type the published schema allows, and JSON as text/plain (no preflight), ignoring unknown fields', async () => {
    const t = await createTestApp();
    const types = [
      'application/json; charset=utf-8',
      'APPLICATION/JSON',
      'application/vnd.api+json',
      // What the stub and the cmi5 launch page send: a CORS-safelisted type needs no preflight.
      'text/plain;charset=UTF-8',
      'text/plain',
    ];
    for (const contentType of types) {
      const res = await t.request('/v1/launch', {
        method: 'POST',
        headers: { 'content-type': contentType },
        body: JSON.stringify({ token: 'a.b.c', standard: 'cmi5', extra: true }),
      });
      // Past validation: the token itself is what is refused, and the attempt is recorded as such.
      expect(res.status).toBe(403);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('token_invalid');
    }
    const events = await listLaunchEvents(t.db);
    expect(events.map((e) => [e.reason, e.standard])).toEqual(
      Array(types.length).fill(['token_invalid', 'cmi5']),
    );
  });
});
