import type { DashboardUser } from '../dashboard/dashboard-types.js';
import { Csrf, fmtTime } from '../dashboard/layout.js';
import type { Deployment } from '../db/deployments.js';
import { EXPORT_FORMATS } from '../deployments/pages.js';

/** A deployment as the dashboard names it: its version label first, its id second. */
export const DeploymentName = (props: { id: string | null; labels: ReadonlyMap<string, string> }) =>
  props.id === null ? (
    <>—</>
  ) : (
    <>
      <strong class="label">{props.labels.get(props.id) ?? 'deleted'}</strong> <code>{props.id}</code>
    </>
  );

/** A course's deployments, newest first: label and message, status, preview and export, promote. */
export const DeploymentsTable = (props: {
  base: string;
  user: DashboardUser;
  course: { id: string; liveDeploymentId: string | null };
  deployments: readonly Deployment[];
  labels: ReadonlyMap<string, string>;
  may: { promote: boolean; export: boolean; preview: boolean };
}) => {
  const { course, user, labels } = props;
  const action = `${props.base}/courses/${encodeURIComponent(course.id)}`;
  return (
    <section class="table-wrap" tabindex={0} aria-label="Deployments">
      <table class="responsive" id="deployments">
        <thead>
          <tr>
            <th scope="col">Version</th>
            <th scope="col">Message</th>
            <th scope="col">Status</th>
            <th scope="col">Created</th>
            <th scope="col">Files</th>
            <th scope="col">Preview and export</th>
            <th scope="col">Promote</th>
          </tr>
        </thead>
        <tbody>
          {props.deployments.map((d) => {
            const live = d.id === course.liveDeploymentId;
            const label = labels.get(d.id) ?? d.id;
            return (
              <tr>
                <td data-label="Version">
                  <DeploymentName id={d.id} labels={labels} />
                </td>
                <td data-label="Message">{d.message ?? '—'}</td>
                <td data-label="Status" class={live ? 'status-live' : ''}>
                  {live ? 'live' : d.status}
                </td>
                <td data-label="Created">{fmtTime(d.createdAt)}</td>
                <td data-label="Files" class="num">
                  {(JSON.parse(d.files) as unknown[]).length}
                </td>
                <td data-label="Preview and export">
                  {props.may.preview && d.finalizedAt !== null && (
                    <form
                      class="inline"
                      method="post"
                      action={`${action}/deployments/${encodeURIComponent(d.id)}/preview`}
                    >
                      <Csrf user={user} />
                      <button type="submit" class="secondary">
                        Preview link <span class="sr-only">{label}</span>
                      </button>
                    </form>
                  )}
                  {props.may.export && d.finalizedAt !== null && (
                    <span class="exports">
                      {EXPORT_FORMATS.map((f) => (
                        <a
                          class="button-link"
                          href={`${action}/export?${new URLSearchParams({ deployment: d.id, format: f.id })}`}
                          download=""
                        >
                          {f.label} <span class="sr-only">export of {d.id}</span>
                        </a>
                      ))}
                    </span>
                  )}
                </td>
                <td data-label="Promote">
                  {props.may.promote && !live && d.finalizedAt !== null && (
                    <form class="inline" method="post" action={`${action}/promote`}>
                      <Csrf user={user} />
                      <input type="hidden" name="deployment" value={d.id} />
                      <input type="hidden" name="expectedLive" value={course.liveDeploymentId ?? ''} />
                      <label for={`reason-${d.id}`}>Reason</label>
                      <input id={`reason-${d.id}`} name="reason" required maxlength={500} />
                      <button type="submit">
                        Promote <span class="sr-only">{label}</span>
                      </button>
                    </form>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
};
