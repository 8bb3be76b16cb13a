/**
 * ADL API discovery: walk `parent` (bounded), then the `opener` chain.
 * Every property read is guarded because a cross-origin frame in the chain throws on access.
 */

const MAX_DEPTH = 10;

function read<T>(win: Window, name: string): T | undefined {
  try {
    return (win as unknown as Record<string, T | undefined>)[name] ?? undefined;
  } catch {
    return undefined;
  }
}

function walkParents<T>(start: Window, name: string): T | undefined {
  let win: Window | null = start;
  for (let depth = 0; win && depth <= MAX_DEPTH; depth++) {
    const api = read<T>(win, name);
    if (api) return api;
    let parent: Window | null = null;
    try {
      parent = win.parent;
    } catch {
      parent = null;
    }
    if (!parent || parent === win) break;
    win = parent;
  }
  return undefined;
}

/** Finds the LMS API object named `name` (`API` for SCORM 1.2, `API_1484_11` for SCORM 2004). */
export function findApi<T>(name: 'API' | 'API_1484_11', start: Window = window): T | undefined {
  const found = walkParents<T>(start, name);
  if (found) return found;
  let opener: Window | null = null;
  try {
    opener = start.top?.opener ?? null;
  } catch {
    opener = null;
  }
  for (let depth = 0; opener && depth <= MAX_DEPTH; depth++) {
    const api = walkParents<T>(opener, name);
    if (api) return api;
    try {
      opener = opener.opener ?? null;
    } catch {
      opener = null;
    }
  }
  return undefined;
}
