import { mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createFsStorage } from '../../gatekeeper/storage/fs.js';

/** Issue 22: fs storage left partial files in `content/tmp/` after a crash or a failed write. */
describe('fs storage temporary files', () => {
  const roots: string[] = [];
  const root = () => {
    const dir = mkdtempSync(join(tmpdir(), 'cg-fs-tmp-'));
    roots.push(dir);
    return dir;
  };
  afterEach(() => {
    for (const dir of roots.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('sweeps the temporary files a crash left behind when it starts, but not a write still in progress', async () => {
    const dir = root();
    const tmp = join(dir, 'tmp');
    mkdirSync(tmp, { recursive: true });
    const now = new Date('2026-12-07T12:00:00Z');
    const at = (ms: number) => new Date(now.getTime() - ms);
    for (const [name, age] of [
      ['crashed-yesterday', 24 * 3600_000],
      ['crashed-two-hours-ago', 2 * 3600_000],
      ['being-written', 60_000],
    ] as const) {
      writeFileSync(join(tmp, name), 'partial');
      utimesSync(join(tmp, name), at(age), at(age));
    }
    await createFsStorage({ root: dir, now: () => now });
    expect(readdirSync(tmp)).toEqual(['being-written']);
  });

  it('removes its temporary file when a write fails half way, and keeps no object', async () => {
    const storage = await createFsStorage({ root: root() });
    const broken = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(new Uint8Array(64 * 1024).fill(1));
      },
      pull(c) {
        c.error(new Error('the client went away'));
      },
    });
    await expect(storage.put('courses/c/d/file.bin', broken)).rejects.toThrow('the client went away');
    expect(readdirSync(join(roots[0] as string, 'tmp'))).toEqual([]);
    expect(await storage.head('courses/c/d/file.bin')).toBeNull();
  });
});
