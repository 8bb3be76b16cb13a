/**
 * Turns a scorm-again API into the course-facing API of a gated launch: seeded from the LMS snapshot before
 * the course's Initialize, and every successful SetValue / Commit / Terminate forwarded to the stub.
 */
import type { BridgeMethod, BridgeStandard } from '../../protocol/bridge.js';

/** The part of scorm-again's `Scorm12API` / `Scorm2004API` the player uses. */
export interface SeedableApi {
  loadFromFlattenedJSON(json: Record<string, string>, CMIElement?: string): void;
  [name: string]: unknown;
}

export interface RelayHooks {
  /** The course called Initialize and the local API accepted it. */
  started(): void;
  forward(method: BridgeMethod, args: string[]): void;
}

const NAMES = {
  scorm12: {
    Initialize: 'LMSInitialize',
    SetValue: 'LMSSetValue',
    Commit: 'LMSCommit',
    Terminate: 'LMSFinish',
  },
  scorm2004: { Initialize: 'Initialize', SetValue: 'SetValue', Commit: 'Commit', Terminate: 'Terminate' },
} as const;

export function seedAndRelay(
  api: SeedableApi,
  standard: BridgeStandard,
  snapshot: Record<string, string>,
  hooks: RelayHooks,
): void {
  api.loadFromFlattenedJSON(snapshot, '');
  const names = NAMES[standard];
  const wrap = (name: string, after: (args: unknown[]) => void) => {
    const original = api[name] as (...a: unknown[]) => unknown;
    // Only calls the local API accepted go to the LMS, so an invalid value never reaches it.
    api[name] = (...args: unknown[]) => {
      const result = original.apply(api, args);
      if (String(result) === 'true') after(args);
      return result;
    };
  };
  wrap(names.Initialize, () => hooks.started());
  wrap(names.SetValue, (a) => hooks.forward('SetValue', [String(a[0]), String(a[1])]));
  wrap(names.Commit, () => hooks.forward('Commit', []));
  wrap(names.Terminate, () => hooks.forward('Terminate', []));
}
