import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { Hono } from 'hono';
import { readScormManifest } from '../../formats/inspect/scorm.js';
import { encodeHref } from '../../formats/manifest/model.js';
import { parseXml } from '../../formats/xml/parse.js';
import type { Launchable } from '../../packager/index.js';
import { createCmi5Lms, type LaunchOptions } from './cmi5-lms/lms.js';
import { escapeHtml, page } from './html.js';
import { scormPage } from './scorm-page.js';
import { uploadedList, uploadForm } from './upload-page.js';
import { uploadRoutes } from './upload-routes.js';
import { createUploadStore } from './upload-store.js';

export interface DemoLmsOptions {
  /** This LMS's own origin (`http://localhost:8789`). */
  origin: string;
  /** The Gatekeeper API the gated packages come from, and a key of the org that owns the license. */
  apiUrl: string;
  apiKey: string;
  licenseId: string;
  /** `node_modules/scorm-again/dist`. */
  scormAgainDir: string;
  /** Where uploaded packages are unpacked (`<dataDir>/demo-lms`); nothing is written outside it. */
  uploadsDir: string;
  /** Largest package upload accepted; default 200 MiB. */
  maxUploadBytes?: number;
  now?: () => Date;
}

type Format = 'scorm12' | 'scorm2004' | 'cmi5';
const LEARNER = { name: 'Jane Doe', id: 'jane@example.com' };
const TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript',
  xml: 'application/xml',
};

/**
 * A demo LMS for the whole loop by clicking: it imports the demo license's gated packages (as an LMS admin
 * uploads them), launches SCORM 1.2 / 2004 in scorm-again and cmi5 through a small LMS + LRS, and shows
 * what it recorded for the learner "Jane Doe". Everything learner-related stays here.
 */
