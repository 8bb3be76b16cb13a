/** The demo LMS's page frame: one small stylesheet, no scripts unless a page brings its own. */
export const page = (
  title: string,
  body: string,
) => `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:60rem;margin:1rem auto;padding:0 1rem}pre{background:#f4f4f4;padding:1rem;overflow:auto}
[role=alert]:empty{display:none}[role=alert]{color:#a00;font-weight:600}progress{width:20rem}</style>
</head><body>${body}</body></html>`;

export const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A size for people: `200 MB`, `512 KB`. */
export const formatBytes = (bytes: number) =>
  bytes >= 1024 * 1024
    ? `${Math.round(bytes / 1024 / 1024)} MB`
    : `${Math.max(1, Math.round(bytes / 1024))} KB`;
