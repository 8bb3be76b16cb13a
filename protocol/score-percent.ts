/** A score as a completion record keeps it: each part as reported, null where it was not. */
export interface ScoreParts {
  scaled: number | null;
  raw: number | null;
  min: number | null;
  max: number | null;
}

/**
 * The one rule that makes scores of every standard comparable (docs/telemetry.md, "Scores"): the
 * percent is the scaled score × 100, else `(raw − min) / (max − min)` × 100 when the range is known,
 * else null (a raw score alone has no unit). Two decimals, as SCORM 1.2 keeps its percentage raw score.
 *
 * @example
 * scorePercent({ scaled: null, raw: 2, min: 0, max: 3 }); // 66.67
 */
export function scorePercent({ scaled, raw, min, max }: ScoreParts): number | null {
  const fraction =
    scaled ?? (raw !== null && min !== null && max !== null && max > min ? (raw - min) / (max - min) : null);
  return fraction === null ? null : Math.round(fraction * 10_000) / 100;
}
