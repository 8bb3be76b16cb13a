/**
 * The gated SCORM package's launch page. Pure (no Node or DOM APIs) so the packager and the Gatekeeper can
 * both call it when they write a gated zip next to `coursegate-stub.js` (the built `dist/stub/stub.js`).
 */
import type { BridgeStandard } from '../../protocol/bridge.js';
import { PLAYER_FRAME_ID } from '../../protocol/launch-page.js';
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
  /**
   * The player page of the deployment live when the package is written
   * (`{content}/courses/<course>/<deployment>/_coursegate/player.html`). The page then holds it in a hidden
   * frame, so the content origin's renderer process, the player and its scorm-again load while the stub
   * asks for the launch; the stub hands the launch to that frame once allowed (docs/gated-delivery.md,
   * "Launch overhead"). Not for asset pages.
   */
  player?: string;
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

function originOf(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}

/** Hidden until the stub shows it; the fragment names only the standard, so the player waits for the launch. */
function playerFrame(player: string, standard: BridgeStandard, title: string): string {
  const src = escapeHtml(`${player}#s=${standard}`);
  return `<iframe id="${PLAYER_FRAME_ID}" hidden title="${title}" src="${src}" referrerpolicy="no-referrer" allow="fullscreen; autoplay" style="position:fixed;inset:0;width:100%;height:100%;border:0"></iframe>`;
}

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
  // The launch request omits credentials: only a `crossorigin` preconnect serves it.
  const preconnect = originOf(options.gatekeeperUrl);
  const player = options.player && !options.asset ? options.player : undefined;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${title}</title>
${preconnect ? `<link rel="preconnect" href="${escapeHtml(preconnect)}" crossorigin>\n` : ''}<style>
html,body{margin:0;height:100%;font:16px/1.5 system-ui,sans-serif;color:#1a1a1a;background:#fff}
${NOTICE_CSS}
</style>
<script type="application/json" id="${CONFIG_ELEMENT_ID}">${scriptJson(config)}</script>
</head>
<body>
<main id="coursegate"><p role="status">Loading ${title}…</p></main>
<noscript>This course needs JavaScript.</noscript>
${player ? `${playerFrame(player, options.standard, title)}\n` : ''}<script src="${escapeHtml(options.script ?? STUB_SCRIPT_NAME)}"></script>
</body>
</html>
`;
}
