import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createCourse, setLiveDeploymentStatement } from '../../gatekeeper/db/courses.js';
import { createDeployment } from '../../gatekeeper/db/deployments.js';
import { insertLicenseStatement, newLicenseRow } from '../../gatekeeper/db/licenses.js';
import { createMember } from '../../gatekeeper/db/members.js';
import { openSqlite } from '../../gatekeeper/db/open-sqlite.js';
import { createOrg } from '../../gatekeeper/db/orgs.js';
import { openFileKeyStore } from '../../gatekeeper/keys/file-key-store.js';
import { DATABASE_FILE } from '../../gatekeeper/server.js';
import { createTokenService } from '../../gatekeeper/tokens.js';
import { ROOT } from './paths.js';

/**
 * The Gatekeeper exactly as `npm start` runs it (`gatekeeper/main.ts`), in its own process, so a test can
 * `kill -9` it or a bench can load it from another process. Resolves once it listens.
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

/**
 * Seeds a data dir (after the server created its keys) with an org, a live course and a license, and
 * returns the license token to launch with, signed with the server's own key.
 */
export async function seedLicense(dataDir: string, issuer: string) {
  const db = await openSqlite({ file: join(dataDir, DATABASE_FILE) });
  const now = Date.now();
  const org = await createOrg(db, { name: 'Seed', now });
  const owner = await createMember(db, { orgId: org.id, email: 'owner@seed.test', role: 'owner', now });
  const course = await createCourse(db, { orgId: org.id, slug: 'seed', title: 'Seed', now });
  const dep = await createDeployment(db, {
    orgId: org.id,
    courseId: course.id,
    entry: 'index.html',
    files: [],
    now,
  });
  await db.batch([setLiveDeploymentStatement(db, course.id, dep.id)]);
  const row = newLicenseRow({
    orgId: org.id,
    courseId: course.id,
    clientName: 'seed',
    allowedOrigins: [],
    startsAt: null,
    expiresAt: null,
    launchCap: null,
    notes: '',
    createdBy: owner.id,
    now,
  });
  await db.batch([insertLicenseStatement(db, row)]);
  await db.close();
  const tokens = createTokenService({ keys: await openFileKeyStore(dataDir), issuer, now: () => new Date() });
  const token = await tokens.signLicenseToken({
    licenseId: row.id,
    orgId: org.id,
    courseId: course.id,
    jti: row.currentJti,
    iat: row.tokenIssuedAt,
  });
  return { token, orgId: org.id, courseId: course.id, deploymentId: dep.id };
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
