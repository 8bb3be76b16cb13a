import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

/**
 * The Gatekeeper's tables (docs/gatekeeper.md, "Data"). Times are integer milliseconds since the epoch; JSON
 * columns are text. Migrations in `migrations/*.sql` are generated from this file by drizzle-kit.
 */

export const orgs = sqliteTable(
  'orgs',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    createdAt: integer('created_at').notNull(),
    /** The content base URL the operator set for the org (`coursegate admin set-content-url`); null: the template's. */
    contentUrl: text('content_url'),
    /** `URL.host` of `contentUrl`, which the fs content listener routes by. */
    contentHost: text('content_host'),
  },
  (t) => [uniqueIndex('orgs_content_host').on(t.contentHost)],
);

export const members = sqliteTable(
  'members',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id')
      .notNull()
      .references(() => orgs.id),
    email: text('email').notNull(),
    name: text('name'),
    role: text('role', { enum: ['owner', 'member'] }).notNull(),
    /** scrypt, `scrypt$N$r$p$salt$hash`; null until the member sets a password. */
    passwordHash: text('password_hash'),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [uniqueIndex('members_email').on(t.email), index('members_org').on(t.orgId)],
);

export const apiKeys = sqliteTable(
  'api_keys',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id')
      .notNull()
      .references(() => orgs.id),
    memberId: text('member_id')
      .notNull()
      .references(() => members.id),
    name: text('name').notNull(),
    /** First characters of the key, shown in listings so a key can be recognised. */
    prefix: text('prefix').notNull(),
    /** sha256 of the whole key, hex: the key itself is shown once and never stored. */
    hash: text('hash').notNull(),
    createdAt: integer('created_at').notNull(),
    lastUsedAt: integer('last_used_at'),
    revokedAt: integer('revoked_at'),
  },
  (t) => [uniqueIndex('api_keys_hash').on(t.hash), index('api_keys_org').on(t.orgId)],
);

export const courses = sqliteTable(
  'courses',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id')
      .notNull()
      .references(() => orgs.id),
    slug: text('slug').notNull(),
    title: text('title').notNull(),
    /** The deployment launches go to; null until one is promoted. */
    liveDeploymentId: text('live_deployment_id'),
    createdAt: integer('created_at').notNull(),
    /**
     * 1: deployed before each org got a content origin of its own, so the shared origin still serves it
     * (old gated cmi5 packages name it) until the course's next deployment is finalized.
     */
    sharedOrigin: integer('shared_origin').notNull().default(0),
  },
  (t) => [uniqueIndex('courses_org_slug').on(t.orgId, t.slug)],
);

export const deployments = sqliteTable(
  'deployments',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id')
      .notNull()
      .references(() => orgs.id),
    courseId: text('course_id')
      .notNull()
      .references(() => courses.id),
    status: text('status', { enum: ['uploading', 'staged', 'live', 'retired'] }).notNull(),
    /** Path of the entry page inside the deployment, e.g. `index.html`. */
    entry: text('entry').notNull(),
    /** JSON `[{ path, sha256, size }]`. */
    files: text('files').notNull().default('[]'),
    createdBy: text('created_by'),
    createdAt: integer('created_at').notNull(),
    finalizedAt: integer('finalized_at'),
    /** The author's `--message`. */
    message: text('message'),
    /** JSON: course metadata for export (title, masteryScore, …) and, for third-party packages, standard and items. */
    metadata: text('metadata').notNull().default('{}'),
    /** sha256 over the sorted file list: an interrupted deploy of the same content resumes this row. */
    fingerprint: text('fingerprint'),
  },
  (t) => [index('deployments_course').on(t.courseId)],
);

/** Signed, expiring, revocable links to a staged deployment; the signature covers id and expiry. */
export const previewLinks = sqliteTable(
  'preview_links',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id')
      .notNull()
      .references(() => orgs.id),
    deploymentId: text('deployment_id')
      .notNull()
      .references(() => deployments.id),
    expiresAt: integer('expires_at').notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: integer('created_at').notNull(),
    revokedAt: integer('revoked_at'),
  },
  (t) => [index('preview_links_deployment').on(t.deploymentId)],
);

export const auditEvents = sqliteTable(
  'audit_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    orgId: text('org_id')
      .notNull()
      .references(() => orgs.id),
    /** Member id, or `cli` for operator actions on the local data dir. */
    actor: text('actor').notNull(),
    action: text('action').notNull(),
    subject: text('subject').notNull(),
    fromValue: text('from_value'),
    toValue: text('to_value'),
    reason: text('reason').notNull(),
    at: integer('at').notNull(),
  },
  (t) => [index('audit_events_org_at').on(t.orgId, t.at)],
);

