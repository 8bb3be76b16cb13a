/**
 * Wire bodies of deployments, promotion, rollback, history and preview links (docs/deployments.md). The
 * plan's request and answer are the deploy wire (protocol/deploy.ts).
 */
import type { DeploymentMetadata } from '../deploy.js';

export type DeploymentStatus = 'uploading' | 'staged' | 'live' | 'retired';

export interface DeploymentJson {
  id: string;
  courseId: string;
  status: DeploymentStatus;
  entry: string;
  message: string | null;
  fileCount: number;
  bytes: number;
  metadata: DeploymentMetadata;
  /** The member who deployed; null once they are removed. */
  createdBy: string | null;
  createdAt: string;
  finalizedAt: string | null;
  /** The entry page on the content origin. */
  contentUrl: string;
}

/**
 * The live deployment the sender saw, null for none yet: the change happens only from that state, else
 * `409 live_changed` (with `details: LiveChangedDetails`). The wire also takes it as `If-Match: "<id>"`
 * (`"none"` for none); a request with neither is `428 expected_live_required`.
 */
export type ExpectedLive = string | null;

export interface PromoteBody {
  deployment: string;
  /** The channel to move (docs/deployments.md, "Channels"); default `live`. */
  channel?: string;
  /** Required; blank counts as missing (`reason_required`). */
  reason: string;
  expectedLive: ExpectedLive;
}

export interface RollbackBody {
  /** The channel to move back; default `live`. */
  channel?: string;
  /** Default: the deployment on the channel before the current one was promoted. */
  to?: string | undefined;
  reason: string;
  expectedLive: ExpectedLive;
}

/** `details` of a `409 live_changed` answer: what is live now, and what the request expected. */
export interface LiveChangedDetails {
  live: string | null;
  expected: string | null;
}

/** What a promotion or a rollback did: the audit event it wrote. */
export interface PointerMove {
  from: string | null;
  to: string;
  at: string;
  action: 'deployment.promote' | 'deployment.rollback';
  reason: string;
  /** The channel moved: `live` or a named one. */
  channel: string;
}

export interface HistoryEvent {
  at: string;
  /** The member's email, or their id (`cli` for operator actions) when they are gone. */
  actor: string;
  action: 'promote' | 'rollback';
  from: string | null;
  to: string | null;
  reason: string;
}

/** `GET /v1/courses/:id/history`: newest first, of one channel (`?channel=`, default `live`). */
export interface CourseHistory {
  course: { id: string; slug: string; liveDeploymentId: string | null };
  channel: string;
  events: HistoryEvent[];
}

export interface CreatePreviewBody {
  /** Seconds, 60 to 30 days; default one day. */
  expiresIn?: number;
}

export interface PreviewLinkJson {
  id: string;
  deploymentId: string;
  /** The public link: `{publicUrl}/preview/<signed token>`. */
  url: string;
  expiresAt: string;
}

export interface RevokedPreview {
  id: string;
  revokedAt: string;
}

/** One channel of a course (`GET /v1/courses/:id/channels`), with the licenses that launch from it. */
export interface ChannelJson {
  name: string;
  deploymentId: string | null;
  licenses: { id: string; clientName: string }[];
}

/** `GET /v1/courses/:id/channels`: `live` first, then the named channels; and the pinned licenses. */
export interface CourseChannels {
  channels: ChannelJson[];
  pinned: { id: string; clientName: string; deploymentId: string }[];
}
