import { CMI5, VERBS } from '../../protocol/xapi.js';
import type { IngestStatement } from './statement-schema.js';

/** What one batch says about its session's completion record; `undefined` leaves a field as it is. */
export interface CompletionDelta {
  completed: boolean;
  passed: boolean | undefined;
  /** The latest score's parts, together: a score replaces the whole of the one before (raw, range, scaled). */
  score: number | undefined;
  scoreMin: number | undefined;
  scoreMax: number | undefined;
  scoreScaled: number | undefined;
  /** 0..1. */
  progress: number | undefined;
  durationMs: number | undefined;
}

const UNITS_MS: Record<string, number> = { Y: 31_536_000_000, W: 604_800_000, D: 86_400_000 };

/** ISO 8601 duration → milliseconds (months counted as 30 days; only order matters here). */
export function durationToMs(duration: string): number | undefined {
  const m =
    /^P(?:([\d.]+)Y)?(?:([\d.]+)M)?(?:([\d.]+)W)?(?:([\d.]+)D)?(?:T(?:([\d.]+)H)?(?:([\d.]+)M)?(?:([\d.]+)S)?)?$/.exec(
      duration,
    );
  if (!m) return undefined;
  const [, y, mo, w, d, h, mi, s] = m.map((v) => (v === undefined ? 0 : Number(v)));
  return Math.round(
    (y ?? 0) * (UNITS_MS.Y ?? 0) +
      (mo ?? 0) * 2_592_000_000 +
      (w ?? 0) * (UNITS_MS.W ?? 0) +
      (d ?? 0) * (UNITS_MS.D ?? 0) +
      (h ?? 0) * 3_600_000 +
      (mi ?? 0) * 60_000 +
      (s ?? 0) * 1000,
  );
}

const max = (a: number | undefined, b: number | undefined) =>
  a === undefined ? b : b === undefined ? a : Math.max(a, b);

/**
 * Folds a batch of one session's statements, in order, into a completion delta: `completed` or
 * `result.completion` completes; `passed`/`failed` (or `result.success`) decide success, the latest
 * wins; the latest score wins, all its parts together; progress and duration only grow.
 */
export function completionDelta(statements: readonly IngestStatement[]): CompletionDelta {
  const d: CompletionDelta = {
    completed: false,
    passed: undefined,
    score: undefined,
    scoreMin: undefined,
    scoreMax: undefined,
    scoreScaled: undefined,
    progress: undefined,
    durationMs: undefined,
  };
  for (const s of statements) {
    const verb = s.verb.id;
    const r = s.result;
    if (verb === VERBS.completed || r?.completion === true) d.completed = true;
    if (verb === VERBS.passed) d.passed = true;
    else if (verb === VERBS.failed) d.passed = false;
    else if (r?.success !== undefined && (verb === VERBS.completed || verb === VERBS.terminated))
      d.passed = r.success;
    if (r?.score) {
      d.score = r.score.raw;
      d.scoreMin = r.score.min;
      d.scoreMax = r.score.max;
      d.scoreScaled = r.score.scaled;
    }
    const progress = r?.extensions?.[CMI5.progressExtension];
    if (typeof progress === 'number' && progress >= 0 && progress <= 100)
      d.progress = max(d.progress, progress / 100);
    if (verb === VERBS.completed) d.progress = 1;
    if (r?.duration) d.durationMs = max(d.durationMs, durationToMs(r.duration));
  }
  return d;
}
