import { describe, expect, it } from 'vitest';
import { findApi } from '../../runtime/lms/discover.js';

/** Builds a window-like chain; `throws` simulates a cross-origin frame whose properties throw on access. */
function frame(props: Record<string, unknown>, parent?: object, throws = false): Window {
  const self: Record<string, unknown> = {};
  const target = new Proxy(self, {
    get(_t, key) {
      if (key === 'parent') return parent ?? proxy;
      if (throws) throw new DOMException('Blocked a frame with origin', 'SecurityError');
      return props[key as string];
    },
  });
  const proxy = target;
  return proxy as unknown as Window;
}

describe('findApi', () => {
  it('steps over a cross-origin frame that throws on access', () => {
    const api = { LMSInitialize: () => 'true' };
    const top = frame({ API: api });
    const crossOrigin = frame({}, top, true);
    const course = frame({}, crossOrigin);
    expect(findApi('API', course)).toBe(api);
  });

  it('finds SCORM 2004 by its own name only', () => {
    const api = { Initialize: () => 'true' };
    const top = frame({ API_1484_11: api });
    expect(findApi('API_1484_11', frame({}, top))).toBe(api);
    expect(findApi('API', frame({}, top))).toBeUndefined();
  });

  it('looks in the opener chain when no parent has the API', () => {
    const api = { LMSInitialize: () => 'true' };
    const opener = frame({ API: api });
    const top = frame({ opener });
    const proxyTop = new Proxy(top as object, {}) as Window;
    const course = frame({ top: proxyTop }, top);
    expect(findApi('API', course)).toBe(api);
  });
});
