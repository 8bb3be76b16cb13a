import type { AdapterOptions } from './adapter.js';
import { findApi } from './discover.js';

/** The four calls both SCORM editions share, behind one shape; every call guarded, errors reported. */
export interface ScormCalls {
  found: boolean;
  init(): boolean;
  get(element: string): string;
  set(element: string, value: string | number): boolean;
  commit(): boolean;
  finish(): boolean;
}

type Fn = (...a: string[]) => unknown;

/**
 * A number as SCORM's decimals want it: `String(1e-7)` is `1e-7`, which real(10,7) and CMIDecimal refuse.
 * Seven decimals are all SCORM 2004 keeps.
 */
const decimal = (n: number) => (Math.round(n * 1e7) / 1e7 || 0).toFixed(7).replace(/\.?0+$/, '');

/**
 * Binds an LMS API found by ADL discovery. `names` lists the edition's function names in the order
 * initialize, get, set, commit, finish, last error, error string.
 */
export function bindScormApi(
  apiName: 'API' | 'API_1484_11',
  names: string[],
  options: AdapterOptions,
): ScormCalls {
  const api = findApi<Record<string, Fn>>(apiName, options.window ?? window);
  const report = options.onError ?? (() => {});
  const call = (i: number, ...args: string[]): string => {
    const fn = names[i] as string;
    try {
      const out = String(api?.[fn]?.(...args) ?? '');
      const code = String(api?.[names[5] as string]?.() ?? '0');
      if (code !== '0' && i !== 1) {
        report(
          i === 3 ? 'lms_commit_failed' : 'lms_call_failed',
          `${fn}(${args[0] ?? ''}) failed: ${code} ${String(api?.[names[6] as string]?.(code) ?? '')}`,
        );
      }
      return out;
    } catch (e) {
      report('lms_call_failed', `${fn} threw: ${e}`);
      return '';
    }
  };
  if (!api) report('lms_not_found', `no ${apiName} object in the parent or opener chain`);
  return {
    found: !!api,
    init: () => call(0, '') === 'true',
    get: (el) => call(1, el),
    set: (el, value) => call(2, el, typeof value === 'number' ? decimal(value) : value) === 'true',
    commit: () => call(3, '') === 'true',
    finish: () => call(4, '') === 'true',
  };
}
