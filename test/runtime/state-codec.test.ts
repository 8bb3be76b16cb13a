import { describe, expect, it } from 'vitest';
import { cmiTime, cmiTimespan, isoDuration } from '../../runtime/lms/scorm-time.js';
import { decodeState, encodeState } from '../../runtime/state-codec.js';

describe('suspend data codec', () => {
  it('keeps small state as plain JSON', async () => {
    const data = await encodeState({ page: 3 }, 4096);
    expect(data).toBe('{"page":3}');
    expect(await decodeState(data)).toEqual({ page: 3 });
  });

  it('compresses a large repetitive state under the limit and reads it back', async () => {
    const state = {
      answers: Array.from({ length: 300 }, (_, i) => ({
        id: `question-${i}`,
        response: 'abcd'[i % 4],
        correct: i % 3 > 0,
      })),
    };
    const data = await encodeState(state, 4096);
    expect(JSON.stringify(state).length).toBeGreaterThan(4096);
    expect(data?.length).toBeLessThanOrEqual(4096);
    expect(await decodeState(data)).toEqual(state);
  });

  it('refuses what cannot fit even compressed', async () => {
    const noise = Array.from({ length: 3000 }, (_, i) => ((i * 2654435761) >>> 0).toString(36)).join('');
    expect(await encodeState({ noise }, 4096)).toBeUndefined();
  });

  it('reads nothing from empty suspend data', async () => {
    expect(await decodeState('')).toBeUndefined();
  });
});

describe('SCORM time formats', () => {
  it('writes CMITimespan, CMITime and ISO 8601 durations', () => {
    expect(cmiTimespan(3_723_450)).toBe('01:02:03.45');
    expect(cmiTimespan(0)).toBe('00:00:00.00');
    expect(cmiTime(new Date(2026, 0, 1, 9, 5, 7))).toBe('09:05:07');
    expect(isoDuration(3_723_450)).toBe('PT1H2M3.45S');
    expect(isoDuration(4200)).toBe('PT4.2S');
  });
});
