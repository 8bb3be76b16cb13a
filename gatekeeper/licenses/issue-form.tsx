import type { DashboardUser } from '../dashboard/dashboard-types.js';
import { Csrf } from '../dashboard/layout.js';
import type { CapPeriod } from '../db/licenses.js';
import { GatekeeperError } from '../errors.js';
import { field, parseDay, parseOrigins } from './license-view.js';
import { type IssueLicense, MAX_CLIENT_NAME, MAX_LICENSE_NOTES } from './service.js';

const PERIODS: { id: CapPeriod; label: string }[] = [
  { id: 'month', label: 'per month' },
  { id: 'day', label: 'per day' },
  { id: 'total', label: 'in total' },
];

/** Everything the API and `coursegate licenses create` take: course, client, origins, start, expiry, cap, notes. */
export const IssueForm = (props: {
  base: string;
  user: DashboardUser;
  courses: readonly { id: string; title: string }[];
}) => (
  <details class="card">
    <summary>Issue a license</summary>
    <form class="stack" method="post" action={`${props.base}/licenses`}>
      <Csrf user={props.user} />
      <div>
        <label for="course">Course</label>
        <select id="course" name="courseId" required>
          {props.courses.map((x) => (
            <option value={x.id}>{x.title}</option>
          ))}
        </select>
      </div>
      <div>
        <label for="client">Client name</label>
        <input id="client" name="clientName" required maxlength={MAX_CLIENT_NAME} />
      </div>
      <div>
        <label for="origins">
          Allowed LMS origins <span class="hint">(optional, space separated)</span>
        </label>
        <input id="origins" name="allowedOrigins" />
      </div>
      <div>
        <label for="starts">
          Starts <span class="hint">(optional, 00:00 UTC that day)</span>
        </label>
        <input id="starts" name="startsAt" type="date" />
      </div>
      <div>
        <label for="expires">
          Expires <span class="hint">(optional, end of that day UTC)</span>
        </label>
        <input id="expires" name="expiresAt" type="date" />
      </div>
      <div>
        <label for="cap">
          Launch cap <span class="hint">(optional, allowed launches)</span>
        </label>
        <input id="cap" name="capLimit" type="number" min={1} step={1} inputmode="numeric" />
      </div>
      <div>
        <label for="cap-period">Cap period</label>
        <select id="cap-period" name="capPeriod">
          {PERIODS.map((p) => (
            <option value={p.id}>{p.label}</option>
          ))}
        </select>
      </div>
      <div>
        <label for="notes">
          Notes <span class="hint">(optional, only operators see them)</span>
        </label>
        <textarea id="notes" name="notes" rows={3} maxlength={MAX_LICENSE_NOTES} />
      </div>
      <button type="submit">Issue</button>
    </form>
  </details>
);

/** The issue form as the service's input; the service judges names, origins and dates. */
export function issueInput(body: Record<string, unknown>): IssueLicense {
  const capText = field(body.capLimit);
  const limit = capText === '' ? null : Number(capText);
  if (limit !== null && !(Number.isInteger(limit) && limit >= 1))
    throw new GatekeeperError(
      'invalid_request',
      'Give the launch cap as a whole number of launches, at least 1',
    );
  const period = PERIODS.find((p) => p.id === field(body.capPeriod))?.id ?? 'month';
  return {
    courseId: field(body.courseId),
    clientName: field(body.clientName),
    allowedOrigins: parseOrigins(field(body.allowedOrigins)),
    startsAt: parseDay(field(body.startsAt), 'start', 'start'),
    expiresAt: parseDay(field(body.expiresAt), 'end', 'expiry'),
    launchCap: limit === null ? null : { limit, period },
    notes: field(body.notes),
  };
}
