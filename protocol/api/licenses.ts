/** Wire bodies of `/v1/licenses` (docs/gatekeeper.md, "Licenses"). */

export interface LaunchCap {
  limit: number;
  period: 'day' | 'month' | 'total';
}

export interface LicenseJson {
  id: string;
  orgId: string;
  courseId: string;
  clientName: string;
  allowedOrigins: string[];
  startsAt: string | null;
  expiresAt: string | null;
  launchCap: LaunchCap | null;
  notes: string;
  /** What an owner set: revoked or not. */
  status: 'active' | 'revoked';
  /** What a launch meets now: revoked, then not started, then expired. */
  state: 'active' | 'revoked' | 'expired' | 'not_started';
  createdAt: string;
  revokedAt: string | null;
  /**
   * Its token may have been handed out signed by a key `admin retire-signing-key` withdrew: packages
   * made before then are refused (`signing_key_retired`) until the license is reissued.
   */
  signingKeyRetired: boolean;
  /** The named channel it follows (its id); null with no pin: the live deployment (docs/deployments.md). */
  channelId: string | null;
  /** The one deployment it launches whatever the channels do; wins over `channelId`. */
  pinnedDeploymentId: string | null;
}

/** `POST /v1/licenses/:id/follow`: a channel (default `live`) or one finalized deployment to pin, and why. */
export interface FollowLicenseBody {
  channel?: string;
  deployment?: string;
  reason: string;
}

/** What a license launches: a channel of its course, or one pinned deployment. */
export type LicenseFollows = { channel: string } | { deployment: string };

/**
 * A license in the list, with why an operator should look at it now: it expires within 14 days, or its
 * launches reached 80 % of its cap (`gatekeeper/licenses/flags.ts`), each in words; empty when neither.
 */
export interface LicenseListItem extends LicenseJson {
  flags: string[];
}

/** A license with its current token (issue, get, reissue). */
export interface LicenseWithToken {
  license: LicenseJson;
  token: string;
}

export interface CreateLicenseBody {
  courseId: string;
  clientName: string;
  allowedOrigins?: string[] | undefined;
  /** ISO 8601; null: no start or no expiry. */
  startsAt?: string | null | undefined;
  expiresAt?: string | null | undefined;
  launchCap?: LaunchCap | null | undefined;
  notes?: string | undefined;
}

/** Revoke, unrevoke, reissue: the reason goes to the audit log. */
export interface LicenseReasonBody {
  reason?: string | undefined;
}

export interface ExtendLicenseBody extends LicenseReasonBody {
  /** ISO 8601; null: never expires. */
  expiresAt: string | null;
}
