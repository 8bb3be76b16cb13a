import { and, asc, eq, sql } from 'drizzle-orm';
import type { AuditEvent } from './audit-events.js';
import type { Database } from './database.js';
import { auditEvents, channels, licenses } from './schema.js';

export type Channel = typeof channels.$inferSelect;

/** The course's named channels, by name. */
export async function listChannels(db: Database, courseId: string): Promise<Channel[]> {
  return db.orm
    .select()
    .from(channels)
    .where(eq(channels.courseId, courseId))
    .orderBy(asc(channels.name))
    .all();
}

export async function getChannel(db: Database, courseId: string, name: string): Promise<Channel | undefined> {
  return db.orm
    .select()
    .from(channels)
    .where(and(eq(channels.courseId, courseId), eq(channels.name, name)))
    .get();
}

export async function getChannelById(db: Database, id: string): Promise<Channel | undefined> {
  return db.orm.select().from(channels).where(eq(channels.id, id)).get();
}

export function insertChannelStatement(db: Database, row: Channel) {
  return db.orm.insert(channels).values(row);
}

/**
 * Deletes the channel only while no license follows it, and writes `audit` only if the channel is gone
 * after that, in one batch: a license that starts following it meanwhile keeps it. Answers whether it
 * was deleted.
 */
export async function deleteUnfollowedChannel(
  db: Database,
  id: string,
  audit: Omit<AuditEvent, 'id' | 'subject'>,
): Promise<boolean> {
  const [deleted] = await db.batch([
    db.orm
      .delete(channels)
      .where(
        and(
          eq(channels.id, id),
          sql`NOT EXISTS (SELECT 1 FROM ${licenses} WHERE ${licenses.channelId} = ${id})`,
        ),
      ),
    db.orm
      .insert(auditEvents)
      .select(
        sql`SELECT NULL, ${audit.orgId}, ${audit.actor}, ${audit.action}, ${id}, ${audit.fromValue}, ${audit.toValue}, ${audit.reason}, ${audit.at} WHERE NOT EXISTS (SELECT 1 FROM ${channels} WHERE ${channels.id} = ${id})`,
      ),
  ]);
  return deleted === 1;
}

/** The licenses that follow a channel, by client name: who a refused deletion names. */
export async function licensesFollowing(db: Database, channelId: string) {
  return db.orm
    .select({ id: licenses.id, clientName: licenses.clientName })
    .from(licenses)
    .where(eq(licenses.channelId, channelId))
    .orderBy(asc(licenses.clientName))
    .all();
}
