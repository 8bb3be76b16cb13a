import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { type Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { contentTypeFor, DEFAULT_CONTENT_TYPE } from '../../gatekeeper/storage/content-types.js';
import { type Launchable, PackagerError } from '../../packager/index.js';
import { escapeHtml, formatBytes, page } from './html.js';
import { scormPage } from './scorm-page.js';
import type { UploadStore } from './upload-store.js';

export interface UploadRoutesOptions {
  store: UploadStore;
  /** Largest upload accepted, in bytes. */
  maxBytes: number;
  learner: { name: string; id: string };
  /**
   * Sets up a cmi5 launch in the demo's cmi5 LMS of an AU URL (absolute, or a path on the LMS's origin);
   * returns where to send the browser.
   */
  launchCmi5: (auUrl: string, au: Launchable) => string;
}

const ABSOLUTE = /^[a-z][a-z0-9+.-]*:/i;

// What the uploader reads first; the packager's own message follows and names the entry at fault.
const REFUSALS: Record<string, string> = {
  unsafe_path: 'The zip has a file whose path leads outside the package',
  symlink_refused: 'The zip holds a symbolic link',
  duplicate_entry: 'The zip holds the same file twice',
  zip_bomb: 'The zip expands too much',
  invalid_package: 'This is not a SCORM or cmi5 package',
  unknown_standard: 'This is not a SCORM or cmi5 package',
  entry_not_found: 'The package has nothing an LMS can launch',
};

const safeHost = (origin: string) => {
  try {
    return new URL(origin).host;
  } catch {
    return undefined;
  }
};

/**
 * Upload, serving and launching of packages uploaded into the demo LMS. Their files are served from the
 * LMS's own origin, as an LMS serves imported content, so SCOs find scorm-again's API in the parent frame.
 */
export function uploadRoutes(options: UploadRoutesOptions) {
  const { store } = options;
  const app = new Hono();
  const wantsJson = (c: Context) => (c.req.header('accept') ?? '').includes('application/json');
  const refused = (c: Context, status: 400 | 413, code: string, message: string) =>
    wantsJson(c)
      ? c.json({ error: { code, message } }, status)
      : c.html(
          page(
            'Upload refused',
            `<h1>Upload refused</h1><p role="alert">${escapeHtml(message)}</p><p><a href="/">Back to the demo LMS</a></p>`,
          ),
          status,
        );

  app.post(
    '/upload',
    bodyLimit({
      maxSize: options.maxBytes,
      onError: (c) =>
        refused(
          c,
          413,
          'too_large',
          `The package is larger than the ${formatBytes(options.maxBytes)} the demo LMS accepts.`,
        ),
    }),
    async (c) => {
      // Another site's page must not be able to post packages into the learner's local demo LMS.
      const from = c.req.header('origin');
      if (from !== undefined && safeHost(from) !== c.req.header('host'))
        return c.json(
          { error: { code: 'cross_origin', message: 'Uploads come from the demo LMS page only.' } },
          403,
        );
      const body = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
      const file = body.package;
      if (!(file instanceof File) || file.size === 0)
        return refused(c, 400, 'no_file', 'Choose a zip file to upload.');
      try {
        const added = await store.add(file.name, new Uint8Array(await file.arrayBuffer()));
        return wantsJson(c)
          ? c.json({ package: added }, 201)
          : c.redirect(`/?uploaded=${added.id}#package-${added.id}`, 303);
      } catch (err) {
        if (!(err instanceof PackagerError)) throw err;
        const lead = REFUSALS[err.code] ?? 'The package could not be read';
        return refused(c, 400, err.code, `${lead}: ${err.message.replace(/\.?$/, '.')}`);
      }
    },
  );

  app.get('/uploads/:id/files/*', async (c) => {
    const id = c.req.param('id');
    const prefix = `/uploads/${id}/files/`;
    const file = await store.file(id, new URL(c.req.url).pathname.slice(prefix.length));
    if (!file) return c.notFound();
    // Streamed: packages may hold large media.
    return c.body(Readable.toWeb(createReadStream(file)) as ReadableStream, 200, {
      'content-type': contentTypeFor(file) ?? DEFAULT_CONTENT_TYPE,
      'content-length': String((await stat(file)).size),
    });
  });

  app.get('/uploads/:id/launch/:n{[0-9]+}', async (c) => {
    const pkg = await store.get(c.req.param('id'));
    const au = pkg?.launchables[Number(c.req.param('n'))];
    if (!pkg || !au) return c.notFound();
    const url = ABSOLUTE.test(au.launchUrl) ? au.launchUrl : `/uploads/${pkg.id}/files/${au.launchUrl}`;
    if (ABSOLUTE.test(url) && !/^https?:/i.test(url))
      return c.text('the package launches a URL the demo LMS does not open', 400);
    if (pkg.standard === 'cmi5') return c.redirect(options.launchCmi5(url, au), 302);
    return c.html(
      scormPage(pkg.standard, options.learner, {
        src: url,
        title: au.title || pkg.title,
        asset: au.kind === 'asset',
        ...(au.masteryScore === undefined ? {} : { masteryScore: au.masteryScore }),
      }),
    );
  });

  return app;
}
