/**
 * What one launch took, read from outside the product: each frame's Performance entries (navigation and
 * resource timing, which every page records anyway) and the arrival times of the launch requests at the
 * Gatekeeper's front door. Frames in other processes share one wall clock through `performance.timeOrigin`.
 */
import type { Frame, Page } from 'playwright-core';

export interface ResourceTiming {
  name: string;
  initiatorType: string;
  startTime: number;
  responseEnd: number;
  transferSize: number;
  encodedBodySize: number;
  decodedBodySize: number;
}

export interface FrameTiming {
  url: string;
  /** `performance.timeOrigin`: the frame's navigation start, ms since the epoch. */
  origin: number;
  responseEnd: number;
  loadEventStart: number;
  /** The page's own bytes, on the wire and decoded. */
  transferSize: number;
  decodedBodySize: number;
  resources: ResourceTiming[];
}

// A string, not a function: tsx's helpers (`__name`) must not leak into the page.
const READ = `(() => {
  const n = performance.getEntriesByType('navigation')[0];
  const pick = (e) => ({ name: e.name, initiatorType: e.initiatorType, startTime: e.startTime,
    responseEnd: e.responseEnd, transferSize: e.transferSize, encodedBodySize: e.encodedBodySize,
    decodedBodySize: e.decodedBodySize });
  return { url: location.href, origin: performance.timeOrigin, responseEnd: n.responseEnd,
    loadEventStart: n.loadEventStart, transferSize: n.transferSize, decodedBodySize: n.decodedBodySize,
    resources: performance.getEntriesByType('resource').map(pick) };
})()`;

const LOADED = `new Promise((resolve) => {
  const done = () => setTimeout(resolve, 0);
  if (document.readyState === 'complete') done(); else addEventListener('load', done, { once: true });
})`;

export const readFrame = (frame: Frame) => frame.evaluate(READ) as Promise<FrameTiming>;

/** Resolves once the frame `match` picks has navigated and fired `load`. Start it before navigating. */
export async function loadedFrame(page: Page, match: (url: string) => boolean): Promise<Frame> {
  const existing = page.frames().find((f) => match(f.url()));
  const frame =
    existing ??
    (await page.waitForEvent('framenavigated', { predicate: (f) => match(f.url()), timeout: 60_000 }));
  await frame.evaluate(LOADED);
  return frame;
}

/** A gated launch cut into the steps a learner waits through, in ms. */
export interface GatedPhases {
  total: number;
  /** LMS frame navigation start → the stub sends `POST /v1/launch` (stub page and script). */
  stub: number;
  /** The launch request, its CORS preflight included, until its answer is read. */
  launch: number;
  /** Of `launch`, until the POST itself reached the Gatekeeper (preflight, when the browser sent one). */
  preflight: number;
  /**
   * Answer read → the player frame starts navigating: frame creation, and whatever the stub does before it
   * (LMS Initialize and the snapshot reads, before the stub opened the frame first).
   */
  snapshot: number;
  /** Player navigation start → the course frame starts navigating (player page, script, scorm-again, handshake). */
  player: number;
  /** Of `player`, the scorm-again chunk from request to last byte. */
  scormAgain: number;
  /** Course frame navigation start → its `load` event. */
  course: number;
  /** Bytes the player page, its script and scorm-again took on the wire, and decoded. */
  playerBytes: { wire: number; decoded: number };
  /** Milestones, ms after the LMS frame's navigation start, in the order they happen. */
  timeline: Record<string, number>;
}

const at = (f: FrameTiming, t: number) => f.origin + t;

/**
 * Cuts a gated launch into phases. `postArrival` is when the POST reached the Gatekeeper (ms since the
 * epoch), `undefined` when it was not seen.
 */
export function gatedPhases(
  stub: FrameTiming,
  player: FrameTiming,
  course: FrameTiming,
  postArrival: number | undefined,
): GatedPhases {
  const launch = stub.resources.find((r) => r.name.includes('/v1/launch'));
  if (!launch) throw new Error('the stub frame made no POST /v1/launch');
  const chunk = player.resources.find((r) => /scorm(12|2004)\.min\.js/.test(r.name));
  const script = stub.resources.find((r) => r.name.endsWith('.js'));
  const playerJs = player.resources.find((r) => r.name.endsWith('/player.js'));
  const rel = (f: FrameTiming, t: number | undefined) =>
    t === undefined ? Number.NaN : at(f, t) - stub.origin;
  const own = player.resources.filter((r) => r.name.includes('/_coursegate/'));
  // The player page's own navigation entry is not in its resource list.
  const wire = own.reduce((s, r) => s + r.transferSize, player.transferSize);
  const decoded = own.reduce((s, r) => s + r.decodedBodySize, player.decodedBodySize);
  const start = at(stub, launch.startTime);
  return {
    total: at(course, course.loadEventStart) - stub.origin,
    stub: start - stub.origin,
    launch: launch.responseEnd - launch.startTime,
    preflight: postArrival === undefined ? Number.NaN : Math.max(0, postArrival - start),
    snapshot: player.origin - at(stub, launch.responseEnd),
    player: course.origin - player.origin,
    scormAgain: chunk ? chunk.responseEnd - chunk.startTime : Number.NaN,
    course: course.loadEventStart,
    playerBytes: { wire, decoded },
    timeline: {
      'stub html': stub.responseEnd,
      'stub.js': rel(stub, script?.responseEnd),
      'POST sent': launch.startTime,
      'POST arrives': postArrival === undefined ? Number.NaN : postArrival - stub.origin,
      answer: launch.responseEnd,
      'player nav': rel(player, 0),
      'player html': rel(player, player.responseEnd),
      'player.js asked': rel(player, playerJs?.startTime),
      'player.js': rel(player, playerJs?.responseEnd),
      'scorm-again asked': rel(player, chunk?.startTime),
      'scorm-again': rel(player, chunk?.responseEnd),
      'course nav': rel(course, 0),
      'course html': rel(course, course.responseEnd),
      'course load': rel(course, course.loadEventStart),
    },
  };
}
