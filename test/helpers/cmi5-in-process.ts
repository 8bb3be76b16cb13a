/**
 * The real cmi5 runtime against the test LMS + LRS in the same process, for runtime unit tests: the
 * LMS's Hono app answers the runtime's `fetch` directly, no server and no browser.
 */
import { vi } from 'vitest';
import { type Cmi5Course, start } from '../../runtime/cmi5.js';
import { type Cmi5Launch, createCmi5Lms, type LaunchOptions, type Statement } from './cmi5-lms/index.js';

const ORIGIN = 'https://lms.example';
const AU = 'https://au.example/index.html';

function memoryStorage(): Storage {
  const m = new Map<string, string>();
  return {
    get length() {
      return m.size;
    },
    clear: () => m.clear(),
    getItem: (k) => m.get(k) ?? null,
    key: (i) => [...m.keys()][i] ?? null,
    removeItem: (k) => void m.delete(k),
    setItem: (k, v) => void m.set(k, String(v)),
  };
}

/** The AU's window, as much of it as the cmi5 entry uses (no pagehide ever fires). */
function auWindow(url: string): Window {
  const win = {
    location: { search: new URL(url).search, assign: () => {} },
    sessionStorage: memoryStorage(),
    addEventListener: () => {},
  };
  return win as unknown as Window;
}

/**
 * @example
 * const h = cmi5InProcess();
 * const s = await h.session({ masteryScore: 0.8 });
 * s.course.pass();
 * await s.course.exit();
 * expect(h.verbs(s.launch.registration)).toEqual(['initialized', 'passed', 'terminated']);
 */
export function cmi5InProcess(o: { strict?: boolean } = {}) {
  const lms = createCmi5Lms({ origin: ORIGIN, strict: o.strict ?? true });
  /** Answers instead of the LRS when it returns a Response (a failure to simulate). */
  let intercept: ((url: string, init: RequestInit) => Response | undefined) | undefined;
  const fetchFn = vi.fn(async (input: string | URL | Request, init: RequestInit = {}) => {
    const url = String(input instanceof Request ? input.url : input);
    return intercept?.(url, init) ?? lms.app.request(url, init);
  });
  vi.stubGlobal('fetch', fetchFn);
  return {
    lms,
    fetch: fetchFn,
    intercept(fn: typeof intercept) {
      intercept = fn;
    },
    async session(launchOptions: LaunchOptions = {}) {
      const launch: Cmi5Launch = lms.launch(AU, launchOptions);
      const win = auWindow(launch.url);
      const errors: { code: string; message: string }[] = [];
      const course: Cmi5Course = await start({
        window: win,
        followReturnUrl: false,
        commitDelayMs: 1,
        retryMs: [1, 1],
      });
      course.on('error', (e) => errors.push(e));
      return { launch, course, errors };
    },
    statements: (registration: string): Statement[] => lms.auStatements(registration),
    verbs: (registration: string) =>
      lms.auStatements(registration).map((s) => s.verb.id.slice(s.verb.id.lastIndexOf('/') + 1)),
  };
}
