import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Sqlite from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { DATABASE_FILE } from '../../gatekeeper/db/database-file.js';
import { launchSession, seedLicense, spawnGatekeeper } from '../helpers/gatekeeper-process.js';
import { ROOT } from '../helpers/paths.js';

const ISSUER = 'http://gatekeeper.crash';
const children: ChildProcess[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const until = async (check: () => boolean) => {
  while (!check()) await new Promise((r) => setTimeout(r, 50));
};

// Two server starts in child processes (tsx compiles on each): well past 20 s on a busy machine.
describe('statement ingest survives kill -9', { timeout: 90_000 }, () => {
  it('every statement acknowledged with 2xx before the kill is stored after a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cg-crash-'));
    dirs.push(dir);
    const first = await spawnGatekeeper(dir, { COURSEGATE_PUBLIC_URL: ISSUER });
    children.push(first.child);
    const { token } = await seedLicense(dir, ISSUER);
    const sessions = [await launchSession(first.url, token), await launchSession(first.url, token)];
    const ackFile = join(dir, 'acked.txt');
    const job = join(dir, 'job.json');
    writeFileSync(
      job,
      JSON.stringify({
        url: first.url,
        homePage: ISSUER,
        sessions,
        batch: 100,
        concurrency: 4,
        seconds: 0,
        ackFile,
      }),
    );
    const client = spawn(process.execPath, ['--import', 'tsx', 'test/helpers/ingest-load.ts', job], {
      cwd: ROOT,
      stdio: 'ignore',
    });
    children.push(client);
    // Let a few thousand statements be acknowledged, then pull the plug mid-load.
    await until(() => existsSync(ackFile) && readFileSync(ackFile, 'utf8').length > 37 * 3000);
    first.child.kill('SIGKILL');
    await new Promise((r) => first.child.once('exit', r));
    client.kill('SIGKILL');
    await new Promise((r) => client.once('exit', r));
    const acked = readFileSync(ackFile, 'utf8').split('\n').filter(Boolean);
    expect(acked.length).toBeGreaterThanOrEqual(3000);

    const second = await spawnGatekeeper(dir, { COURSEGATE_PUBLIC_URL: ISSUER });
    children.push(second.child);
    second.child.kill('SIGTERM');
    await new Promise((r) => second.child.once('exit', r));
    const db = new Sqlite(join(dir, DATABASE_FILE), { readonly: true });
    const stored = new Set(db.prepare('SELECT id FROM statements').pluck().all() as string[]);
    db.close();
    const missing = acked.filter((id) => !stored.has(id));
    expect(missing).toEqual([]);
  });
});
