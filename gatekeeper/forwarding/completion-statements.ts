import { TELEMETRY_EXTENSIONS } from '../../protocol/telemetry.js';
import { anonymousActor, VERBS, type XapiResult } from '../../protocol/xapi.js';

/** A completion record as the forwarder reads it (`completions` joined with its course). */
export interface CompletionRow {
  session_id: string;
  course_slug: string;
  deployment_id: string | null;
  completed: number;
  passed: number | null;
  score: number | null;
  score_min: number | null;
  score_max: number | null;
  score_scaled: number | null;
}

/** Namespace of the name-based statement ids (a fixed random UUID; changing it re-sends every record). */
const NAMESPACE = '6d0c1f0e-5b1a-4c53-9f3e-2a8f4f1f7a11';

/** RFC 9562 UUID version 5 (SHA-1, name-based) of `name` in `NAMESPACE`. */
async function uuidV5(name: string): Promise<string> {
  const ns = Uint8Array.from(NAMESPACE.replace(/-/g, '').match(/../g) ?? [], (h) => Number.parseInt(h, 16));
  const bytes = new Uint8Array([...ns, ...new TextEncoder().encode(name)]);
  const hash = new Uint8Array(await crypto.subtle.digest('SHA-1', bytes)).slice(0, 16);
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = [...hash].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function score(row: CompletionRow): XapiResult['score'] | undefined {
  const s: NonNullable<XapiResult['score']> = {};
  if (row.score_scaled !== null) s.scaled = row.score_scaled;
  if (row.score !== null) s.raw = row.score;
  if (row.score_min !== null) s.min = row.score_min;
  if (row.score_max !== null) s.max = row.score_max;
  return Object.keys(s).length ? s : undefined;
}

/**
 * A completion record as xAPI statements (docs/integrations.md, "Completion records as statements"): a
 * `completed` statement once the session completed, and `passed` or `failed` with the score once its
 * success is known, about the session's anonymous actor and the course's activity. Each id is a UUID v5
 * of the session, verb and result, so the same facts always make the same statement (the LRS keeps one)
 * and a changed score makes a new one. No timestamp: the LRS sets it to its `stored` time.
 */
export async function completionStatements(
  row: CompletionRow,
  homePage: string,
): Promise<Record<string, unknown>[]> {
  const facts: { verb: string; result: XapiResult }[] = [];
  if (row.completed) facts.push({ verb: VERBS.completed, result: { completion: true } });
  if (row.passed !== null) {
    const s = score(row);
    facts.push({
      verb: row.passed ? VERBS.passed : VERBS.failed,
      result: { success: row.passed === 1, ...(s ? { score: s } : {}) },
    });
  }
  const base = homePage.replace(/\/$/, '');
  return Promise.all(
    facts.map(async ({ verb, result }) => ({
      id: await uuidV5(`${row.session_id}|${verb}|${JSON.stringify(result)}`),
      actor: anonymousActor(base, row.session_id),
      verb: { id: verb },
      object: { objectType: 'Activity', id: `${base}/courses/${encodeURIComponent(row.course_slug)}` },
      result,
      context: {
        extensions: {
          [TELEMETRY_EXTENSIONS.course]: row.course_slug,
          ...(row.deployment_id ? { [TELEMETRY_EXTENSIONS.deployment]: row.deployment_id } : {}),
        },
      },
    })),
  );
}
