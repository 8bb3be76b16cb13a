import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { unzipSync } from 'fflate';
import { renderStubPage, STUB_SCRIPT_NAME } from '../../formats/launch-pages/stub-page.js';
import type { BridgeStandard } from '../../protocol/bridge.js';
import { ensureRuntimeBuild } from '../../scripts/ensure-runtime-build.ts';
import { createFakeLaunch, type RecordedRequest, recording } from './fake-launch.js';
import { ROOT } from './paths.js';
import { type Handler, serveOrigins } from './serve.js';

const NAMES = {
  scorm12: {
    cls: 'Scorm12API',
    global: 'API',
    methods: ['LMSInitialize', 'LMSFinish', 'LMSGetValue', 'LMSSetValue', 'LMSCommit'],
  },
  scorm2004: {
    cls: 'Scorm2004API',
    global: 'API_1484_11',
    methods: ['Initialize', 'Terminate', 'GetValue', 'SetValue', 'Commit'],
  },
} as const;

export interface LmsPageOptions {
  standard: BridgeStandard;
  /** Flattened CMI the LMS starts with (`cmi.core.student_name`, …), as an LMS loads a learner's record. */
  seed: Record<string, string>;
  /** Path (on the LMS origin) of the page the LMS frames: a gated launch page or an ungated SCO. */
  sco: string;
  /** Also frame a page from a fourth origin, as an LMS page with third-party widgets would. */
  intruder?: boolean;
}

const json = (v: unknown) => JSON.stringify(v).replace(/</g, '\\u003c');