export const licenses = sqliteTable(
  'licenses',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id')
      .notNull()
      .references(() => orgs.id),
    courseId: text('course_id')
      .notNull()
      .references(() => courses.id),
    clientName: text('client_name').notNull(),
    /** JSON array of exact origins; empty means any origin. */
    allowedOrigins: text('allowed_origins').notNull().default('[]'),
    startsAt: integer('starts_at'),
    expiresAt: integer('expires_at'),
    launchCap: integer('launch_cap'),
    capPeriod: text('cap_period', { enum: ['day', 'month', 'total'] }),
    notes: text('notes').notNull().default(''),
    status: text('status', { enum: ['active', 'revoked'] }).notNull(),
    /** `jti` of the one token that currently opens this license; reissue replaces it. */
    currentJti: text('current_jti').notNull(),
    /** `iat` (seconds) of the current token, kept so the same token can be shown again. */
    tokenIssuedAt: integer('token_issued_at').notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: integer('created_at').notNull(),
    revokedAt: integer('revoked_at'),
    /** The named channel the license launches; null with no pin: the live deployment (docs/deployments.md). */
    channelId: text('channel_id').references(() => channels.id),
    /** The one finalized deployment the license launches whatever the channels do; wins over `channelId`. */
    pinnedDeploymentId: text('pinned_deployment_id').references(() => deployments.id),
  },
  (t) => [
    // The org's licenses newest first, paged by key (`pageLicenses`); it serves org lookups too.
    index('licenses_org_created').on(t.orgId, t.createdAt),
    index('licenses_course').on(t.courseId),
    index('licenses_channel').on(t.channelId),
    index('licenses_pinned').on(t.pinnedDeploymentId),
    // The outbox's `license.expiring` check reads licenses by expiry (gatekeeper/outbox/alerts.ts).
    index('licenses_expires_at').on(t.expiresAt).where(sql`${t.expiresAt} IS NOT NULL`),
  ],
);

/** A course's named release channel (`beta`, `q3-audited`); `live` is `courses.liveDeploymentId`. */
export const channels = sqliteTable(
  'channels',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id')
      .notNull()
      .references(() => orgs.id),
    courseId: text('course_id')
      .notNull()
      .references(() => courses.id),
    name: text('name').notNull(),
    /** The deployment the channel's licenses launch; null until one is promoted to it. */
    deploymentId: text('deployment_id').references(() => deployments.id),
    createdBy: text('created_by').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [uniqueIndex('channels_course_name').on(t.courseId, t.name)],
);

export const signingKeys = sqliteTable('signing_keys', {
  kid: text('kid').primaryKey(),
  alg: text('alg').notNull(),
  /** Public JWK as JSON; private halves never enter the database. */
  publicJwk: text('public_jwk').notNull(),
  status: text('status', { enum: ['active', 'retired'] }).notNull(),
  createdAt: integer('created_at').notNull(),
  retiredAt: integer('retired_at'),
});

export const sessions = sqliteTable('sessions', {
  /** Anonymous session id: the only learner identity the Gatekeeper holds. */
  id: text('id').primaryKey(),
  orgId: text('org_id').notNull(),
  licenseId: text('license_id').notNull(),
  courseId: text('course_id').notNull(),
  deploymentId: text('deployment_id').notNull(),
  standard: text('standard').notNull(),
  createdAt: integer('created_at').notNull(),
  expiresAt: integer('expires_at').notNull(),
});

export const launchEvents = sqliteTable(
  'launch_events',
  {
    // Plain rowid, not AUTOINCREMENT: no sqlite_sequence write on every launch.
    id: integer('id').primaryKey(),
    /** Null when the token did not verify: nothing in it can be trusted. */
    licenseId: text('license_id'),
    orgId: text('org_id'),
    allowed: integer('allowed', { mode: 'boolean' }).notNull(),
    /** `ok` or the error code the launch answered with. */
    reason: text('reason').notNull(),
    /** Finer cause for operators, e.g. which token check failed. */
    detail: text('detail'),
    origin: text('origin'),
    standard: text('standard'),
    sessionId: text('session_id'),
    at: integer('at').notNull(),
  },
  (t) => [
    // The cap counts through it; the license-filtered log reads through it.
    index('launch_events_license_at').on(t.licenseId, t.allowed, t.at),
    // The org's launch log, newest first, by key (gatekeeper/logs/launch-reads.ts).
    index('launch_events_org_at').on(t.orgId, t.at),
    // Refused launches only, which the outbox's `launch.denied` check walks; an allowed launch never
    // writes it (gatekeeper/outbox/launch-denied.ts).
    index('launch_events_denied').on(t.id).where(sql`${t.allowed} = 0`),
  ],
);

