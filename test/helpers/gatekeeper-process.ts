import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createCourseOf } from '../../gatekeeper/courses/service.js';
import { setLiveDeploymentStatement } from '../../gatekeeper/db/courses.js';
import type { Database } from '../../gatekeeper/db/database.js';
import { DATABASE_FILE } from '../../gatekeeper/db/database-file.js';
import { createDeployment } from '../../gatekeeper/db/deployments.js';
import { insertLicenseStatement, type LicenseRow, newLicenseRow } from '../../gatekeeper/db/licenses.js';
import { openSqlite } from '../../gatekeeper/db/open-sqlite.js';
import { openFileKeyStore } from '../../gatekeeper/keys/file-key-store.js';
import type { KeyStore } from '../../gatekeeper/keys/key-store.js';
import { createOrgWithOwner } from '../../gatekeeper/orgs/service.js';
import { createTokenService } from '../../gatekeeper/tokens.js';
import { ROOT } from './paths.js';

/**
 * The Gatekeeper as an operator runs it (`gatekeeper/main.ts`: `npm start` without the demo), in its own
 * process, so a test can `kill -9` it or a bench can load it from another process. Resolves once it listens.
 */
export function spawnGatekeeper(
  dataDir: string,
  env: Record<string, string> = {},
): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'gatekeeper/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      COURSEGATE_PORT: '0',
      COURSEGATE_CONTENT_PORT: '0',
      COURSEGATE_DATA_DIR: dataDir,
      COURSEGATE_LOG: 'off',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (d) => {
      out += d;
      const m = /listening on (http:\/\/[^\s)]+)/.exec(out);
      if (m?.[1]) resolve({ child, url: m[1] });
    });
    child.on('exit', (code) => reject(new Error(`gatekeeper exited with ${code}`)));
  });
}

export interface SeedOptions {
  /** Org, course slug and client names. */
  name: string;
  /** How many licenses, each with its own signed token. */
  count?: number;
  allowedOrigins?: string[];
  /** Licenses valid from an hour before seeding for a day, instead of open-ended. */
  dated?: boolean;
}

/**
 * One org, one live course and `count` licenses on any Database (SQLite file or D1), with their tokens
 * signed by `keys` for `issuer`.
 */
export async function seedLicenses(db: Database, keys: KeyStore, issuer: string, options: SeedOptions) {
  const { name, count = 1, allowedOrigins = [], dated = false } = options;
  const slug = name.toLowerCase();
  const now = Date.now();
  const { org, owner } = await createOrgWithOwner(
    { db, now: () => new Date(now) },
    { name, owner: { email: `owner@${slug}.test` }, keyName: 'owner' },
  );
  const course = await createCourseOf(
    { db, now: () => new Date(now) },
    { orgId: org.id },
    { slug, title: name },
  );
  const dep = await createDeployment(db, {
    orgId: org.id,
    courseId: course.id,
    entry: 'index.html',
    files: [],
    now,
  });
  await db.batch([setLiveDeploymentStatement(db, course.id, dep.id)]);
  const rows: LicenseRow[] = [];
  for (let i = 0; i < count; i++)
    rows.push(
      newLicenseRow({
        orgId: org.id,
        courseId: course.id,
        clientName: `${slug} ${i}`,
        allowedOrigins,
        startsAt: dated ? now - 1000 : null,
        expiresAt: dated ? now + 86_400_000 : null,
        launchCap: null,
        notes: '',
        createdBy: owner.id,
        now,
      }),
    );
  for (let i = 0; i < rows.length; i += 500)
    await db.batch(rows.slice(i, i + 500).map((r) => insertLicenseStatement(db, r)));
  const tokens = createTokenService({ keys, issuer, now: () => new Date() });
  const signed: string[] = [];
  for (const r of rows)
    signed.push(
      await tokens.signLicenseToken({
        licenseId: r.id,
        orgId: r.orgId,
        courseId: r.courseId,
        jti: r.currentJti,
        iat: r.tokenIssuedAt,
      }),
    );
  return { tokens: signed, orgId: org.id, courseId: course.id, deploymentId: dep.id };
}

/**
 * Seeds a data dir (after the server created its keys) with an org, a live course and a license, and
 * returns the license token to launch with, signed with the server's own key.
 */
export async function seedLicense(dataDir: string, issuer: string) {
  const db = await openSqlite({ file: join(dataDir, DATABASE_FILE) });
  const seeded = await seedLicenses(db, await openFileKeyStore(dataDir), issuer, { name: 'Seed' });
  await db.close();
  const { tokens, ...ids } = seeded;
  return { token: tokens[0]!, ...ids };
}

/** `POST /v1/launch` on a running Gatekeeper: a fresh anonymous session. */
export async function launchSession(url: string, licenseToken: string) {
  const res = await fetch(`${url}/v1/launch`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token: licenseToken, standard: 'cmi5' }),
  });
  if (!res.ok) throw new Error(`launch failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { session: { id: string; token: string } }).session;
}
