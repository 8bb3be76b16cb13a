import { and, desc, eq, getTableColumns, or, type SQL, sql } from 'drizzle-orm';
import type { LicenseJson } from '../../protocol/api/licenses.js';
import { newId } from '../crypto.js';
import type { Database, PreparedRead } from './database.js';
import { beyond, type Cursor, keysetPage, walkOrder } from './keyset.js';
import { channels, courses, deployments, licenses, orgs } from './schema.js';

export type LicenseRow = typeof licenses.$inferSelect;
export type CapPeriod = NonNullable<LicenseRow['capPeriod']>;

/** A license as the API shows it (its wire shape): origins parsed, times as ISO strings. */
export type License = LicenseJson;

/** What a launch meets now: `status` only says whether the license was revoked. */
export type LicenseState = LicenseJson['state'];

/**
 * A license as a launch at `nowMs` would find it, in the launch check's order: revoked, then not started,
 * then expired (`launch-judge.ts`).
 */
export function licenseState(
  row: Pick<LicenseRow, 'status' | 'startsAt' | 'expiresAt'>,
  nowMs: number,
): LicenseState {
  if (row.status === 'revoked') return 'revoked';
  if (row.startsAt !== null && nowMs < row.startsAt) return 'not_started';
  if (row.expiresAt !== null && nowMs >= row.expiresAt) return 'expired';
  return 'active';
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function toLicense(row: LicenseRow, nowMs: number, signingKeyRetired: boolean): License {
  return {
    id: row.id,
    orgId: row.orgId,
    courseId: row.courseId,
    clientName: row.clientName,
    allowedOrigins: JSON.parse(row.allowedOrigins) as string[],
    startsAt: iso(row.startsAt),
    expiresAt: iso(row.expiresAt),
    launchCap:
      row.launchCap === null ? null : { limit: row.launchCap, period: row.capPeriod ?? ('total' as const) },
    notes: row.notes,
    status: row.status,
    state: licenseState(row, nowMs),
    createdAt: iso(row.createdAt) as string,
    revokedAt: iso(row.revokedAt),
    signingKeyRetired,
    channelId: row.channelId,
    pinnedDeploymentId: row.pinnedDeploymentId,
  };
}

export interface NewLicense {
  orgId: string;
  courseId: string;
  clientName: string;
  allowedOrigins: string[];
  startsAt: number | null;
  expiresAt: number | null;
  launchCap: { limit: number; period: CapPeriod } | null;
  notes: string;
  createdBy: string;
  now: number;
}

export function newLicenseRow(input: NewLicense): LicenseRow {
  return {
    id: newId('lic'),
    orgId: input.orgId,
    courseId: input.courseId,
    clientName: input.clientName,
    allowedOrigins: JSON.stringify(input.allowedOrigins),
    startsAt: input.startsAt,
    expiresAt: input.expiresAt,
    launchCap: input.launchCap?.limit ?? null,
    capPeriod: input.launchCap?.period ?? null,
    notes: input.notes,
    status: 'active',
    currentJti: newId('jti'),
    tokenIssuedAt: Math.floor(input.now / 1000),
    createdBy: input.createdBy,
    createdAt: input.now,
    revokedAt: null,
    channelId: null,
    pinnedDeploymentId: null,
  };
}

export function insertLicenseStatement(db: Database, row: LicenseRow) {
  return db.orm.insert(licenses).values(row);
}

export async function listLicenses(db: Database, orgId: string, courseId?: string): Promise<LicenseRow[]> {
  const where =
    courseId === undefined
      ? eq(licenses.orgId, orgId)
      : and(eq(licenses.orgId, orgId), eq(licenses.courseId, courseId));
  return db.orm.select().from(licenses).where(where).orderBy(desc(licenses.createdAt)).all();
}

/** Licenses whose id is `text` or whose client name starts with it (case insensitive). */
function matching(text: string): SQL {
  const prefix = `${text.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
  return or(eq(licenses.id, text), sql`${licenses.clientName} LIKE ${prefix} ESCAPE '\\'`) as SQL;
}

/**
 * Up to `limit` of the org's licenses matching `text` (`matching`), by client name: what a picker
 * shows instead of every license.
 */
export async function findLicenses(db: Database, orgId: string, text: string, limit: number) {
  return db.orm
    .select({ id: licenses.id, clientName: licenses.clientName, courseId: licenses.courseId })
    .from(licenses)
    .where(and(eq(licenses.orgId, orgId), matching(text)))
    .orderBy(licenses.clientName, licenses.id)
    .limit(limit)
    .all();
}

/**
 * One page of the org's licenses, newest first, after `cursor` (creation time, rowid), optionally
 * only those matching `search`: `licenses_org_created` serves the org and the order.
 */
export async function pageLicenses(
  db: Database,
  orgId: string,
  q: { cursor?: Cursor | undefined; limit: number; search?: string | undefined },
): Promise<{ rows: LicenseRow[]; next?: Cursor }> {
  const key = sql<number>`${licenses}.rowid`;
  const rows = await db.orm
    .select({ ...getTableColumns(licenses), key, at: licenses.createdAt })
    .from(licenses)
    .where(
      and(
        eq(licenses.orgId, orgId),
        q.search ? matching(q.search) : undefined,
        q.cursor && beyond(licenses.createdAt, key, q.cursor, true),
      ),
    )
    .orderBy(...walkOrder(licenses.createdAt, key, true))
    .limit(q.limit + 1)
    .all();
  return keysetPage(rows, q.limit, ({ key: _key, at: _at, ...r }) => r);
}

/**
 * How many of the org's licenses match `search`, and (with `newerThan`) how many of those come before
 * that cursor in `pageLicenses`' order: the page's "51–100 of 2,000".
 */
export async function countLicenses(
  db: Database,
  orgId: string,
  q: { search?: string | undefined; newerThan?: Cursor | undefined },
): Promise<number> {
  const key = sql<number>`${licenses}.rowid`;
  const row = await db.orm
    .select({ n: sql<number>`count(*)` })
    .from(licenses)
    .where(
      and(
        eq(licenses.orgId, orgId),
        q.search ? matching(q.search) : undefined,
        q.newerThan && beyond(licenses.createdAt, key, q.newerThan, false),
      ),
    )
    .get();
  return row?.n ?? 0;
}

export async function getLicense(db: Database, orgId: string, id: string): Promise<LicenseRow | undefined> {
  return db.orm
    .select()
    .from(licenses)
    .where(and(eq(licenses.orgId, orgId), eq(licenses.id, id)))
    .get();
}

export function updateLicenseStatement(
  db: Database,
  orgId: string,
  id: string,
  set: Partial<Omit<LicenseRow, 'id' | 'orgId'>>,
) {
  return db.orm
    .update(licenses)
    .set(set)
    .where(and(eq(licenses.orgId, orgId), eq(licenses.id, id)));
}

/** What one launch needs to know, read in one statement: the license, its course and the live deployment. */
export interface LaunchRow {
  id: string;
  orgId: string;
  courseId: string;
  status: LicenseRow['status'];
  currentJti: string;
  allowedOrigins: string;
  startsAt: number | null;
  expiresAt: number | null;
  launchCap: number | null;
  capPeriod: CapPeriod | null;
  courseOrgId: string;
  /**
   * The deployment this license launches: its pin, else its channel's, else the course's live one
   * (docs/deployments.md, "Channels"). The name is the one launches always read.
   */
  liveDeploymentId: string | null;
  entry: string | null;
  /** The org's own content base URL, if the operator set one (gatekeeper/orgs/content-url.ts). */
  orgContentUrl: string | null;
  /** 1 while the course is still served on the shared content origin (deployed before the split). */
  sharedOrigin: number;
}

/** The launch read: `read` on any driver; inside `Database.grouped`, `now.get(query, { id })`. */
export interface LaunchLookup {
  read(licenseId: string): Promise<LaunchRow | undefined>;
  query: PreparedRead;
}

/**
 * Prepares the launch read once; every call reads the primary afresh (docs/gatekeeper.md, "Tokens": the row
 * is never cached).
 *
 * @example
 * const lookup = prepareLaunchLookup(db);
 * const row = await lookup.read('lic_...');
 */
export function prepareLaunchLookup(db: Database): LaunchLookup {
  // Resolved in the same read that checks the license: a pin wins, then a named channel (which may
  // point nowhere yet), then the live pointer.
  const launched = sql<
    string | null
  >`CASE WHEN ${licenses.pinnedDeploymentId} IS NOT NULL THEN ${licenses.pinnedDeploymentId} WHEN ${licenses.channelId} IS NOT NULL THEN ${channels.deploymentId} ELSE ${courses.liveDeploymentId} END`;
  const prepared = db.orm
    .select({
      id: licenses.id,
      orgId: licenses.orgId,
      courseId: licenses.courseId,
      status: licenses.status,
      currentJti: licenses.currentJti,
      allowedOrigins: licenses.allowedOrigins,
      startsAt: licenses.startsAt,
      expiresAt: licenses.expiresAt,
      launchCap: licenses.launchCap,
      capPeriod: licenses.capPeriod,
      courseOrgId: courses.orgId,
      liveDeploymentId: launched,
      entry: deployments.entry,
      orgContentUrl: orgs.contentUrl,
      sharedOrigin: courses.sharedOrigin,
    })
    .from(licenses)
    .innerJoin(courses, eq(courses.id, licenses.courseId))
    .innerJoin(orgs, eq(orgs.id, licenses.orgId))
    // One more primary-key probe, only for a license that follows a named channel.
    .leftJoin(channels, eq(channels.id, licenses.channelId))
    .leftJoin(deployments, eq(deployments.id, launched))
    .where(eq(licenses.id, sql.placeholder('id')))
    .prepare();
  return {
    read: async (licenseId) => (await prepared.get({ id: licenseId })) as LaunchRow | undefined,
    query: prepared as unknown as PreparedRead,
  };
}
