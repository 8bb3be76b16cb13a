import type { ExpectedLive, LiveChangedDetails } from '../../protocol/api/deployments.js';
import type { ApiCall, CodeTexts } from './api-client.js';

/** What `--expect-live` takes for "no deployment is live yet", as the API's `If-Match` does. */
export const NO_LIVE = 'none';

export const EXPECT_LIVE_HELP =
  `the deployment you saw live or on the channel (from "coursegate history"), or "${NO_LIVE}"; the change ` +
  'happens only if it is still there (default: the one there when the command starts)';

export const CHANNEL_HELP = 'the release channel to move (default: live); see "coursegate channels list"';

/**
 * The live deployment a promote or rollback changes from: the user's `--expect-live`, else the one
 * live when the command reads the course. Either way the Gatekeeper moves the pointer only from it.
 */
export async function expectedLive(
  api: ApiCall,
  course: string,
  option: string | undefined,
  channel?: string | undefined,
): Promise<ExpectedLive> {
  if (option !== undefined) return option === NO_LIVE ? null : option;
  if (channel === undefined || channel === 'live')
    return (await api('GET /v1/courses/:id', { params: { id: course } })).liveDeploymentId;
  // A channel the course lacks: null here, and the change itself answers `channel_not_found`.
  const { channels } = await api('GET /v1/courses/:id/channels', { params: { id: course } });
  return channels.find((c) => c.name === channel)?.deploymentId ?? null;
}

/** The text for `404 channel_not_found`, naming the flag's value and how to see the channels. */
export function channelTexts(course: string, channel: string | undefined): CodeTexts {
  return {
    channel_not_found: `Course "${course}" has no channel "${channel}"; see them with "coursegate channels list ${course}"`,
  };
}

/**
 * The text for `409 live_changed`, built from the answer's details (never from its message): what is
 * live now, and how to go on.
 */
export function liveChangedTexts(course: string, channel?: string | undefined): CodeTexts {
  const named = channel !== undefined && channel !== 'live';
  return {
    live_changed: (details) => {
      const { live, expected } = details as LiveChangedDetails;
      const name = (id: string | null) => (id === null ? 'no deployment' : id);
      return (
        `Nothing was changed: ${named ? `channel "${channel}"` : 'the live deployment'} of course "${course}" changed meanwhile. ` +
        `${named ? 'On it' : 'Live'} now: ${name(live)} (you expected ${name(expected)}). ` +
        `See who changed it with "coursegate history ${course}${named ? ` --channel ${channel}` : ''}"; if your change still applies, ` +
        `run the command again with --expect-live ${live ?? NO_LIVE}.`
      );
    },
  };
}
