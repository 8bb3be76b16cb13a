import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { unzipSync } from 'fflate';
import { ROOT } from '../paths.js';
import { type Handler, serveOrigins } from '../serve.js';

const HERE = join(ROOT, 'test/helpers/manifest-lms');

const LMS_PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Manifest LMS</title>
<script src="/manifest-lms/manifest-reader.js"></script>
<script src="/manifest-lms/lms-session.js"></script>
</head><body></body></html>`;

/**
 * A SCO that does nothing but open and close its session (Initialize on load, Finish/Terminate when the
 * LMS takes it away): what scorm-again records for it is what an LMS records for any such pair.
 */
const INIT_FINISH_SCO = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Initialize and finish</title>
<script>
(function () {
  var w = window, api12, api2004;
  for (var i = 0; w && i < 10; i++, w = w.parent === w ? null : w.parent) {
    api12 = api12 || w.API; api2004 = api2004 || w.API_1484_11;
  }
  if (api2004) { api2004.Initialize(''); addEventListener('pagehide', function () { api2004.Terminate(''); }); }
  else if (api12) { api12.LMSInitialize(''); addEventListener('pagehide', function () { api12.LMSFinish(''); }); }
})();
</script></head><body><p>Initialized.</p></body></html>`;

const FILES: Record<string, string> = {
  '/manifest-lms/manifest-reader.js': join(HERE, 'manifest-reader.js'),
  '/manifest-lms/lms-session.js': join(HERE, 'lms-session.js'),
  '/scorm-again/scorm12.js': join(ROOT, 'node_modules/scorm-again/dist/scorm12.js'),
  '/scorm-again/scorm2004.js': join(ROOT, 'node_modules/scorm-again/dist/scorm2004.js'),
};

/**
 * The manifest-reading test LMS on loopback: its own origin (127.0.0.1) serves the LMS page, scorm-again and
 * every package imported into it (unzipped under `/packages/<folder>/`, as an LMS hosts an imported zip);
 * `options.gatekeeper` answers on a second origin (localhost) for the gated packages' stubs to call.
 * @example
 * const lms = await startManifestLms({ gatekeeper: gk.handler });
 * const root = lms.importPackage('direct/golf', readFileSync(zip));
 */
export async function startManifestLms(options: { gatekeeper: Handler }) {
  const dir = mkdtempSync(join(tmpdir(), 'cg-manifest-lms-'));
  const lmsHandler: Handler = (req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const html =
      path === '/lms.html' ? LMS_PAGE : path === '/probe/init-finish.html' ? INIT_FINISH_SCO : undefined;
    if (html !== undefined) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(html);
      return true;
    }
    const file = FILES[path];
    if (!file) return false;
    res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-store' });
    res.end(readFileSync(file));
    return true;
  };
  const servers = await serveOrigins([
    { host: '127.0.0.1', dir, handler: lmsHandler },
    { host: 'localhost', handler: options.gatekeeper },
  ]);
  const [lms, gate] = servers.origins as [string, string];
  return {
    lms,
    gate,
    lmsUrl: `${lms}/lms.html`,
    probeUrl: `${lms}/probe/init-finish.html`,
    /** Unzips a package (zip bytes or already unzipped files) under `/packages/<folder>/`; returns its URL. */
    importPackage(folder: string, pkg: Uint8Array | Record<string, Uint8Array>) {
      const files = pkg instanceof Uint8Array ? unzipSync(pkg) : pkg;
      for (const [name, data] of Object.entries(files)) {
        if (name.endsWith('/')) continue;
        const file = join(dir, 'packages', folder, name);
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(file, data);
      }
      return `${lms}/packages/${folder}/`;
    },
    /** Replaces one file of an imported package (to show the comparison catches a change). */
    replaceFile(folder: string, name: string, data: string | Uint8Array) {
      writeFileSync(join(dir, 'packages', folder, name), data);
    },
    async close() {
      await servers.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export type ManifestLms = Awaited<ReturnType<typeof startManifestLms>>;
