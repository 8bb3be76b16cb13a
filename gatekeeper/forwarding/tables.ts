import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * The tables of migration 0014 (docs/integrations.md, "Statement forwarding"), for the writes that go in a
 * batch; reads use SQL. `credentials` is AES-GCM ciphertext (`credentials.ts`), never the password.
 */
export const lrsForwarding = sqliteTable('lrs_forwarding', {
  courseId: text('course_id').primaryKey(),
  orgId: text('org_id').notNull(),
  endpoint: text('endpoint').notNull(),
  credentials: text('credentials').notNull(),
  attempts: integer('attempts').notNull().default(0),
  nextAttemptAt: integer('next_attempt_at').notNull().default(0),
  lastAttemptAt: integer('last_attempt_at'),
  lastStatus: integer('last_status'),
  lastError: text('last_error'),
  lastErrorAt: integer('last_error_at'),
  delivered: integer('delivered').notNull().default(0),
  rejected: integer('rejected').notNull().default(0),
  updatedBy: text('updated_by').notNull(),
  updatedAt: integer('updated_at').notNull(),
});

/**
 * Filled in the transaction that stores statements (`statements`: `ref` is a JSON array of their ids,
 * `queue.ts`) or changes a completion record (`completion`: `ref` is the session id; migration 0014's
 * triggers).
 */
export const lrsQueue = sqliteTable(
  'lrs_queue',
  {
    seq: integer('seq').primaryKey({ autoIncrement: true }),
    courseId: text('course_id').notNull(),
    kind: text('kind', { enum: ['statements', 'completion'] }).notNull(),
    ref: text('ref').notNull(),
  },
  (t) => [index('lrs_queue_course').on(t.courseId, t.seq)],
);