export const statements = sqliteTable(
  'statements',
  {
    id: text('id').primaryKey(),
    sessionId: text('session_id').notNull(),
    orgId: text('org_id').notNull(),
    courseId: text('course_id').notNull(),
    verb: text('verb').notNull(),
    body: text('body').notNull(),
    storedAt: integer('stored_at').notNull(),
    deploymentId: text('deployment_id'),
  },
  (t) => [
    // Each read's filter, then its (stored_at, rowid) order: `GET /xapi/statements` pages by key.
    index('statements_session_stored').on(t.sessionId, t.storedAt),
    index('statements_course_stored').on(t.courseId, t.storedAt),
    index('statements_org_stored').on(t.orgId, t.storedAt),
    index('statements_org_verb_stored').on(t.orgId, t.verb, t.storedAt),
  ],
);

export const completions = sqliteTable(
  'completions',
  {
    sessionId: text('session_id').primaryKey(),
    orgId: text('org_id').notNull(),
    courseId: text('course_id').notNull(),
    completed: integer('completed', { mode: 'boolean' }).notNull().default(sql`0`),
    /** Success: null until a pass or fail is known. */
    passed: integer('passed', { mode: 'boolean' }),
    /** Raw score as reported (a decimal is kept as one: SQLite's integer affinity keeps a real that is not whole). */
    score: integer('score'),
    updatedAt: integer('updated_at').notNull(),
    deploymentId: text('deployment_id'),
    /** Scaled score as reported, or for SCORM 1.2 worked out from raw over its range (docs/telemetry.md, "Scores"). */
    scoreScaled: real('score_scaled'),
    /** 0..1. */
    progress: real('progress'),
    durationMs: integer('duration_ms'),
    /** `seq` of the last launch-stub report applied (`POST /v1/sessions/report`); null without one. */
    reportSeq: integer('report_seq'),
    /** The raw score's range as reported; null when it was not (migration 0008). */
    scoreMin: real('score_min'),
    scoreMax: real('score_max'),
  },
  (t) => [
    index('completions_course_updated').on(t.courseId, t.updatedAt),
    index('completions_org_updated').on(t.orgId, t.updatedAt),
  ],
);

export const errorEvents = sqliteTable(
  'error_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    sessionId: text('session_id'),
    orgId: text('org_id').notNull(),
    courseId: text('course_id').notNull(),
    code: text('code').notNull(),
    message: text('message').notNull(),
    url: text('url'),
    /** Last occurrence. */
    at: integer('at').notNull(),
    /** `''` when the report named none, so the group's unique index holds. */
    deploymentId: text('deployment_id').notNull().default(''),
    fingerprint: text('fingerprint').notNull().default(''),
    kind: text('kind').notNull().default('error'),
    stack: text('stack'),
    /** Occurrences summed over distinct reports (a trigger on `error_reports` adds them). */
    count: integer('count').notNull().default(0),
    firstAt: integer('first_at').notNull().default(0),
  },
  (t) => [
    index('error_events_course_at').on(t.courseId, t.at),
    index('error_events_org_at').on(t.orgId, t.at),
    uniqueIndex('error_events_group').on(t.courseId, t.deploymentId, t.fingerprint),
    index('error_events_course_fingerprint').on(t.courseId, t.fingerprint),
  ],
);

/** Report ids already counted, so a retried report adds its count once. */
export const errorReports = sqliteTable(
  'error_reports',
  {
    id: text('id').primaryKey(),
    groupId: integer('group_id').notNull(),
    count: integer('count').notNull(),
    at: integer('at').notNull(),
    /** Browser family of the reporting page (`browserFamily`), never the full user agent. */
    browser: text('browser'),
  },
  (t) => [index('error_reports_at').on(t.at), index('error_reports_group_at').on(t.groupId, t.at)],
);

export const dashboardSessions = sqliteTable(
  'dashboard_sessions',
  {
    /** sha256 of the cookie value: a stolen database does not yield live sessions. */
    id: text('id').primaryKey(),
    /** No foreign key: removing a member must not wait on their sessions, which the lookup drops. */
    memberId: text('member_id').notNull(),
    orgId: text('org_id').notNull(),
    /** Per-session CSRF token, sent back in a hidden field of every form. */
    csrfToken: text('csrf_token').notNull(),
    createdAt: integer('created_at').notNull(),
    expiresAt: integer('expires_at').notNull(),
  },
  (t) => [index('dashboard_sessions_member').on(t.memberId)],
);

