/**
 * Reports the session's outcome elements to `POST {gatekeeper}/v1/sessions/report` with the session
 * token, so content without a runtime of its own still gets a completion record. Each report is the whole
 * outcome so far, numbered, so the Gatekeeper keeps the latest however they arrive; an unchanged outcome
 * is not sent again. `keepalive` lets the one sent at `pagehide` outlive the page.
 */
export function createReporter(
  fetchFn: typeof fetch,
  gatekeeper: string,
  token: string,
): (outcome: Record<string, string>) => void {
  let seq = 0;
  let last = '{}';
  return (outcome) => {
    const cmi = JSON.stringify(outcome);
    if (cmi === last) return;
    last = cmi;
    fetchFn(`${gatekeeper.replace(/\/+$/, '')}/v1/sessions/report`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: `{"seq":${++seq},"cmi":${cmi}}`,
      keepalive: true,
      credentials: 'omit',
      referrerPolicy: 'no-referrer',
    }).catch(() => {});
  };
}
