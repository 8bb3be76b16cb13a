import { loadavg } from 'node:os';
import { strFromU8 } from 'fflate';
import type { Browser, BrowserContext } from 'playwright-core';
import { STUB_SCRIPT_NAME } from '../../formats/launch-pages/stub-page.js';
import { PLAYER_FRAME_ID } from '../../protocol/launch-page.js';
import { FULL_CHROMIUM_PATH, launchBrowser } from '../helpers/browser.js';
import { type GatedHarness, startGatedHarness } from '../helpers/gated-lms.js';
import { GOLF_FIXTURES } from '../helpers/golf-course.js';
import { type RealGatekeeper, realGatekeeper } from '../helpers/real-gatekeeper.js';
import type { Handler } from '../helpers/serve.js';
import { sharedFile } from '../helpers/shared.js';
import { type GatedPhases, gatedPhases, loadedFrame, readFrame } from './gated-launch-timing.ts';
import type { BenchRow } from './types.ts';

/** Launches per mode in one warm context, after its first (cold) launch. */
const WARM = 20;
/** Cold launches per mode, each in a fresh context (empty cache, no preflight remembered). */
const COLD = 3;
const ENTRY = 'shared/launchpage.html';
const FIXTURES = GOLF_FIXTURES.filter((f) =>
  ['golf-scorm12-basic-runtime', 'golf-scorm2004v3-basic-runtime'].includes(f.name),
);

/**
 * direct: the original unzipped on the LMS origin; gated: the gated package on the LMS origin, content
 * from the Gatekeeper's content origin; identity: gated with `Accept-Encoding: identity` (what the content
 * origin costs without compression, measured in the same run); late: the same gated package with its
 * launch pages' early player frame and preconnect taken out, as packages written before them launch (the
 * stub creates the player frame once the launch is allowed): the before of that change, in the same run.
 */
type Mode = 'direct' | 'gated' | 'identity' | 'late';
const MODES: Mode[] = ['direct', 'gated', 'identity', 'late'];

interface Launch {
  total: number;
  phases?: GatedPhases;
  /** Whether the browser sent a CORS preflight (`OPTIONS /v1/launch`) for this launch. */
  preflight?: boolean;
}

interface Setup {
  browser: Browser;
  h: GatedHarness;
  gk: RealGatekeeper;
  /** When each `POST /v1/launch` reached the Gatekeeper's front door, ms since the epoch. */
  arrivals: number[];
  /** How many `OPTIONS /v1/launch` it has seen. */
  preflights: { count: number };
}