function lmsPage(o: LmsPageOptions, intruderOrigin: string): string {
  const n = NAMES[o.standard];
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Test LMS</title>
<script src="/scorm-again/${o.standard}.js"></script>
<script>
(function () {
  var api = new window.${n.cls}({ autocommit: false, lmsCommitUrl: false, logLevel: 5 });
  api.loadFromFlattenedJSON(${json(o.seed)}, '');
  window.lmsLog = [];
  ${json(n.methods)}.forEach(function (m) {
    var original = api[m];
    api[m] = function () {
      var args = [].slice.call(arguments);
      window.lmsLog.push([m].concat(args.map(String)));
      return original.apply(api, args);
    };
  });
  window.${n.global} = api;
  window.lmsCmi = function () { return JSON.parse(api.renderCMIToJSONString()); };
})();
</script></head><body>
<iframe id="sco" title="course" src="${o.sco}" style="width:100%;height:640px;border:0"></iframe>
${o.intruder ? `<iframe id="intruder" title="widget" src="${intruderOrigin}/intruder.html" style="width:10px;height:10px"></iframe>` : ''}
</body></html>`;
}

function ensurePlayerAndStub() {
  ensureRuntimeBuild(ROOT);
  for (const f of ['dist/stub/stub.js', 'dist/player/player.html', 'dist/player/player.js']) {
    if (!existsSync(join(ROOT, f))) throw new Error(`${f} is missing: run npm run build:runtime`);
  }
}

function unzipTo(zip: string, dir: string) {
  for (const [name, data] of Object.entries(unzipSync(readFileSync(zip)))) {
    if (name.endsWith('/')) continue;
    const file = join(dir, name);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, data);
  }
}

/**
 * The gated-launch test bench on four loopback origins: the LMS (scorm-again in the top page, gated
 * launch pages and ungated copies of the course), the fake Gatekeeper, the content origin (course files
 * with the player under `_coursegate/`) and an intruder. The Gatekeeper and the content origin record
 * every request they receive. `options.gatekeeper` serves the Gatekeeper origin instead of the fake
 * (a proxy to the real one: test/helpers/real-gatekeeper.ts).
 */
export async function startGatedHarness(options: { gatekeeper?: Handler } = {}) {
  ensurePlayerAndStub();
  const root = mkdtempSync(join(tmpdir(), 'cg-gated-'));
  const lmsDir = join(root, 'lms');
  const contentDir = join(root, 'content');
  mkdirSync(join(lmsDir, 'scorm-again'), { recursive: true });
  mkdirSync(contentDir, { recursive: true });
  for (const s of ['scorm12', 'scorm2004']) {
    copyFileSync(join(ROOT, `node_modules/scorm-again/dist/${s}.js`), join(lmsDir, 'scorm-again', `${s}.js`));
  }
  const gatekeeper = createFakeLaunch();
  const contentRequests: RecordedRequest[] = [];
  // While `held` is pending, the content origin answers nothing (a slow CDN, to order the browser's steps).
  const contentHold: { held?: Promise<void> | undefined } = {};
  const lmsPages = new Map<string, string>();
  const intruderPages = new Map<string, string>();
  const inline =
    (pages: Map<string, string>): Handler =>
    (req, res) => {
      const body = pages.get(new URL(req.url ?? '/', 'http://x').pathname);
      if (body === undefined) return false;
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(body);
      return true;
    };
  const servers = await serveOrigins([
    { host: '127.0.0.1', dir: lmsDir, handler: inline(lmsPages) },
    { host: 'localhost', handler: options.gatekeeper ?? gatekeeper.handler },
    {
      host: '127.0.0.2',
      dir: contentDir,
      handler: recording(contentRequests, async () => {
        await contentHold.held;
        return false;
      }),
    },
    { host: '127.0.0.3', handler: inline(intruderPages) },
  ]);
  const [lms, gate, content, intruder] = servers.origins as [string, string, string, string];
  let pageCount = 0;
  return {
    lms,
    gate,
    content,
    intruder,
    gatekeeper,
    contentRequests,
    contentHold,
    intruderPages,
    /**
     * Unzips a package twice: on the content origin at `/c/<name>/` with the built player under
     * `_coursegate/` (gated), and on the LMS origin at `/ungated/<name>/` (the course as an LMS hosts it).
     */
    deploy(name: string, zip: string) {
      const dir = join(contentDir, 'c', name);
      unzipTo(zip, dir);
      unzipTo(zip, join(lmsDir, 'ungated', name));
      mkdirSync(join(dir, '_coursegate'), { recursive: true });
      for (const f of readdirSync(join(ROOT, 'dist/player'))) {
        if (/\.(html|js)$/.test(f)) copyFileSync(join(ROOT, 'dist/player', f), join(dir, '_coursegate', f));
      }
      return { contentRoot: `${content}/c/${name}/`, ungated: `/ungated/${name}/` };
    },
    /**
     * Writes a gated package's launch page and stub script at `/pkg/<pkg>/` on the LMS origin; returns the page path.
     * `gatekeeperUrl` points the stub at a real Gatekeeper instead of the fake one.
     */
    gatedPackage(
      pkg: string,
      options: {
        token: string;
        standard: BridgeStandard;
        entry?: string;
        file?: string;
        gatekeeperUrl?: string;
        /** The player page the launch page loads early in a hidden frame (`renderStubPage`'s `player`). */
        player?: string;
      },
    ) {
      const dir = join(lmsDir, 'pkg', pkg);
      mkdirSync(dir, { recursive: true });
      copyFileSync(join(ROOT, 'dist/stub/stub.js'), join(dir, STUB_SCRIPT_NAME));
      const file = options.file ?? 'index.html';
      const { token, standard, entry, player } = options;
      const gatekeeperUrl = options.gatekeeperUrl ?? gate;
      writeFileSync(
        join(dir, file),
        renderStubPage({ gatekeeperUrl, token, standard, entry, title: pkg, ...(player ? { player } : {}) }),
      );
      return `/pkg/${pkg}/${file}`;
    },
    /** Writes files (an unzipped package) under `/<folder>/` on the LMS origin, as an LMS imports a zip. */
    lmsFiles(folder: string, files: Record<string, Uint8Array>) {
      for (const [name, data] of Object.entries(files)) {
        if (name.endsWith('/')) continue;
        const file = join(lmsDir, folder, name);
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(file, data);
      }
      return `/${folder}/`;
    },
    /** An LMS page that frames `sco`; returns its URL. */
    lmsPage(options: LmsPageOptions) {
      const path = `/lms/${++pageCount}.html`;
      lmsPages.set(path, lmsPage(options, intruder));
      return `${lms}${path}`;
    },
    async close() {
      await servers.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

export type GatedHarness = Awaited<ReturnType<typeof startGatedHarness>>;
