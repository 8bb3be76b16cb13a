import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A folder whose volume can be filled and freed again. Where the machine lets the tests mount one, a
 * small tmpfs (a real full disk: the kernel answers ENOSPC); otherwise a plain folder, and the caller
 * injects ENOSPC at the driver seam itself (`real` tells which; tests name the one they ran, and never
 * skip).
 */
export interface FillableDisk {
  dir: string;
  /** True on a mounted tmpfs; false when the caller must inject the fault. */
  real: boolean;
  /** Takes every free byte (a filler file, written until the kernel refuses). */
  fill(): void;
  /** Gives the space back. */
  free(): void;
  remove(): void;
}

/** Mounts a tmpfs of `sizeMiB` on a new temporary folder, or falls back to a plain folder. */
export function fillableDisk(sizeMiB: number): FillableDisk {
  const dir = mkdtempSync(join(tmpdir(), 'cg-full-'));
  let real = false;
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeMiB}m`, 'tmpfs', dir], { stdio: 'ignore' });
    real = true;
  } catch {
    real = false;
  }
  const filler = join(dir, 'filler');
  return {
    dir,
    real,
    fill() {
      if (!real) return;
      const fd = openSync(filler, 'w');
      try {
        // Large blocks first, then single bytes, so no byte is left for the code under test.
        for (const block of [1 << 20, 4096, 1]) {
          const bytes = Buffer.alloc(block, 1);
          for (;;) {
            try {
              writeSync(fd, bytes);
            } catch (err) {
              if ((err as NodeJS.ErrnoException).code === 'ENOSPC') break;
              throw err;
            }
          }
        }
      } finally {
        closeSync(fd);
      }
    },
    free() {
      if (real) unlinkSync(filler);
    },
    remove() {
      if (real) execFileSync('umount', [dir], { stdio: 'ignore' });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
