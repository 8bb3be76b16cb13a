import { createRoute, z } from '@hono/zod-openapi';
import { gatedCmi5Files } from '../../packager/gated/gated-cmi5-files.js';
import type { GatedCourse } from '../../packager/gated/gated-course.js';
import { gatedItemsFrom } from '../../packager/gated/gated-course.js';
import { gatedScormFiles } from '../../packager/gated/gated-scorm-files.js';
import { readCmi5Structure } from '../../packager/inspect/cmi5.js';
import { readScormManifest } from '../../packager/inspect/scorm.js';
import { parseXml } from '../../packager/xml/parse.js';
import { zipStream } from '../../packager/zip/web-writer.js';
import { requireRole } from '../auth/permissions.js';
import { getCourse } from '../db/courses.js';
import { getDeployment } from '../db/deployments.js';
import { getLicense } from '../db/licenses.js';
import { publishCmi5LaunchPage } from '../deployments/cmi5-launch-page.js';
import { parseMetadata } from '../deployments/metadata.js';
import { GatekeeperError } from '../errors.js';
import type { Storage } from '../storage/types.js';
import { principalOf, type RouteDeps } from './context.js';
import { createRouter } from './router.js';
import { AUTH_ERRORS, CONFLICT, IdParams } from './schemas.js';

const packageRoute = createRoute({
  method: 'get',
  path: '/{id}/package',
  tags: ['licenses'],
  summary: 'The gated package of a license, for the client LMS (`licenses:package`)',
  request: {
    params: IdParams,
    query: z.object({ format: z.enum(['scorm12', 'scorm2004', 'cmi5']).optional() }),
  },
  responses: {
    200: { description: 'The package', content: { 'application/zip': { schema: z.string() } } },
    ...AUTH_ERRORS,
    ...CONFLICT,
  },
});

const FORMATS = ['scorm12', 'scorm2004', 'cmi5'] as const;
type GatedFormat = (typeof FORMATS)[number];
const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

async function readText(storage: Storage | undefined, key: string): Promise<string | null> {
  const got = await storage?.get(key);
  if (!got || got.size > MAX_MANIFEST_BYTES) return null;
  return new Response(got.body).text();
}

/**
 * The course's table of contents as deployed: the organization of the deployment's own manifest when it
 * was a SCORM or cmi5 package, else one item launching the deployment's entry. A cmi5 course also
 * brings its own course IRI, kept in gated cmi5 packages with its AU and block ids.
 */
async function courseItems(
  storage: Storage | undefined,
  root: string,
  fallback: GatedCourse,
): Promise<GatedCourse & { iri?: string }> {
  const scorm = await readText(storage, `${root}imsmanifest.xml`);
  const cmi5 = scorm === null ? await readText(storage, `${root}cmi5.xml`) : null;
  try {
    const info =
      scorm !== null
        ? readScormManifest(parseXml(scorm))
        : cmi5 !== null
          ? readCmi5Structure(parseXml(cmi5))
          : null;
    const org = info?.organizations.find((o) => o.identifier === info.defaultOrganization) ??
      info?.organizations[0] ?? { items: [] };
    const items = gatedItemsFrom(org.items, info?.launchables);
    const iri =
      info?.standard === 'cmi5' && /^[a-z][a-z0-9+.-]*:/i.test(info.identifier) ? info.identifier : undefined;
    if (info && items.length)
      return { ...fallback, title: info.title || fallback.title, items, ...(iri ? { iri } : {}) };
  } catch {
    // A manifest the packager cannot read still leaves the deployment's entry to launch.
  }
  return fallback;
}

export interface GatedPackageDeps extends RouteDeps {
  storage?: Storage;
  /**
   * The built stub (`dist/stub/stub.js`) SCORM packages carry: read from disk on Node, from the bucket
   * on the Worker (see `withStubScript`). Without it only cmi5 packages are served.
   */
  stubScript?: () => Promise<Uint8Array>;
  /**
   * The built cmi5 launch page script (`dist/cmi5-launch/cmi5-launch.js`) every gated cmi5 AU opens through;
   * from disk on Node, from the bucket on the Worker. Without it only SCORM packages are served.
   */
  cmi5LaunchScript?: () => Promise<string>;
}

