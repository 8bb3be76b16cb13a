/** Statement forwarding to a course's LRS (docs/integrations.md, "Statement forwarding"). */

export interface SetForwardingBody {
  /** The LRS's xAPI base URL (statements go to `<endpoint>/statements`). */
  endpoint: string;
  /** Basic credentials; stored encrypted, never shown again. */
  username: string;
  password: string;
}

/** A course's target, its backlog and its last error; never the credentials. Times are ISO 8601. */
export interface ForwardingJson {
  courseId: string;
  endpoint: string;
  /** Statements and completion records queued and not yet taken by the LRS. */
  backlog: number;
  delivered: number;
  /** Statements the LRS refused as invalid (400): counted, not retried. */
  rejected: number;
  /** Failed attempts in a row (0 when the last one went through). */
  attempts: number;
  lastAttemptAt: string | null;
  lastStatus: number | null;
  lastError: string | null;
  lastErrorAt: string | null;
  nextAttemptAt: string | null;
  updatedAt: string;
}
