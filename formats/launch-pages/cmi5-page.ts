/**
 * The gated cmi5 launch page, one per course on the content origin. Pure (no Node or DOM APIs) so the
 * Gatekeeper can render it on Node and on Workers. The script (the built `dist/cmi5-launch/cmi5-launch.js`)
 * is inlined: the page makes no request of its own but the launch.
 */

import { NOTICE_CSS, scriptJson } from './page-parts.js';
import { CONFIG_ELEMENT_ID } from './stub-config.js';

export interface Cmi5LaunchPageOptions {
  /** Gatekeeper base URL; the page posts to `{gatekeeperUrl}/v1/launch`. */
  gatekeeperUrl: string;
  /** The built launch script. */
  script: string;
}

/**
 * Renders the page.
 * @example
 * const html = renderCmi5LaunchPage({ gatekeeperUrl: 'https://gate.example.com', script });
 */
export function renderCmi5LaunchPage(options: Cmi5LaunchPageOptions): string {
  // Inline code ends at the first `</script`, whatever string or regex it sits in.
  if (/<\/script|<!--/i.test(options.script)) throw new Error('The launch script cannot be inlined');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>Opening the course</title>
<style>
html,body{margin:0;font:16px/1.5 system-ui,sans-serif;color:#1a1a1a;background:#fff}
${NOTICE_CSS}
</style>
<script type="application/json" id="${CONFIG_ELEMENT_ID}">${scriptJson({ gatekeeper: options.gatekeeperUrl })}</script>
</head>
<body>
<main id="coursegate"><p role="status">Opening the course…</p></main>
<noscript>This course needs JavaScript.</noscript>
<script>${options.script}</script>
</body>
</html>
`;
}
