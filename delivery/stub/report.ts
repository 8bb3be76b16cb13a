import { SESSION_REPORT_PATH, type SessionReport } from '../../protocol/session-report.js';

/**
 * Reports the session's outcome elements to `POST {gatekeeper}/v1/sessions/report` with the session
 * token, so content without a runtime of its own still gets a completion record. Each report is the whole
 * outcome so far, numbered, so the Gatekeeper keeps the latest however they arrive; an outcome the
 * Gatekeeper already acknowledged is not sent again, and one it did not (network, 401, 5xx) goes again
 * with the next report. `keepalive` lets the one sent at `pagehide` outlive the page.
 */
export function createReporter(
  fetchFn: typeof fetch,
  gatekeeper: string,
  token: string,
): (outcome: SessionReport['cmi']) => void {
  let seq = 0;
  let acked = '{}';
  return (outcome) => {
    const cmi = JSON.stringify(outcome);
    if (cmi === acked) return;
    fetchFn(`${gatekeeper.replace(/\/+$/, '')}${SESSION_REPORT_PATH}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: `{"seq":${++seq},"cmi":${cmi}}`,
      keepalive: true,
      credentials: 'omit',
      referrerPolicy: 'no-referrer',
    })
      .then((res) => {
        if (res.ok) acked = cmi;
      })
      .catch(() => {});
  };
}