const median = (xs: number[]) => {
  const s = xs.filter((x) => !Number.isNaN(x)).sort((a, b) => a - b);
  return s.length === 0
    ? Number.NaN
    : s.length % 2
      ? s[s.length >> 1]!
      : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const ms = (x: number) => (Number.isNaN(x) ? '–' : `${Math.round(x)}`);
const signed = (x: number) => `${x >= 0 ? '+' : ''}${Math.round(x)} ms`;
const kb = (x: number) => `${(x / 1024).toFixed(0)} KB`;

function newContext(browser: Browser, mode: Mode): Promise<BrowserContext> {
  return browser.newContext(
    mode === 'identity' ? { extraHTTPHeaders: { 'accept-encoding': 'identity' } } : {},
  );
}

async function launchOnce(s: Setup, context: BrowserContext, url: string, mode: Mode): Promise<Launch> {
  const page = await context.newPage();
  page.on('dialog', (d) => void d.accept());
  const content = s.gk.contentUrl;
  const isCourse = (u: string) =>
    u.includes(ENTRY) && (mode === 'direct' ? u.startsWith(`${s.h.lms}/ungated/`) : u.startsWith(content));
  const seen = s.arrivals.length;
  const preflightsBefore = s.preflights.count;
  try {
    const loaded = loadedFrame(page, isCourse);
    await page.goto(url, { waitUntil: 'commit' });
    const course = await loaded.catch((err: Error) => {
      // Which launch never showed its course, and where its frames were: a timeout alone says neither.
      const frames = page.frames().map((f) => f.url());
      throw new Error(`${mode} launch of ${url}: ${err.message} (frames: ${frames.join(' ')})`);
    });
    const sco = await (await page.$('#sco'))!.contentFrame();
    const stub = await readFrame(sco!);
    if (mode === 'direct') return { total: stub.loadEventStart };
    const player = page.frames().find((f) => f.url().includes('/_coursegate/player.html#'));
    const phases = gatedPhases(stub, await readFrame(player!), await readFrame(course), s.arrivals[seen]);
    return { total: phases.total, phases, preflight: s.preflights.count > preflightsBefore };
  } finally {
    await page.close();
  }
}

function phaseLine(launches: Launch[]): string {
  const p = launches.map((l) => l.phases!);
  const m = (k: keyof Omit<GatedPhases, 'playerBytes' | 'timeline'>) => ms(median(p.map((x) => x[k])));
  const sent = launches.filter((l) => l.preflight).length;
  return `preflight sent ${sent}/${launches.length} · stub page ${m('stub')} · POST /v1/launch ${m('launch')} (until the POST arrives ${m('preflight')}) · answer → player frame ${m('snapshot')} · player ${m('player')} (scorm-again request ${m('scormAgain')}) · course ${m('course')}`;
}

function timelineLine(launches: Launch[]): string {
  const p = launches.map((l) => l.phases!.timeline);
  return Object.keys(p[0]!)
    .map((k) => `${k} ${ms(median(p.map((t) => t[k]!)))}`)
    .join(' · ');
}

/** The gated package's files as packages without the early player frame (and preconnect) have them. */
function withoutEarlyFrame(files: Record<string, Uint8Array>): Record<string, Uint8Array> {
  const out: Record<string, Uint8Array> = {};
  for (const [name, bytes] of Object.entries(files)) {
    if (!name.endsWith('.html')) {
      out[name] = bytes;
      continue;
    }
    const html = strFromU8(bytes);
    const late = html
      .replace(new RegExp(`<iframe id="${PLAYER_FRAME_ID}"[^>]*></iframe>\\n`), '')
      .replace(/<link rel="preconnect"[^>]*>\n/, '');
    if (html.includes(STUB_SCRIPT_NAME) && late === html) throw new Error(`${name}: no early player frame`);
    out[name] = new TextEncoder().encode(late);
  }
  return out;
}

async function benchFixture(s: Setup, f: (typeof FIXTURES)[number]): Promise<BenchRow[]> {
  const zip = sharedFile(`fixtures/scorm/${f.name}.zip`).path;
  if (!zip) return [{ name: f.name, value: 'skipped: fixture missing', budget: '' }];
  const { ungated } = s.h.deploy(f.name, zip);
  const courseId = await s.gk.deploy(f.name, zip, ENTRY);
  const license = await s.gk.license(courseId);
  const files = await s.gk.gatedPackage(license.id, f.standard);
  const folder = s.h.lmsFiles(`gated/${f.name}`, files);
  const lateFolder = s.h.lmsFiles(`late/${f.name}`, withoutEarlyFrame(files));
  // The launch page the gated manifest points at: wherever the packager put the stub.
  const launchPage = Object.keys(files)
    .sort()
    .find((n) => n.endsWith('.html') && strFromU8(files[n]!).includes(STUB_SCRIPT_NAME));
  if (!launchPage) throw new Error(`${f.name}: the gated package has no launch page`);
  const urls: Record<Mode, string> = {
    direct: s.h.lmsPage({ standard: f.standard, seed: f.seed, sco: `${ungated}${ENTRY}` }),
    gated: s.h.lmsPage({ standard: f.standard, seed: f.seed, sco: `${folder}${launchPage}` }),
    identity: '',
    late: s.h.lmsPage({ standard: f.standard, seed: f.seed, sco: `${lateFolder}${launchPage}` }),
  };
  urls.identity = urls.gated;

  const cold: Record<Mode, Launch[]> = { direct: [], gated: [], identity: [], late: [] };
  const warm: Record<Mode, Launch[]> = { direct: [], gated: [], identity: [], late: [] };
  const contexts = {} as Record<Mode, BrowserContext>;
  // Each mode's first context stays open for the warm launches; the order rotates so that a burst of
  // other work on the machine does not always land on the same mode.
  for (let round = 0; round < COLD; round++) {
    for (let i = 0; i < MODES.length; i++) {
      const mode = MODES[(round + i) % MODES.length]!;
      const context = await newContext(s.browser, mode);
      cold[mode].push(await launchOnce(s, context, urls[mode], mode));
      if (round === 0) contexts[mode] = context;
      else await context.close();
    }
  }
  for (let round = 0; round < WARM; round++) {
    for (let i = 0; i < MODES.length; i++) {
      const mode = MODES[(round + i) % MODES.length]!;
      warm[mode].push(await launchOnce(s, contexts[mode], urls[mode], mode));
    }
  }
  for (const c of Object.values(contexts)) await c.close();

  const total = (ls: Launch[]) => median(ls.map((l) => l.total));
  const [dW, gW, iW, lW] = MODES.map((m) => total(warm[m])) as [number, number, number, number];
  const [dC, gC, iC, lC] = MODES.map((m) => total(cold[m])) as [number, number, number, number];
  const firsts = (m: Mode) => cold[m].map((l) => ms(l.total)).join(', ');
  const bytes = cold.gated[0]!.phases!.playerBytes;
  const plainBytes = cold.identity[0]!.phases!.playerBytes;
  const n = f.name;
  return [
    {
      name: `${n}: direct / gated, warm (median of ${WARM})`,
      value: `${ms(dW)} / ${ms(gW)} ms (gated ÷ direct ${(gW / dW).toFixed(2)})`,
      budget: '',
    },
    { name: `${n}: gated − direct, warm`, value: signed(gW - dW), budget: '≤ 150 ms', ok: gW - dW <= 150 },
    {
      name: `${n}: direct / gated, cold (median of ${COLD} fresh contexts)`,
      value: `${ms(dC)} / ${ms(gC)} ms (each: direct ${firsts('direct')}; gated ${firsts('gated')})`,
      budget: '',
    },
    { name: `${n}: gated − direct, cold`, value: signed(gC - dC), budget: '≤ 300 ms', ok: gC - dC <= 300 },
    { name: `${n}: gated phases, warm (medians, ms)`, value: phaseLine(warm.gated), budget: '' },
    { name: `${n}: gated phases, cold (medians, ms)`, value: phaseLine(cold.gated), budget: '' },
    { name: `${n}: gated timeline, warm (medians, ms)`, value: timelineLine(warm.gated), budget: '' },
    { name: `${n}: gated timeline, cold (medians, ms)`, value: timelineLine(cold.gated), budget: '' },
    {
      name: `${n}: player + scorm-again, cold: on the wire / decoded`,
      value: `${kb(bytes.wire)} / ${kb(bytes.decoded)} (with Accept-Encoding: identity ${kb(plainBytes.wire)})`,
      budget: '',
    },
    {
      name: `${n}: gated with Accept-Encoding: identity − direct, warm / cold`,
      value: `${signed(iW - dW)} / ${signed(iC - dC)} (phases warm: ${phaseLine(warm.identity)}; cold: ${phaseLine(cold.identity)})`,
      budget: '',
    },
    {
      name: `${n}: before the early player frame (the stub opens the player once allowed) − direct, warm / cold`,
      value: `${signed(lW - dW)} / ${signed(lC - dC)} (gated − before: ${signed(gW - lW)} / ${signed(gC - lC)}; timeline warm: ${timelineLine(warm.late)})`,
      budget: '',
    },
  ];
}

/**
 * The gated launch overhead in Chromium on loopback (issue 19): the LMS frame's navigation start to the
 * course page's `load` event, gated minus direct, for the golf 1.2 and 2004 samples, with the phases of
 * the gated launch read from each frame's Performance entries.
 */
export async function bench(): Promise<BenchRow[]> {
  const loadBefore = loadavg()[0]!;
  const arrivals: number[] = [];
  const preflights = { count: 0 };
  const gk = realGatekeeper();
  const front: Handler = (req, res) => {
    if (req.method === 'POST' && req.url?.startsWith('/v1/launch'))
      arrivals.push(performance.timeOrigin + performance.now());
    if (req.method === 'OPTIONS' && req.url?.startsWith('/v1/launch')) preflights.count++;
    return gk.handler(req, res);
  };
  const h = await startGatedHarness({ gatekeeper: front });
  const launched = await launchBrowser({ executablePath: FULL_CHROMIUM_PATH });
  try {
    await gk.start(h.gate);
    const s: Setup = { browser: launched.browser, h, gk, arrivals, preflights };
    const rows: BenchRow[] = [];
    for (const f of FIXTURES) rows.push(...(await benchFixture(s, f)));
    rows.push({
      name: 'gated launch: machine load average (1 min), before / after',
      value: `${loadBefore.toFixed(2)} / ${loadavg()[0]!.toFixed(2)}`,
      budget: '',
    });
    return rows;
  } finally {
    await launched.close();
    await h.close();
    await gk.close();
  }
}
