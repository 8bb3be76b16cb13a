import type { AdapterOptions, Changes, LaunchInfo, LmsAdapter } from './adapter.js';

interface Saved extends Changes {
  suspended?: boolean;
}

/**
 * No LMS: progress lives in the browser's localStorage, so a reload (or a later visit) resumes.
 * `key` separates courses sharing an origin; default: the page path.
 *
 * @example
 * const course = await createCourse(createStandaloneAdapter({ key: 'intro' }));
 */
export function createStandaloneAdapter(
  options: AdapterOptions & { key?: string | undefined } = {},
): LmsAdapter {
  const win = options.window ?? window;
  const key = `coursegate:${options.key ?? win.location.pathname}`;
  let saved: Saved = {};

  const save = (c: Changes, extra: Partial<Saved> = {}): boolean => {
    saved = { ...saved, ...c, ...extra };
    delete saved.interactions;
    delete saved.objectives;
    try {
      win.localStorage.setItem(key, JSON.stringify(saved));
      return true;
    } catch (e) {
      options.onError?.('lms_commit_failed', `localStorage refused the state: ${e}`);
      return false;
    }
  };

  return {
    standard: 'standalone',
    async open(): Promise<LaunchInfo> {
      try {
        saved = JSON.parse(win.localStorage.getItem(key) ?? '{}') ?? {};
      } catch {
        saved = {};
      }
      return {
        learner: { id: '', name: '' },
        mode: 'normal',
        credit: true,
        entry: saved.suspended || saved.location || saved.suspendData ? 'resume' : 'ab-initio',
        location: saved.location,
        suspendData: saved.suspendData,
        completion: saved.completion ?? 'not attempted',
        success: saved.success ?? 'unknown',
        // localStorage holds about 5 MB per origin; leave room for other courses.
        maxSuspendDataLength: 1_000_000,
      };
    },
    write: async (c) => save(c),
    close: async (o) => {
      save({}, { suspended: o.suspend });
    },
    closeOnUnload: (c, o) => {
      save(c, { suspended: o.suspend });
    },
  };
}
