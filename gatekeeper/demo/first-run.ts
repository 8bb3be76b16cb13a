import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildHelloCourse } from '../../examples/hello-course/build.js';
import { createCourseOf } from '../courses/service.js';
import { randomToken } from '../crypto.js';
import { DATABASE_FILE } from '../db/database-file.js';
import { openSqlite } from '../db/open-sqlite.js';
import { countOrgs } from '../db/orgs.js';
import { issueLicense } from '../licenses/service.js';
import { createOrgWithOwner } from '../orgs/service.js';
import { createStorage } from '../storage/factory.js';
import { seedDeployment } from './seed-deployment.js';

/** What the demo keeps between runs (`<dataDir>/demo.json`, readable by its owner only). */
export interface DemoState {
  orgId: string;
  ownerEmail: string;
  apiKey: string;
  courseId: string;
  licenseId: string;
}

export const DEMO_FILE = 'demo.json';
export const DEMO_OWNER = 'owner@demo.coursegate.test';

/**
 * First run of `npm start` on an empty data dir: a demo org and owner with an API key,
 * examples/hello-course deployed and live, a license for the demo LMS. Later runs read `demo.json`;
 * a data dir that already has organisations but no demo is left alone (`null`).
 */
export async function ensureDemo(options: {
  dataDir: string;
  playerDir: string;
  now: () => Date;
}): Promise<{ state: DemoState; created: boolean; password?: string } | null> {
  const file = join(options.dataDir, DEMO_FILE);
  if (existsSync(file)) return { state: JSON.parse(readFileSync(file, 'utf8')) as DemoState, created: false };
  const db = await openSqlite({ file: join(options.dataDir, DATABASE_FILE) });
  const built = mkdtempSync(join(tmpdir(), 'cg-demo-'));
  try {
    if ((await countOrgs(db)) > 0) return null;
    const now = options.now().getTime();
    // The dashboard password is printed once and kept nowhere but as its scrypt hash.
    const password = randomToken(12);
    const { org, owner, key } = await createOrgWithOwner(
      { db, now: options.now },
      { name: 'Demo org', owner: { email: DEMO_OWNER, password }, keyName: 'demo' },
    );
    const config = buildHelloCourse(built);
    const course = await createCourseOf(
      { db, now: options.now },
      { orgId: org.id },
      {
        slug: config.id,
        title: config.title,
      },
    );
    const files: Record<string, Uint8Array> = {};
    for (const name of readdirSync(built)) files[name] = readFileSync(join(built, name));
    await seedDeployment({
      db,
      storage: await createStorage({ driver: 'fs', root: join(options.dataDir, 'content') }),
      orgId: org.id,
      memberId: owner.id,
      reason: 'The demo course, as npm start seeds it',
      courseId: course.id,
      files,
      entry: config.entry,
      // As `coursegate deploy` records coursegate.json, so the gated and exported packages carry its
      // mastery score.
      metadata: {
        id: config.id,
        title: config.title,
        version: config.version,
        description: config.description,
        masteryScore: config.masteryScore,
      },
      playerDir: options.playerDir,
      now,
    });
    // Through the service, as the API issues one: audited like any other license.
    const license = await issueLicense(
      { db, now: options.now },
      { orgId: org.id, memberId: owner.id },
      { courseId: course.id, clientName: 'Demo LMS', notes: 'Made by npm start for the demo LMS' },
    );
    const state: DemoState = {
      orgId: org.id,
      ownerEmail: DEMO_OWNER,
      apiKey: key,
      courseId: course.id,
      licenseId: license.id,
    };
    writeFileSync(file, JSON.stringify(state, null, 2), { mode: 0o600 });
    return { state, created: true, password };
  } finally {
    rmSync(built, { recursive: true, force: true });
    await db.close();
  }
}
