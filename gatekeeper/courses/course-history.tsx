import { fmtTime } from '../dashboard/layout.js';
import type { courseHistory } from '../deployments/queries.js';
import { DeploymentName } from './deployments-table.js';

/** Promotions and rollbacks of a course, newest first, each deployment by its label and message. */
export const CourseHistory = (props: {
  events: Awaited<ReturnType<typeof courseHistory>>;
  labels: ReadonlyMap<string, string>;
  messages: ReadonlyMap<string, string | null>;
}) => {
  const Named = (p: { id: string | null }) => (
    <>
      <DeploymentName id={p.id} labels={props.labels} />
      {p.id !== null && props.messages.get(p.id) && <span class="hint"> “{props.messages.get(p.id)}”</span>}
    </>
  );
  return (
    <section class="table-wrap" tabindex={0} aria-label="Audit history">
      <table class="responsive" id="audit">
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Who</th>
            <th scope="col">Action</th>
            <th scope="col">From</th>
            <th scope="col">To</th>
            <th scope="col">Reason</th>
          </tr>
        </thead>
        <tbody>
          {props.events.map((a) => (
            <tr>
              <td data-label="When">{fmtTime(a.at)}</td>
              <td data-label="Who">{a.actorEmail ?? a.actor}</td>
              <td data-label="Action">{a.action}</td>
              <td data-label="From">
                <Named id={a.from} />
              </td>
              <td data-label="To">
                <Named id={a.to} />
              </td>
              <td data-label="Reason">{a.reason}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
};
