import { and, eq } from 'drizzle-orm';
import { newId } from '../crypto.js';
import type { Database } from './database.js';
import { deployments } from './schema.js';

export type Deployment = typeof deployments.$inferSelect;
export interface DeploymentFile {
  path: string;
  sha256: string;
  size: number;
}

export async function createDeployment(
  db: Database,
  input: {
    orgId: string;
    courseId: string;
    entry: string;
    files: DeploymentFile[];
    status?: Deployment['status'];
    createdBy?: string | null;
    message?: string | null;
    metadata?: string;
    fingerprint?: string | null;
    now: number;
  },
): Promise<Deployment> {
  const row: Deployment = {
    id: newId('dep'),
    orgId: input.orgId,
    courseId: input.courseId,
    status: input.status ?? 'staged',
    entry: input.entry,
    files: JSON.stringify(input.files),
    createdBy: input.createdBy ?? null,
    createdAt: input.now,
    finalizedAt: input.status === 'uploading' ? null : input.now,
    message: input.message ?? null,
    metadata: input.metadata ?? '{}',
    fingerprint: input.fingerprint ?? null,
  };
  await db.orm.insert(deployments).values(row);
  return row;
}

export async function getDeployment(
  db: Database,
  orgId: string,
  id: string,
): Promise<Deployment | undefined> {
  return db.orm
    .select()
    .from(deployments)
    .where(and(eq(deployments.orgId, orgId), eq(deployments.id, id)))
    .get();
}
