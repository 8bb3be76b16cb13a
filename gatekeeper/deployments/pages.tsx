import { Hono } from 'hono';
import { can } from '../auth/permissions.js';
import { loadCourse } from '../courses/service.js';
import {
  type DashboardContext,
  type DashboardDeps,
  type DashboardEnv,
  userOf,
} from '../dashboard/dashboard-types.js';
import { fmtTime, Layout } from '../dashboard/layout.js';
import { render } from '../dashboard/render.js';
import { GatekeeperError } from '../errors.js';
import { zipDownload } from '../http/zip-download.js';
import { createPreview } from '../previews/service.js';
import { exportCourse } from './service.js';

export const EXPORT_FORMATS = [
  { id: 'scorm12', label: 'SCORM 1.2' },
  { id: 'scorm2004', label: 'SCORM 2004' },
  { id: 'cmi5', label: 'cmi5' },
] as const;

/** Export buttons and preview links of a course's deployments, through the deployment services. */
export function deploymentPages(deps: DashboardDeps) {
  const app = new Hono<DashboardEnv>();
  const base = deps.basePath;

  const allowed = (c: DashboardContext, action: 'deployments:read' | 'deployments:write') => {
    const user = userOf(c);
    if (!can(user.role, action)) throw new GatekeeperError('forbidden', `Your role may not ${action}`);
    return user;
  };

  app.get('/courses/:id/export', async (c) => {
    const user = allowed(c, 'deployments:read');
    const { filename, body } = await exportCourse(deps, user, {
      course: c.req.param('id'),
      // The page always names one: no name is no deployment, not the live one.
      deployment: c.req.query('deployment') ?? '',
      format: c.req.query('format') ?? '',
    });
    return zipDownload(body, filename);
  });

  app.post('/courses/:id/deployments/:deployment/preview', async (c) => {
    const previewSecret = deps.previewSecret;
    if (!previewSecret) throw new GatekeeperError('feature_unavailable', 'Previews need content storage');
    const user = allowed(c, 'deployments:write');
    const course = await loadCourse(deps, user, c.req.param('id'));
    const { id, url, expiresAt, deploymentId } = await createPreview({ ...deps, previewSecret }, user, {
      course,
      deployment: c.req.param('deployment'),
    });
    return render(
      c,
      <Layout base={base} title="Preview link" user={user}>
        <p>
          Anyone with this link can open deployment <code>{deploymentId}</code> of {course.title} until{' '}
          {fmtTime(expiresAt)} UTC:
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
