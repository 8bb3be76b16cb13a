/**
 * The gated SCORM package's launch page. Pure (no Node or DOM APIs) so the packager and the Gatekeeper can
 * both call it when they write a gated zip next to `coursegate-stub.js` (the built `dist/stub/stub.js`).
 */
import type { BridgeStandard } from '../../protocol/bridge.js';
import { NOTICE_CSS, scriptJson } from './page-parts.js';
import { CONFIG_ELEMENT_ID } from './stub-config.js';

export interface StubPageOptions {
  gatekeeperUrl: string;
  token: string;
  standard: BridgeStandard;
  /**
   * The page's own path relative to the deployment root (`shared/launchpage.html`), no query: the stub
   * appends the query and fragment the LMS launched the page with.
   */
  entry?: string;
  title: string;
  /** URL of the stub script relative to the page (`../coursegate-stub.js`); `coursegate-stub.js` by default. */
  script?: string;
  /** Every resource launching this page is a SCORM asset: no LMS session is opened for it. */
  asset?: boolean;
  /**
   * The names of the query parameters the manifest launches this page with (from each launching resource's
   * href query and item `parameters`, e.g. `['content']` for golf 4th edition's `?content=playing`): the stub
   * forwards only these (compared as they appear in the URL, not decoded) from its page URL, so parameters
   * an LMS adds (some put the learner's id and name there) never reach the content origin. Absent or
   * empty: no query is forwarded.
   */
  query?: string[];
}

/** The file name the launch page loads the stub from. */
export const STUB_SCRIPT_NAME = 'coursegate-stub.js';

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);

/**
 * Renders the launch page.
 * @example
 * const html = renderStubPage({ gatekeeperUrl: 'https://gate.example.com', token, standard: 'scorm2004',
 *   entry: 'shared/launchpage.html', title: 'Golf Explained' });
 */
export function renderStubPage(options: StubPageOptions): string {
  const config: Record<string, string | boolean | string[]> = {
    gatekeeper: options.gatekeeperUrl,
    token: options.token,
    standard: options.standard,
  };
  if (options.entry !== undefined) config.entry = options.entry;
  if (options.asset) config.asset = true;
  if (options.query?.length) config.query = options.query;
  const title = escapeHtml(options.title);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${title}</title>
<style>
html,body{margin:0;height:100%;font:16px/1.5 system-ui,sans-serif;color:#1a1a1a;background:#fff}
${NOTICE_CSS}
</style>
<script type="application/json" id="${CONFIG_ELEMENT_ID}">${scriptJson(config)}</script>
</head>
<body>
<main id="coursegate"><p role="status">Loading ${title}…</p></main>
<noscript>This course needs JavaScript.</noscript>
<script src="${escapeHtml(options.script ?? STUB_SCRIPT_NAME)}"></script>
</body>
</html>
`;
}
