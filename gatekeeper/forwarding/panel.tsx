import { fmtTime } from '../dashboard/layout.js';
import type { ForwardingStatus } from './service.js';

/**
 * The course page's statement-forwarding section (docs/integrations.md, "Statement forwarding"): the LRS,
 * the backlog and the last error, for owners; set and cleared with the API or `coursegate forwarding`.
 */
export function ForwardingPanel(props: { status: ForwardingStatus | undefined }) {
  const s = props.status;
  return (
    <>
      <h2>Statement forwarding</h2>
      {!s ? (
        <p id="forwarding">
          Not forwarded to an LRS: set one with <code>coursegate forwarding set</code>.
        </p>
      ) : (
        <dl class="card" id="forwarding">
          <dt>LRS</dt>
          <dd>
            <code>{s.endpoint}</code>
          </dd>
          <dt>Backlog</dt>
          <dd id="forwarding-backlog">{s.backlog}</dd>
          <dt>Delivered</dt>
          <dd>{s.delivered}</dd>
          <dt>Refused by the LRS</dt>
          <dd>{s.rejected}</dd>
          <dt>Last error</dt>
          <dd id="forwarding-error">{s.lastError ? `${fmtTime(s.lastErrorAt)}: ${s.lastError}` : 'none'}</dd>
          {s.nextAttemptAt !== null && (
            <>
              <dt>Next try</dt>
              <dd>
                {fmtTime(s.nextAttemptAt)} (after {s.attempts} failed)
              </dd>
            </>
          )}
        </dl>
      )}
    </>
  );
}
