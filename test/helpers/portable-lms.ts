import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './paths.js';
import { serveOrigins } from './serve.js';

/** scorm-again's LMS-side bundles, by the path `portableLmsPage` loads them from. */
export function scormAgainScripts(): Record<string, string> {
  const dist = join(ROOT, 'node_modules/scorm-again/dist');
  return {
    '/scorm-again/scorm12.js': readFileSync(join(dist, 'scorm12.js'), 'utf8'),
    '/scorm-again/scorm2004.js': readFileSync(join(dist, 'scorm2004.js'), 'utf8'),
  };
}

/**
 * An LMS page for an unpacked portable package on the same origin, as an LMS serves it: scorm-again as
 * the SCORM API, seeded like an LMS seeds a SCO (the manifest's mastery score, a SCORM 1.2 learner),
 * the SCO in an iframe; `window.done` turns true at LMSFinish / Terminate.
 */
export const portableLmsPage = (
  standard: 'scorm12' | 'scorm2004',
  launch: string,
  mastery?: number,
  learner?: { id: string; name: string },
) => `<!doctype html><title>LMS</title>
<script src="/scorm-again/${standard}.js"></script>
<script>
  window.done = false;
  ${
    standard === 'scorm12'
      ? `window.API = new Scorm12API({ logLevel: 5 });
         window.API.cmi.student_data.mastery_score = '${mastery === undefined ? '' : mastery * 100}';
         ${learner ? `window.API.cmi.core.student_id = ${JSON.stringify(learner.id)}; window.API.cmi.core.student_name = ${JSON.stringify(learner.name)};` : ''}
         window.API.on('LMSFinish', () => { window.done = true; });`
      : `window.API_1484_11 = new Scorm2004API({ logLevel: 5 });
         window.API_1484_11.on('Terminate', () => { window.done = true; });`
  }
</script>
<iframe id="sco" src="${launch}"></iframe>`;

/**
 * The LMS origin (127.0.0.1) for unpacked portable packages: `dir` as files, scorm-again at the paths
 * `portableLmsPage` loads, and `pages` (path → HTML), read on each request so tests may add pages later.
 */
export function servePortableLms(dir: string, pages: Record<string, string>) {
  const scripts = scormAgainScripts();
  return serveOrigins([
    {
      host: '127.0.0.1',
      dir,
      handler: (req, res) => {
        const path = new URL(req.url ?? '/', 'http://x').pathname;
        const body = scripts[path] ?? pages[path];
        if (body === undefined) return false;
        res.writeHead(200, { 'content-type': path.endsWith('.js') ? 'text/javascript' : 'text/html' });
        res.end(body);
        return true;
      },
    },
  ]);
}
