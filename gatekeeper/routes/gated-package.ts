import { createRoute, z } from '@hono/zod-openapi';
import { FormatError } from '../../formats/errors.js';
import { gatedCmi5Files } from '../../formats/gated/gated-cmi5-files.js';
import { gatedScormFiles } from '../../formats/gated/gated-scorm-files.js';
import { readScormManifest } from '../../formats/inspect/scorm.js';
import { manifestName } from '../../formats/manifest/package-manifest.js';
import { parseXml } from '../../formats/xml/parse.js';
import { zipStream } from '../../formats/zip/web-writer.js';
import { requireRole } from '../auth/permissions.js';
import { type Course, getCourse } from '../db/courses.js';
import { type Deployment, getDeployment } from '../db/deployments.js';
import { getLicense } from '../db/licenses.js';
import { publishCmi5LaunchPage } from '../deployments/cmi5-launch-page.js';
import { exportManifest } from '../deployments/export-manifest.js';
import { deploymentKey } from '../deployments/keys.js';
import { filesOf } from '../deployments/queries.js';
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

async function readBytes(storage: Storage | undefined, key: string): Promise<Uint8Array | null> {
  const got = await storage?.get(key);
  if (!got || got.size > MAX_MANIFEST_BYTES) return null;
  return new Uint8Array(await new Response(got.body).arrayBuffer());
}

/** The standard of a SCORM manifest, or undefined when the packager cannot read it. */
function scormStandard(manifest: Uint8Array): string | undefined {
  try {
    return readScormManifest(parseXml(new TextDecoder().decode(manifest))).standard;
  } catch {
    return undefined;
  }
}

/**
 * The manifest a gated package keeps: the live deployment's own `imsmanifest.xml` (of the requested
 * standard) or `cmi5.xml`, byte for byte; otherwise the one the portable export writes in that format.
 */
async function originalManifest(
  storage: Storage | undefined,
  course: Course,
  live: Deployment,
  format: GatedFormat,
): Promise<Uint8Array> {
  const files = filesOf(live);
  const name = manifestName(format);
  if (files.some((f) => f.path === name)) {
    const own = await readBytes(storage, deploymentKey(course.id, live.id, name));
    if (own && (format === 'cmi5' || scormStandard(own) === format)) return own;
  }
  return exportManifest({ course, deployment: live, format, files }).manifest.bytes;
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
 * The original package with only the launch rewired (docs/gated-delivery.md): SCORM, the manifest byte for
 * byte plus a stub page at each launched path; cmi5, `cmi5.xml` with each AU's url on the course's launch
 * page on the content origin (`{contentUrl}/courses/<course>/_coursegate/cmi5-launch.html`), which this
 * route (re)writes to storage.
 */
export function gatedPackageRoutes(deps: GatedPackageDeps) {
  const app = createRouter();
  // Written by hand (it streams a zip); `/openapi.json` still describes it.
  app.openAPIRegistry.registerPath(packageRoute);
  app.get('/:id/package', requireRole('licenses:package'), async (c) => {
    const p = principalOf(c);
    const license = await getLicense(deps.db, p.orgId, c.req.param('id'));
    if (!license) throw new GatekeeperError('license_not_found', 'No such license');
    // SCORM 1.2 unless asked otherwise: the one every LMS imports.
    const format = (c.req.query('format') ?? 'scorm12') as GatedFormat;
    if (!FORMATS.includes(format))
      throw new GatekeeperError('invalid_request', 'format: use scorm12, scorm2004 or cmi5');
    const course = await getCourse(deps.db, p.orgId, license.courseId);
    if (!course) throw new GatekeeperError('course_not_found', 'No such course');
    const live = course.liveDeploymentId
      ? await getDeployment(deps.db, p.orgId, course.liveDeploymentId)
      : undefined;
    if (!live) throw new GatekeeperError('no_live_deployment', 'The course has no live deployment yet');
    const token = await deps.tokens.signLicenseToken({
      licenseId: license.id,
      orgId: license.orgId,
      courseId: license.courseId,
      jti: license.currentJti,
      iat: license.tokenIssuedAt,
    });
    const manifest = await originalManifest(deps.storage, course, live, format);
    const gatekeeperUrl = deps.config.publicUrl;
    let files: { path: string; bytes: Uint8Array }[];
    if (format === 'cmi5') {
      if (!deps.storage || !deps.cmi5LaunchScript)
        throw new GatekeeperError('internal_error', 'Gated cmi5 needs content storage and the launch page');
      const launchPageUrl = await publishCmi5LaunchPage({
        storage: deps.storage,
        courseId: course.id,
        contentUrl: deps.config.contentUrl,
        gatekeeperUrl,
        script: await deps.cmi5LaunchScript(),
      });
      files = gated(() => gatedCmi5Files({ cmi5: manifest, launchPageUrl, token, entry: live.entry }));
    } else {
      if (!deps.stubScript)
        throw new GatekeeperError('internal_error', 'No stub script to put in SCORM packages');
      const stubScript = await deps.stubScript();
      files = gated(() =>
        gatedScormFiles({
          manifest,
          standard: format,
          gatekeeperUrl,
          token,
          stubScript,
          title: course.title,
        }),
      );
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

/** What the packager refuses in a deployment's manifest is a fact about that deployment: 409 with the reason. */
function gated<T>(build: () => T): T {
  try {
    return build();
  } catch (err) {
    if (err instanceof FormatError)
      throw new GatekeeperError(
        'deployment_not_packageable',
        `This deployment cannot be gated: ${err.message}`,
      );
    throw err;
  }
}
