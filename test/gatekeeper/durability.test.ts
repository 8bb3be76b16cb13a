import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCourse, setLiveDeploymentStatement } from '../../gatekeeper/db/courses.js';
import { DATABASE_FILE } from '../../gatekeeper/db/database-file.js';
import { createDeployment } from '../../gatekeeper/db/deployments.js';
import { listLaunchEvents } from '../../gatekeeper/db/launch-events.js';
import { openSqlite } from '../../gatekeeper/db/open-sqlite.js';
import { KEYS_FILE } from '../../gatekeeper/keys/file-key-store.js';
import { createOrgWithOwner } from '../../gatekeeper/orgs/service.js';
import { ROOT } from '../helpers/paths.js';

const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
});

/**
 * The server's process entry (gatekeeper/main.ts: `npm start` without the demo) as a child process;
 * resolves with its API URL once it listens.
 */
function startMain(dataDir: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'gatekeeper/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      COURSEGATE_PORT: '0',
      COURSEGATE_CONTENT_PORT: '0',
      COURSEGATE_DATA_DIR: dataDir,
      COURSEGATE_PUBLIC_URL: 'http://gatekeeper.test',
      COURSEGATE_LOG: 'off',
      COURSEGATE_DEMO: 'off',
      COURSEGATE_LAUNCH_RATE_PER_ADDRESS: '100000',
      COURSEGATE_LAUNCH_RATE_PER_LICENSE: '100000',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr?.on('data', (d) => {
      err += d;
    });
    child.stdout?.on('data', (d) => {
      out += d;
      const m = /listening on (http:\/\/[^\s)]+)/.exec(out);
      if (m) resolve({ child, url: m[1]! });
    });
    child.on('exit', (code) => reject(new Error(`gatekeeper exited (${code}): ${err}`)));
  });
}

// Two server starts (tsx compiles on each) and 41 launches: well past the node project's 20 s on a busy machine.
describe('durability', { timeout: 90_000 }, () => {
  it('every acknowledged launch survives kill -9 and a restart', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'cg-durable-'));
    try {
      const first = await startMain(dataDir);
      // The server created its signing keys on first start, private to its user.
      expect(statSync(join(dataDir, KEYS_FILE)).mode & 0o777).toBe(0o600);
      const db = await openSqlite({ file: join(dataDir, DATABASE_FILE) });
      const now = Date.now();
      const { org, key } = await createOrgWithOwner(
        { db, now: () => new Date(now) },
        { name: 'Acme', owner: { email: 'o@acme.test' }, keyName: 't' },
      );
      const course = await createCourse(db, { orgId: org.id, slug: 'c', title: 'C', now });
      const dep = await createDeployment(db, {
        orgId: org.id,
        courseId: course.id,
        entry: 'index.html',
        files: [],
        now,
      });
      await db.batch([setLiveDeploymentStatement(db, course.id, dep.id)]);
      await db.close();

      const issued = await fetch(`${first.url}/v1/licenses`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ courseId: course.id, clientName: 'Client' }),
      });
      const { token } = (await issued.json()) as { token: string };

      const N = 40;
      const acknowledged: string[] = [];
      for (let i = 0; i < N; i++) {
        const res = await fetch(`${first.url}/v1/launch`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ token, standard: 'scorm2004' }),
        });
        expect(res.status).toBe(200);
        acknowledged.push(((await res.json()) as { session: { id: string } }).session.id);
      }
      const exited = new Promise((r) => first.child.on('exit', r));
      first.child.kill('SIGKILL');
      await exited;

      const second = await startMain(dataDir);
      const again = await fetch(`${second.url}/v1/launch`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ token, standard: 'scorm2004' }),
      });
      expect(again.status).toBe(200);
      const check = await openSqlite({ file: join(dataDir, DATABASE_FILE) });
      const recorded = new Set(
        (await listLaunchEvents(check)).filter((e) => e.allowed).map((e) => e.sessionId),
      );
      await check.close();
      for (const id of acknowledged) expect(recorded.has(id), id).toBe(true);
      expect(recorded.size).toBe(N + 1);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
