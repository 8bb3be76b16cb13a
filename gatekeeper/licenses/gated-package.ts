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
import type { Database } from '../db/database.js';
import { type Deployment, getDeployment } from '../db/deployments.js';
import { publishCmi5LaunchPage } from '../deployments/cmi5-launch-page.js';
import { exportManifest } from '../deployments/export-manifest.js';
import { deploymentKey } from '../deployments/keys.js';
import { PLAYER_DIR } from '../deployments/player-files.js';
import { filesOf } from '../deployments/queries.js';
import { GatekeeperError } from '../errors.js';
import { principalOf } from '../http/app-types.js';
import { AUTH_ERRORS, CONFLICT, IdParams } from '../http/openapi-schemas.js';
import { createRouter } from '../http/router.js';
import { zipDownload } from '../http/zip-download.js';
import { orgContentBase } from '../orgs/org-content-base.js';
import type { Storage } from '../storage/types.js';
import type { TokenService } from '../tokens.js';
import { loadLicense } from './service.js';

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

/** Where the built scripts a gated package carries come from: dist/ on Node, the bucket on the Worker. */
export interface GatedPackageScripts {
  /** The built stub (`dist/stub/stub.js`) SCORM packages carry. Without it only cmi5 packages are built. */
  stubScript?: () => Promise<Uint8Array>;
  /**
   * The built cmi5 launch page script (`dist/cmi5-launch/cmi5-launch.js`) every gated cmi5 AU opens
   * through. Without it only SCORM packages are built.
   */
  cmi5LaunchScript?: () => Promise<string>;
}

export interface GatedPackageDeps extends GatedPackageScripts {
  db: Database;
  tokens: TokenService;
  config: { publicUrl: string; contentUrl: string; orgContentUrl?: string | undefined };
  storage?: Storage | undefined;
}

/** The scripts gated packages carry, in the shape `createApp({ gatedPackages })` takes. */
export function withStubScript(
  stubScript: () => Promise<Uint8Array>,
  cmi5LaunchScript: () => Promise<string>,
): GatedPackageScripts {
  return { stubScript, cmi5LaunchScript };
}

/**
 * The gated package of a license of the actor's org (docs/gated-delivery.md), one copy for
 * `GET /v1/licenses/:id/package` and the dashboard's download (docs/architecture.md, "Services"): the
 * original package of the course's live deployment with only the launch rewired. SCORM, the manifest byte
 * for byte plus a stub page at each launched path; cmi5, `cmi5.xml` with each AU's url on the course's
 * launch page on the org's content origin (`{org content URL}/courses/<course>/_coursegate/cmi5-launch.html`),
 * which this (re)writes to storage. SCORM 1.2 unless asked otherwise: the one every LMS imports.
 *
 * @example
 * const { filename, bytes } = await buildGatedPackage(deps, principal, { license: 'lic_1', format: 'cmi5' });
 */
export async function buildGatedPackage(
  deps: GatedPackageDeps,
  actor: { orgId: string; memberId: string },
  input: { license: string; format?: string | undefined },
): Promise<{ filename: string; bytes: Uint8Array<ArrayBuffer> }> {
  const license = await loadLicense(deps, actor, input.license);
  const format = (input.format ?? 'scorm12') as GatedFormat;
  if (!FORMATS.includes(format))
    throw new GatekeeperError('invalid_request', 'format: use scorm12, scorm2004 or cmi5');
  const course = await getCourse(deps.db, actor.orgId, license.courseId);
  if (!course) throw new GatekeeperError('course_not_found', 'No such course');
  const live = course.liveDeploymentId
    ? await getDeployment(deps.db, actor.orgId, course.liveDeploymentId)
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
      contentUrl: await orgContentBase(deps, course.orgId),
      gatekeeperUrl,
      script: await deps.cmi5LaunchScript(),
    });
    files = gated(() => gatedCmi5Files({ cmi5: manifest, launchPageUrl, token, entry: live.entry }));
  } else {
    if (!deps.stubScript)
      throw new GatekeeperError('internal_error', 'No stub script to put in SCORM packages');
    const stubScript = await deps.stubScript();
    // Where the launch answer will point while this deployment stays live (launch/check.ts, `contentBase`).
    const player = `${await orgContentBase(deps, course.orgId)}/courses/${course.id}/${live.id}/${PLAYER_DIR}/player.html`;
    files = gated(() =>
      gatedScormFiles({
        manifest,
        standard: format,
        gatekeeperUrl,
        token,
        stubScript,
        title: course.title,
        player,
      }),
    );
  }
  const bytes = new Uint8Array(
    await new Response(zipStream(files.map((f) => ({ ...f, open: () => f.bytes })))).arrayBuffer(),
  );
  return { filename: `${course.slug}-${format}-gated.zip`, bytes };
}

/** `GET /v1/licenses/:id/package?format=scorm12|scorm2004|cmi5`: the gated package an LMS admin uploads. */
export function gatedPackageRoutes(deps: GatedPackageDeps) {
  const app = createRouter();
  // Written by hand (it streams a zip); `/openapi.json` still describes it.
  app.openAPIRegistry.registerPath(packageRoute);
  app.get('/:id/package', requireRole('licenses:package'), async (c) => {
    const { filename, bytes } = await buildGatedPackage(deps, principalOf(c), {
      license: c.req.param('id'),
      format: c.req.query('format'),
    });
    return zipDownload(bytes, filename);
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
