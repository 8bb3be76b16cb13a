import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, watch, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './paths.js';

/**
 * Runs `fn` while no other test process of this checkout builds the packages: test files run in parallel
 * workers, and `npm pack` (each `prepack`) and `npm run build:packages` rewrite the same dist/ folders.
 */
export async function withBuildLock<T>(fn: () => Promise<T>): Promise<T> {
  const parent = join(tmpdir(), 'coursegate-locks');
  mkdirSync(parent, { recursive: true });
  const lock = join(parent, `build-${createHash('sha256').update(ROOT).digest('hex').slice(0, 16)}`);
  while (!take(lock)) await changeIn(parent, () => !held(lock));
  try {
    return await fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** `mkdir` is atomic: true for exactly one caller. */
function take(lock: string): boolean {
  try {
    mkdirSync(lock);
  } catch {
    return false;
  }
  writeFileSync(join(lock, 'pid'), String(process.pid));
  return true;
}

/** Whether `lock` is held by a live process; a dead owner's lock is removed. */
function held(lock: string): boolean {
  let owner: number;
  try {
    owner = Number(readFileSync(join(lock, 'pid'), 'utf8'));
  } catch {
    // No lock, or its owner has not written its pid yet.
    return existsSync(lock);
  }
  try {
    process.kill(owner, 0);
    return true;
  } catch {
    rmSync(lock, { recursive: true, force: true });
    return false;
  }
}

/** Resolves once `done()` holds, checked on each change in `dir` and every 5 s (an owner may die silently). */
function changeIn(dir: string, done: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    const check = () => {
      if (!done()) return;
      watcher.close();
      clearInterval(timer);
      resolve();
    };
    const watcher = watch(dir, check);
    const timer = setInterval(check, 5000);
    check();
  });
}
