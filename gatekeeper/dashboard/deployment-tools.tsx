import { Hono } from 'hono';
import { can } from '../auth/permissions.js';
import { newId } from '../crypto.js';
import { getCourse } from '../db/courses.js';
import { getDeployment } from '../db/deployments.js';
import { signPreview } from '../deployments/preview-token.js';
import { insertPreviewLink } from '../deployments/queries.js';
import { GatekeeperError } from '../errors.js';
import { PREVIEW_PATH } from '../routes/deployments.js';
import { type DashboardContext, type DashboardDeps, type DashboardEnv, userOf } from './context.js';
import { fmtTime, Layout } from './layout.js';
import { render } from './render.js';

export const EXPORT_FORMATS = [
  { id: 'scorm12', label: 'SCORM 1.2' },
  { id: 'scorm2004', label: 'SCORM 2004' },
  { id: 'cmi5', label: 'cmi5' },
] as const;
type Format = (typeof EXPORT_FORMATS)[number]['id'];

/** A preview link lives a day, like the API's default. */
const PREVIEW_SECONDS = 86_400;

/** Export buttons and preview links of a course's deployments, through the deployment module. */
export function deploymentTools(deps: DashboardDeps) {
  const app = new Hono<DashboardEnv>();
  const base = deps.basePath;

  const load = async (
    c: DashboardContext,
    action: 'deployments:read' | 'deployments:write',
    ref?: string,
  ) => {
    const user = userOf(c);
    if (!can(user.role, action)) throw new GatekeeperError('forbidden', `Your role may not ${action}`);
    const course = await getCourse(deps.db, user.orgId, c.req.param('id') ?? '');
    const deployment = ref ? await getDeployment(deps.db, user.orgId, ref) : undefined;
    if (!course || !deployment || deployment.courseId !== course.id)
      throw new GatekeeperError('deployment_not_found', 'No such deployment of this course');
    return { user, course, deployment };
  };

  app.get('/courses/:id/export', async (c) => {
    const storage = deps.storage;
    const exportPackage = deps.exportPackage;
    if (!storage || !exportPackage)
      throw new GatekeeperError('feature_unavailable', 'This Gatekeeper does not export packages');
    const format = EXPORT_FORMATS.find((f) => f.id === c.req.query('format'))?.id as Format | undefined;
    if (!format) throw new GatekeeperError('invalid_request', 'Choose SCORM 1.2, SCORM 2004 or cmi5');
    const { course, deployment } = await load(c, 'deployments:read', c.req.query('deployment'));
    const body = exportPackage(storage, course, deployment, format);
    return new Response(body, {
      status: 200,
      headers: {
        'content-type': 'application/zip',
        'content-disposition': `attachment; filename="${course.slug}-${format}.zip"`,
        'cache-control': 'no-store',
      },
    });
  });

  app.post('/courses/:id/deployments/:deployment/preview', async (c) => {
    if (!deps.previewSecret)
      throw new GatekeeperError('feature_unavailable', 'Previews need content storage');
    const { user, course, deployment } = await load(c, 'deployments:write', c.req.param('deployment'));
    if (deployment.finalizedAt === null)
      throw new GatekeeperError('deployment_not_finalized', 'The deployment is not finalized yet');
    const now = deps.now().getTime();
    const expires = Math.floor(now / 1000) + PREVIEW_SECONDS;
    const id = newId('pvw');
    await insertPreviewLink(deps.db, {
      id,
      orgId: user.orgId,
      deploymentId: deployment.id,
      expiresAt: expires * 1000,
      createdBy: user.memberId,
      createdAt: now,
      revokedAt: null,
    });
    const url = `${deps.config.publicUrl}${PREVIEW_PATH}/${signPreview(id, expires, await deps.previewSecret())}`;
    return render(
      c,
      <Layout base={base} title="Preview link" user={user}>
        <p>
          Anyone with this link can open deployment <code>{deployment.id}</code> of {course.title} until{' '}
          {fmtTime(expires * 1000)} UTC:
        </p>
        <p>
          <a class="token" id="preview-url" href={url} rel="noopener noreferrer" target="_blank">
            {url}
          </a>
        </p>
        <p>
          Revoke it early with <code>coursegate preview {id} --revoke</code>.{' '}
          <a href={`${base}/courses/${encodeURIComponent(course.id)}`}>Back to the course</a>
        </p>
      </Layout>,
    );
  });

  return app;
}
