/**
 * Wire bodies of the organisation routes: `/v1/org`, `/v1/members`, `/v1/keys` (docs/gatekeeper.md,
 * "API"). Dates are ISO 8601 strings; secrets appear only in the answer that creates them.
 */

export type MemberRole = 'owner' | 'member';

/** `GET /v1/org`: the caller's organisation and who the caller is in it. */
export interface OrgJson {
  id: string;
  name: string;
  createdAt: string;
  you: { memberId: string; role: MemberRole };
}

export interface MemberJson {
  id: string;
  email: string;
  name: string | null;
  role: MemberRole;
  hasPassword: boolean;
  createdAt: string;
}

export interface AddMemberBody {
  email: string;
  name?: string | undefined;
  role: MemberRole;
  password?: string;
}

/** An API key as listed: never its secret. */
export interface ApiKeyJson {
  id: string;
  memberId: string;
  name: string;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface CreateApiKeyBody {
  name: string;
  /** The member who owns the key; default the caller. */
  memberId?: string | undefined;
}

/** `POST /v1/keys`: the secret, shown only in this answer. */
export interface CreatedApiKey {
  key: string;
  apiKey: ApiKeyJson;
}