/** `gatedPackageRoutes` bound to where the stub comes from, in the shape `createApp({ gatedPackages })` takes. */
export function withStubScript(
  stubScript: () => Promise<Uint8Array>,
  cmi5LaunchScript: () => Promise<string>,
) {
  return (deps: GatedPackageDeps) => gatedPackageRoutes({ ...deps, stubScript, cmi5LaunchScript });
}

/**
 * `GET /v1/licenses/:id/package?format=scorm12|scorm2004|cmi5` (default scorm12): the gated package an LMS admin uploads.
 * SCORM: launch pages + stub, the live deployment's organization kept. cmi5: every AU pointing at the
 * course's launch page on the content origin (`{contentUrl}/courses/<course>/_coursegate/cmi5-launch.html`),
 * which this route (re)writes to storage.
 */
export function gatedPackageRoutes(deps: GatedPackageDeps) {
  const app = createRouter();
  // Written by hand (it streams a zip); `/openapi.json` still describes it.
  app.openAPIRegistry.registerPath(packageRoute);
  app.get('/:id/package', requireRole('licenses:package'), async (c) => {
    const p = principalOf(c);
    const license = await getLicense(deps.db, p.orgId, c.req.param('id'));
    if (!license) throw new GatekeeperError(404, 'not_found', 'No such license');
    // SCORM 1.2 unless asked otherwise: the one every LMS imports.
    const format = (c.req.query('format') ?? 'scorm12') as GatedFormat;
    if (!FORMATS.includes(format))
      throw new GatekeeperError(400, 'invalid_request', 'format: use scorm12, scorm2004 or cmi5');
    const course = await getCourse(deps.db, p.orgId, license.courseId);
    if (!course) throw new GatekeeperError(404, 'not_found', 'No such course');
    const live = course.liveDeploymentId
      ? await getDeployment(deps.db, p.orgId, course.liveDeploymentId)
      : undefined;
    if (!live) throw new GatekeeperError(409, 'course_not_live', 'The course has no live deployment yet');
    const token = await deps.tokens.signLicenseToken({
      licenseId: license.id,
      orgId: license.orgId,
      courseId: license.courseId,
      jti: license.currentJti,
      iat: license.tokenIssuedAt,
    });
    // A course deployed from a folder has no manifest: its mastery score is the one it was deployed with.
    const { masteryScore } = parseMetadata(live.metadata);
    const fallback: GatedCourse = {
      id: course.slug,
      title: course.title,
      items: [
        { title: course.title, entry: live.entry, ...(masteryScore === undefined ? {} : { masteryScore }) },
      ],
    };
    const gated = await courseItems(deps.storage, `courses/${course.id}/${live.id}/`, fallback);
    const gatekeeperUrl = deps.config.publicUrl;
    let files: { path: string; bytes: Uint8Array }[];
    if (format === 'cmi5') {
      if (!deps.storage || !deps.cmi5LaunchScript)
        throw new GatekeeperError(
          500,
          'internal_error',
          'Gated cmi5 needs content storage and the launch page',
        );
      const launchPageUrl = await publishCmi5LaunchPage({
        storage: deps.storage,
        courseId: course.id,
        contentUrl: deps.config.contentUrl,
        gatekeeperUrl,
        script: await deps.cmi5LaunchScript(),
      });
      files = gatedCmi5Files({
        course: gated,
        iri: gated.iri ?? `${gatekeeperUrl}/courses/${course.id}`,
        launchPageUrl,
        token,
      });
    } else {
      if (!deps.stubScript)
        throw new GatekeeperError(500, 'internal_error', 'No stub script to put in SCORM packages');
      files = gatedScormFiles({
        course: gated,
        format,
        gatekeeperUrl,
        token,
        stubScript: await deps.stubScript(),
      });
    }
    const zip = new Uint8Array(
      await new Response(zipStream(files.map((f) => ({ ...f, open: () => f.bytes })))).arrayBuffer(),
    );
    c.header('content-type', 'application/zip');
    c.header('content-disposition', `attachment; filename="${course.slug}-${format}-gated.zip"`);
    c.header('cache-control', 'no-store');
    return c.body(zip, 200);
  });
  return app;
}
