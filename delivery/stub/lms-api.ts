/** The LMS's API object as the stub uses it, and the standard-specific names of its functions. */
import type { BridgeStandard } from '../../protocol/bridge.js';

export type LmsApi = Record<string, ((...args: string[]) => unknown) | undefined>;

export interface LmsNames {
  global: 'API' | 'API_1484_11';
  Initialize: string;
  GetValue: string;
  SetValue: string;
  Commit: string;
  Terminate: string;
  GetLastError: string;
}

export function lmsNames(standard: BridgeStandard): LmsNames {
  const p = standard === 'scorm12' ? 'LMS' : '';
  return {
    global: p ? 'API' : 'API_1484_11',
    Initialize: `${p}Initialize`,
    GetValue: `${p}GetValue`,
    SetValue: `${p}SetValue`,
    Commit: `${p}Commit`,
    Terminate: p ? 'LMSFinish' : 'Terminate',
    GetLastError: `${p}GetLastError`,
  };
}

/** Calls an LMS function, answering '' instead of throwing (some LMS APIs throw on bad input). */
export function call(api: LmsApi, name: string, ...args: string[]): string {
  try {
    const r = api[name]?.(...args);
    return r === undefined || r === null ? '' : String(r);
  } catch {
    return '';
  }
}