/**
 * Per-course ingest keys: what a portable package presents to send telemetry (no launch, so no session
 * token). Public by nature (they ship inside the package), so they authorise only anonymous ingest for
 * one course, and can be revoked.
 */
export const ingestKeys = sqliteTable(
  'ingest_keys',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id')
      .notNull()
      .references(() => orgs.id),
    courseId: text('course_id')
      .notNull()
      .references(() => courses.id),
    name: text('name').notNull(),
    /** First characters of the key, shown in listings so a key can be recognised. */
    prefix: text('prefix').notNull(),
    /** sha256 of the whole key, hex: the key is shown once and never stored. */
    hash: text('hash').notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: integer('created_at').notNull(),
    revokedAt: integer('revoked_at'),
  },
  (t) => [uniqueIndex('ingest_keys_hash').on(t.hash), index('ingest_keys_course').on(t.courseId)],
);

/** One row, rewritten by each `GET /readyz`: proof that the database takes a write (db/readiness.ts). */
export const readinessProbe = sqliteTable('readiness_probe', {
  id: integer('id').primaryKey(),
  checkedAt: integer('checked_at').notNull(),
});

/** Webhook endpoints of an org (docs/integrations.md): where events go, signed with `secret`. */
export const webhookEndpoints = sqliteTable(
  'webhook_endpoints',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id')
      .notNull()
      .references(() => orgs.id),
    url: text('url').notNull(),
    /** JSON array of event types, `["*"]` for all. */
    events: text('events').notNull(),
    description: text('description').notNull().default(''),
    /** `whsec_<base64>`, shown once at creation and rotation; signs every delivery. */
    secret: text('secret').notNull(),
    /** The secret before the last rotation, still signing (beside the new one) until `previous_until`. */
    previousSecret: text('previous_secret'),
    previousUntil: integer('previous_until'),
    createdBy: text('created_by').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [index('webhook_endpoints_org').on(t.orgId)],
);

/**
 * The outbox: one row per event, written in the same batch as the change that causes it. `seq` orders
 * events; `id` is the `webhook-id` every delivery of the event carries (receivers de-duplicate on it).
 */
export const outboxEvents = sqliteTable(
  'outbox_events',
  {
    seq: integer('seq').primaryKey({ autoIncrement: true }),
    id: text('id').notNull(),
    orgId: text('org_id').notNull(),
    type: text('type').notNull(),
    /** The license, deployment or course the event is about. */
    subject: text('subject').notNull(),
    /** The Standard Webhooks body, JSON: `{ type, timestamp, data }`. */
    payload: text('payload').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [uniqueIndex('outbox_events_id').on(t.id), index('outbox_events_org').on(t.orgId, t.seq)],
);

/** One event to one endpoint: the delivery state the drain advances and the delivery log shows. */
export const webhookDeliveries = sqliteTable(
  'webhook_deliveries',
  {
    endpointId: text('endpoint_id').notNull(),
    eventId: text('event_id').notNull(),
    /** The event's `seq`: each endpoint gets its events in this order. */
    seq: integer('seq').notNull(),
    orgId: text('org_id').notNull(),
    status: text('status', { enum: ['pending', 'delivered', 'dead'] }).notNull(),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: integer('next_attempt_at').notNull(),
    lastAttemptAt: integer('last_attempt_at'),
    responseStatus: integer('response_status'),
    latencyMs: integer('latency_ms'),
    lastError: text('last_error'),
    deliveredAt: integer('delivered_at'),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [
    uniqueIndex('webhook_deliveries_pk').on(t.endpointId, t.eventId),
    index('webhook_deliveries_due').on(t.status, t.nextAttemptAt),
    index('webhook_deliveries_endpoint_seq').on(t.endpointId, t.status, t.seq),
  ],
);

/** Alerts sent once (`license.expiring` 14/7/1 days, `license.cap_reached` 80/95/100 %) and scan cursors. */
export const outboxMarks = sqliteTable('outbox_marks', {
  /** e.g. `expiring:<license>:7`, `cap:<license>:<period start>:95`, `cursor:launch.denied`. */
  key: text('key').primaryKey(),
  value: integer('value').notNull(),
});

/**
 * Launches, denied launches and error occurrences per org, UTC day (ms at midnight) and course, kept by
 * triggers on `launch_events` and `error_reports` (migration 0012): the courses page, the charts and
 * the launch log's totals read this instead of counting events (issue 24).
 */
export const courseDays = sqliteTable(
  'course_days',
  {
    orgId: text('org_id').notNull(),
    day: integer('day').notNull(),
    courseId: text('course_id').notNull(),
    launches: integer('launches').notNull().default(0),
    denied: integer('denied').notNull().default(0),
    errors: integer('errors').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.day, t.courseId] })],
);
