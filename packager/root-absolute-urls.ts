import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

// `src="/…"`, `href='/…'` or unquoted; `//host/…` is protocol-relative (another site), not root-absolute.
const ROOT_ABSOLUTE = /\s(?:src|href)\s*=\s*(?:"(\/(?!\/)[^"]*)"|'(\/(?!\/)[^']*)'|(\/(?!\/)[^\s"'>]*))/gi;
const COMMENT = /<!--[\s\S]*?-->/g;
const SHOWN = 5;

/** The root-absolute URLs (`/assets/app.js`) an HTML page loads or links to, in order, once each. */
export function rootAbsoluteUrls(html: string): string[] {
  const urls = new Set<string>();
  for (const m of html.replace(COMMENT, '').matchAll(ROOT_ABSOLUTE)) urls.add(m[1] ?? m[2] ?? m[3] ?? '');
  return [...urls];
}

/**
 * Warnings for the HTML entry pages under `dir` that load files from the site root: an LMS (and the
 * Gatekeeper's content origin) serves a course from a subfolder, so `/assets/…` 404s there and the course
 * records nothing. One line per page, naming the file, the URLs and the fix; `shownAs` is how the folder
 * is named in them (what the author typed).
 * @example
 * for (const w of rootAbsoluteWarnings({ dir: 'dist', pages: ['index.html'] })) io.stderr.write(`${w}\n`);
 */
export function rootAbsoluteWarnings(options: { dir: string; pages: string[]; shownAs?: string }): string[] {
  const warnings: string[] = [];
  for (const page of [...new Set(options.pages)]) {
    if (!/\.html?$/i.test(page)) continue;
    const file = join(options.dir, page);
    if (!existsSync(file) || !statSync(file).isFile()) continue;
    const urls = rootAbsoluteUrls(readFileSync(file, 'utf8'));
    if (urls.length === 0) continue;
    const more = urls.length > SHOWN ? ` and ${urls.length - SHOWN} more` : '';
    warnings.push(
      `warning: ${join(options.shownAs ?? options.dir, page)} loads ${urls.slice(0, SHOWN).join(', ')}${more} from the site root; inside an LMS the course is served from a subfolder, so these fail to load and nothing is recorded. Use relative URLs (Vite: base: './' in vite.config).`,
    );
  }
  return warnings;
}
