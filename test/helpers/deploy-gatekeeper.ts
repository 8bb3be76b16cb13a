import { readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createApiKey } from '../../gatekeeper/db/api-keys.js';
import { createCourse } from '../../gatekeeper/db/courses.js';
import { createMember } from '../../gatekeeper/db/members.js';
import { openSqlite } from '../../gatekeeper/db/open-sqlite.js';
import { createOrg } from '../../gatekeeper/db/orgs.js';
import { DATABASE_FILE } from '../../gatekeeper/server.js';
import { createFsStorage, createS3Storage, type Storage } from '../../gatekeeper/storage/index.js';
import { apiClient } from '../../packager/commands/api-client.js';
import { tempDir } from '../packager/fixtures.js';
import { startGatekeeper } from './gatekeeper.js';

const require = createRequire(import.meta.url);
const S3rver = require('s3rver') as new (
  opts: Record<string, unknown>,
) => {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
  on(
    event: 'event',
    fn: (e: { Records: { eventName: string; s3: { object: { key: string; size?: number } } }[] }) => void,
  ): void;
};

/**
 * Counts what reached storage as new bytes, seen from the storage side: on fs, objects whose inode is new
 * since `mark()` (an unchanged file is a hard link to an earlier object, a re-upload a new inode); on
 * s3, s3rver's `ObjectCreated:Put` events (copies are `ObjectCreated:Copy`). The player under
 * `_coursegate/`, which the Gatekeeper writes itself, is not counted.
 */
export interface StorageMeter {
  mark(): void;
  uploaded(): { keys: string[]; bytes: number };
}

function fsMeter(root: string): StorageMeter {
  const objects = join(root, 'objects');
  // An inode with its mtime: a hard link keeps both, while an inode number the file system freed and
  // handed to a new upload comes with a new mtime.
  const walk = (dir: string, rel: string, out: Map<string, { id: string; size: number }>) => {
    let entries: string[] = [];
    try {
      entries = readdirSync(dir);
    } catch {
      return out;
    }
    for (const name of entries) {
      const st = statSync(join(dir, name));
      const key = rel ? `${rel}/${name}` : name;
      if (st.isDirectory()) walk(join(dir, name), key, out);
      else out.set(key, { id: `${st.ino}:${st.mtimeMs}`, size: st.size });
    }
    return out;
  };
  let seen = new Set<string>();
  return {
    mark() {
      seen = new Set([...walk(objects, '', new Map()).values()].map((v) => v.id));
    },
    uploaded() {
      const keys: string[] = [];
      let bytes = 0;
      for (const [key, v] of walk(objects, '', new Map())) {
        if (seen.has(v.id) || key.includes('/_coursegate/')) continue;
        keys.push(key);
        bytes += v.size;
      }
      return { keys: keys.sort(), bytes };
    },
  };
}

/**
 * A real Gatekeeper (fs, or s3 against a real s3rver) with an organisation, an owner API key, a course
 * and a CLI API client for it, plus a storage handle of its own and a meter of uploaded bytes.
 */
export async function startDeployGatekeeper(driver: 'fs' | 's3', slug = 'course') {
  let s3: InstanceType<typeof S3rver> | undefined;
  let env: Record<string, string> = {};
  const puts: { key: string; size: number }[] = [];
  let storage: Storage;
  let gk: Awaited<ReturnType<typeof startGatekeeper>>;
  if (driver === 's3') {
    s3 = new S3rver({
      address: '127.0.0.1',
      port: 0,
      silent: true,
      directory: tempDir('cg-s3rver-'),
      configureBuckets: [{ name: 'content' }],
    });
    const { port } = await s3.run();
    s3.on('event', (e) => {
      for (const r of e.Records)
        if (r.eventName === 'ObjectCreated:Put')
          puts.push({ key: decodeURIComponent(r.s3.object.key), size: r.s3.object.size ?? 0 });
    });
    const endpoint = `http://127.0.0.1:${port}`;
    env = {
      COURSEGATE_STORAGE: 's3',
      COURSEGATE_S3_ENDPOINT: endpoint,
      COURSEGATE_S3_BUCKET: 'content',
      COURSEGATE_S3_REGION: 'us-east-1',
      COURSEGATE_S3_ACCESS_KEY_ID: 'S3RVER',
      COURSEGATE_S3_SECRET_ACCESS_KEY: 'S3RVER',
      COURSEGATE_S3_FORCE_PATH_STYLE: 'true',
      COURSEGATE_CONTENT_URL: `${endpoint}/content`,
    };
    gk = await startGatekeeper(env);
    storage = createS3Storage({
      endpoint,
      bucket: 'content',
      region: 'us-east-1',
      accessKeyId: 'S3RVER',
      secretAccessKey: 'S3RVER',
      forcePathStyle: true,
    });
  } else {
    gk = await startGatekeeper();
    storage = await createFsStorage({ root: join(gk.dataDir, 'content') });
  }
  let from = 0;
  const meter: StorageMeter =
    driver === 'fs'
      ? fsMeter(join(gk.dataDir, 'content'))
      : {
          mark: () => {
            from = puts.length;
          },
          uploaded: () => {
            const fresh = puts.slice(from).filter((p) => !p.key.includes('/_coursegate/'));
            return {
              // Not deduplicated: a key put twice shows twice.
              keys: fresh.map((p) => p.key).sort(),
              bytes: fresh.reduce((n, p) => n + p.size, 0),
            };
          },
        };

  const db = await openSqlite({ file: join(gk.dataDir, DATABASE_FILE) });
  const now = Date.now();
  const org = await createOrg(db, { name: 'Deployers', now });
  const member = await createMember(db, { orgId: org.id, email: 'author@deploy.test', role: 'owner', now });
  const { key } = await createApiKey(db, { orgId: org.id, memberId: member.id, name: 'ci', now });
  const course = await createCourse(db, { orgId: org.id, slug, title: 'Deployed course', now });
  await db.close();

  /** Every key stored under a deployment, relative to it. */
  async function listDeployment(deploymentId: string): Promise<string[]> {
    const prefix = `courses/${course.id}/${deploymentId}/`;
    const keys: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await storage.list(prefix, cursor ? { cursor } : {});
      keys.push(...page.items.map((i) => i.key.slice(prefix.length)));
      cursor = page.cursor;
    } while (cursor);
    return keys.sort();
  }

  return {
    gk,
    env,
    storage,
    meter,
    org,
    member,
    key,
    course,
    api: apiClient({ url: gk.url, apiKey: key }),
    listDeployment,
    async close() {
      await gk.close();
      await s3?.close();
    },
  };
}
