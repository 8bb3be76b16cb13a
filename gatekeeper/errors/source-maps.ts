import { originalPositionFor, sourceContentFor, TraceMap } from '@jridgewell/trace-mapping';
import type { PlanUpload } from '../../protocol/deploy.js';
import { GatekeeperError } from '../errors.js';
import { isValidKey } from '../storage/keys.js';
import type { Storage } from '../storage/types.js';

/**
 * Source maps of a deployment live under their own prefix, outside `courses/`, which is all the content
 * origin serves (gatekeeper/content/key-from-path.ts): uploaded by `coursegate deploy`, read only here.
 */
export function sourceMapKey(courseId: string, deploymentId: string, path: string): string {
  return `sourcemaps/${courseId}/${deploymentId}/${path}`;
}

const UPLOAD_URL_SECONDS = 6 * 3600;

/** Presigned PUTs of a deploy's `.map` files to private storage. */
export async function planSourceMaps(
  storage: Storage,
  target: { courseId: string; deploymentId: string },
  maps: readonly { path: string; sha256: string; size: number }[],
): Promise<PlanUpload[]> {
  if (maps.length === 0) return [];
  if (!storage.presignPut)
    throw new GatekeeperError('internal_error', 'This storage cannot take presigned uploads');
  const out: PlanUpload[] = [];
  for (const m of maps) {
    const key = sourceMapKey(target.courseId, target.deploymentId, m.path);
    if (!m.path.endsWith('.map') || !isValidKey(m.path) || !isValidKey(key))
      throw new GatekeeperError('invalid_storage_key', `Not a source map path: ${JSON.stringify(m.path)}`);
    const put = await storage.presignPut(key, {
      contentType: 'application/json',
      sha256: m.sha256,
      expiresIn: UPLOAD_URL_SECONDS,
    });
    out.push({ path: m.path, size: m.size, sha256: m.sha256, ...put });
  }
  return out;
}

/** One stack line, with the original position when a map resolved it. */
export interface StackLine {
  text: string;
  original?: { file: string; line: number; column: number; name: string | null };
}

// `at fn (url:line:col)`, `at url:line:col` (V8) and `fn@url:line:col` (Firefox, Safari).
const FRAME = /^(.*?)((?:https?:\/\/[^/\s)]+)?\/[^\s()]*?):(\d+):(\d+)\)?\s*$/;

/**
 * Resolves the frames of a stored stack that point into the deployment's files through the maps stored
 * for it. A frame's URL path names the file: `…/<deploymentId>/<path>` maps to `<path>.map` (and the
 * file's own `sourceMappingURL` is not fetched: the content may have left it out).
 */
export async function resolveStack(
  storage: Storage,
  target: { courseId: string; deploymentId: string },
  stack: string,
): Promise<StackLine[]> {
  const maps = new Map<string, Promise<TraceMap | null>>();
  const load = (path: string) => {
    let m = maps.get(path);
    if (!m) {
      m = readMap(storage, sourceMapKey(target.courseId, target.deploymentId, `${path}.map`));
      maps.set(path, m);
    }
    return m;
  };
  const marker = `/${target.deploymentId}/`;
  const lines: StackLine[] = [];
  for (const text of stack.split('\n')) {
    const m = FRAME.exec(text);
    const url = m?.[2] ?? '';
    const at = url.indexOf(marker);
    if (!m || at === -1) {
      lines.push({ text });
      continue;
    }
    const map = await load(url.slice(at + marker.length));
    const pos = map
      ? originalPositionFor(map, { line: Number(m[3]), column: Math.max(0, Number(m[4]) - 1) })
      : null;
    lines.push(
      pos?.source && pos.line !== null
        ? {
            text,
            original: {
              file: pos.source,
              line: pos.line,
              column: pos.column + 1,
              name: map && enclosingFunction(sourceContentFor(map, pos.source), pos.line),
            },
          }
        : { text },
    );
  }
  return lines;
}

// `function name(`, `name = (…) =>`, `name: function`, and a method `name(…) {`.
const DECLARES =
  /(?:\bfunction\s*\*?\s*([\w$]+)\s*\(|([\w$]+)\s*[:=]\s*(?:async\s*)?(?:function\b|\([^)]*\)\s*(?::[^=]*)?=>|[\w$]+\s*=>)|^\s*(?:(?:public|private|protected|static|async)\s+)*([\w$]+)\s*\([^)]*\)\s*(?::[^{]*)?\{)/;
const NOT_NAMES = new Set(['if', 'for', 'while', 'switch', 'catch', 'return', 'function']);

/**
 * The function a line of original source sits in, by the nearest declaration above it in the map's
 * `sourcesContent` (minified frames name the minified function; the map's `names` at a frame's position
 * name what is called there, not the caller). Null without the source text.
 */
function enclosingFunction(source: string | null, line: number): string | null {
  if (!source) return null;
  const lines = source.split('\n');
  for (let i = Math.min(line, lines.length) - 1; i >= 0 && i >= line - 200; i--) {
    const m = DECLARES.exec(lines[i] ?? '');
    const name = m && (m[1] ?? m[2] ?? m[3]);
    if (name && !NOT_NAMES.has(name)) return name;
  }
  return null;
}

async function readMap(storage: Storage, key: string): Promise<TraceMap | null> {
  try {
    const object = await storage.get(key);
    if (!object) return null;
    return new TraceMap(await new Response(object.body).text());
  } catch {
    // A missing or broken map leaves the frame as reported.
    return null;
  }
}
