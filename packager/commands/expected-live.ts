import type { ExpectedLive, LiveChangedDetails } from '../../protocol/api/deployments.js';
import type { ApiCall, CodeTexts } from './api-client.js';

/** What `--expect-live` takes for "no deployment is live yet", as the API's `If-Match` does. */
export const NO_LIVE = 'none';

export const EXPECT_LIVE_HELP =
  `the deployment you saw live (from "coursegate history"), or "${NO_LIVE}"; the change happens only ` +
  'if it is still live (default: the one live when the command starts)';

/**
 * The live deployment a promote or rollback changes from: the user's `--expect-live`, else the one
 * live when the command reads the course. Either way the Gatekeeper moves the pointer only from it.
 */
export async function expectedLive(
  api: ApiCall,
  course: string,
  option: string | undefined,
): Promise<ExpectedLive> {
  if (option !== undefined) return option === NO_LIVE ? null : option;
  return (await api('GET /v1/courses/:id', { params: { id: course } })).liveDeploymentId;
}

/**
 * The text for `409 live_changed`, built from the answer's details (never from its message): what is
 * live now, and how to go on.
 */
export function liveChangedTexts(course: string): CodeTexts {
  return {
    live_changed: (details) => {
      const { live, expected } = details as LiveChangedDetails;
      const name = (id: string | null) => (id === null ? 'no deployment' : id);
      return (
        `Nothing was changed: the live deployment of course "${course}" changed meanwhile. ` +
        `Live now: ${name(live)} (you expected ${name(expected)}). ` +
        `See who changed it with "coursegate history ${course}"; if your change still applies, ` +
        `run the command again with --expect-live ${live ?? NO_LIVE}.`
      );
    },
  };
}