export function createDemoLms(options: DemoLmsOptions) {
  const now = options.now ?? (() => new Date());
  const cmi5 = createCmi5Lms({ origin: options.origin, now });
  const uploads = createUploadStore({ dir: options.uploadsDir, now });
  const maxUploadBytes = options.maxUploadBytes ?? 200 * 1024 * 1024;
  // Every launch gets its own registration; the AU returns to the page that shows what was recorded.
  const launchCmi5 = (auUrl: string, extra: LaunchOptions = {}) => {
    const registration = crypto.randomUUID();
    return cmi5.launch(new URL(auUrl, options.origin).href, {
      masteryScore: 0.6,
      ...extra,
      registration,
      actor: {
        objectType: 'Agent',
        name: LEARNER.name,
        account: { homePage: options.origin, name: LEARNER.id },
      },
      returnURL: `${options.origin}/cmi5/done?registration=${registration}`,
    }).url;
  };
  const launchUploaded = (auUrl: string, au: Launchable) =>
    launchCmi5(auUrl, {
      publisherId: au.id,
      masteryScore: au.masteryScore,
      ...(au.moveOn ? { moveOn: au.moveOn } : {}),
      ...(au.parameters ? { launchParameters: au.parameters } : {}),
    });
  const packages = new Map<Format, Record<string, Uint8Array>>();
  const gated = async (format: Format) => {
    const cached = packages.get(format);
    if (cached) return cached;
    const res = await fetch(`${options.apiUrl}/v1/licenses/${options.licenseId}/package?format=${format}`, {
      headers: { authorization: `Bearer ${options.apiKey}` },
    });
    if (!res.ok) throw new Error(`the Gatekeeper answered ${res.status} for the ${format} package`);
    const files = unzipSync(new Uint8Array(await res.arrayBuffer()));
    packages.set(format, files);
    return files;
  };

  const app = new Hono();
  app.get('/', async (c) =>
    c.html(
      page(
        'Demo LMS',
        `<h1>Demo LMS</h1><p>Learner: ${LEARNER.name} (${LEARNER.id}). Pick a gated package of the demo course and launch it,
or upload a package of your own.</p>
<h2>The demo course</h2>
<ul><li><a href="/scorm/scorm12">Launch the SCORM 1.2 package</a></li>
<li><a href="/scorm/scorm2004">Launch the SCORM 2004 package</a></li>
<li><a href="/cmi5/launch">Launch the cmi5 package</a></li></ul>
<p>Packages as an LMS admin would upload them: <a href="/download/scorm12">SCORM 1.2</a>,
<a href="/download/scorm2004">SCORM 2004</a>, <a href="/download/cmi5">cmi5</a>.</p>
${uploadedList(await uploads.list(), c.req.query('uploaded'))}
${uploadForm(maxUploadBytes)}`,
      ),
    ),
  );
  app.get('/download/:format{scorm12|scorm2004|cmi5}', async (c) => {
    const res = await fetch(
      `${options.apiUrl}/v1/licenses/${options.licenseId}/package?format=${c.req.param('format')}`,
      { headers: { authorization: `Bearer ${options.apiKey}` } },
    );
    return new Response(res.body, { status: res.status, headers: res.headers });
  });
  app.get('/scorm-again/:file{scorm12\\.js|scorm2004\\.js}', (c) =>
    c.body(readFileSync(join(options.scormAgainDir, c.req.param('file'))), 200, {
      'content-type': TYPES.js!,
    }),
  );
  app.get('/scorm/:format{scorm12|scorm2004}', async (c) => {
    const format = c.req.param('format') as 'scorm12' | 'scorm2004';
    // Launched as an LMS launches it: the first item of the package's own manifest, where it points.
    const manifest = new TextDecoder().decode((await gated(format))['imsmanifest.xml']);
    const first = readScormManifest(parseXml(manifest)).launchables[0];
    if (!first) return c.text(`the ${format} package launches nothing`, 500);
    return c.html(
      scormPage(format, LEARNER, {
        src: `/pkg/${format}/${encodeHref(first.launchUrl)}`,
        title: first.title,
        asset: first.kind === 'asset',
        ...(first.masteryScore === undefined ? {} : { masteryScore: first.masteryScore }),
      }),
    );
  });
  app.get('/pkg/:format{scorm12|scorm2004}/:file{.+}', async (c) => {
    const file = c.req.param('file');
    const data = (await gated(c.req.param('format') as Format))[file];
    if (!data) return c.notFound();
    const ext = file.split('.').pop() ?? '';
    return c.body(new Uint8Array(data), 200, { 'content-type': TYPES[ext] ?? 'application/octet-stream' });
  });
  app.get('/cmi5/launch', async (c) => {
    const xml = new TextDecoder().decode((await gated('cmi5'))['cmi5.xml']);
    const url = xml.match(/<url>([^<]+)<\/url>/)?.[1]?.replace(/&amp;/g, '&');
    if (!url) return c.text('the cmi5 package has no AU', 500);
    return c.redirect(launchCmi5(url), 302);
  });
  app.get('/cmi5/done', (c) => {
    const registration = c.req.query('registration') ?? '';
    const rows = cmi5
      .auStatements(registration)
      .map((s) => {
        const result = (s as { result?: unknown }).result;
        return `<li>${escapeHtml(s.verb.id.split('/').pop() ?? '')}${result ? ` <code>${escapeHtml(JSON.stringify(result))}</code>` : ''}</li>`;
      })
      .join('');
    return c.html(
      page(
        'Recorded',
        `<h1>What the LMS recorded</h1><ol id="recorded">${rows}</ol><p><a href="/">Back to the demo LMS</a></p>`,
      ),
    );
  });

  app.route(
    '/',
    uploadRoutes({ store: uploads, maxBytes: maxUploadBytes, learner: LEARNER, launchCmi5: launchUploaded }),
  );

  return {
    cmi5,
    uploads,
    fetch: (req: Request) => {
      const path = new URL(req.url).pathname;
      return path.startsWith('/xapi') || path.startsWith('/fetch') ? cmi5.app.fetch(req) : app.fetch(req);
    },
  };
}
