import { existsSync, mkdirSync, readdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { type Zippable, zipSync } from 'fflate';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { extractPackage, inspectPackage, PackagerError } from '../../packager/index.js';
import { removeDir, tempDir } from './fixtures.js';

let sandbox: string;
let target: string;

beforeEach(() => {
  // The target sits inside a sandbox; everything outside the target but inside the sandbox is watched.
  sandbox = tempDir('cg-hostile-');
  target = join(sandbox, 'target');
});
afterEach(() => removeDir(sandbox));

function listAll(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort();
}

/** A zip whose entry names are written verbatim (fflate would refuse nothing). */
function zipOf(entries: Zippable): Uint8Array {
  return zipSync(entries, { level: 6 });
}

/** Sets the Unix mode of every entry named `name` in the central directory (what `zip -y` does for links). */
function withUnixMode(zip: Uint8Array, name: string, mode: number): Uint8Array {
  const buf = Buffer.from(zip);
  let p = buf.readUInt32LE(buf.length - 22 + 16);
  while (buf.readUInt32LE(p) === 0x02014b50) {
    const nameLen = buf.readUInt16LE(p + 28);
    if (buf.subarray(p + 46, p + 46 + nameLen).toString() === name) {
      buf.writeUInt16LE((3 << 8) | 20, p + 4);
      buf.writeUInt32LE((mode << 16) >>> 0, p + 38);
    }
    p += 46 + nameLen + buf.readUInt16LE(p + 30) + buf.readUInt16LE(p + 32);
  }
  return buf;
}

/** Rewrites the declared uncompressed size of every entry to `size`: a header that lies. */
function withDeclaredSize(zip: Uint8Array, size: number): Uint8Array {
  const buf = Buffer.from(zip);
  for (let p = 0; p < buf.length - 4; p++) {
    const sig = buf.readUInt32LE(p);
    if (sig === 0x04034b50) buf.writeUInt32LE(size, p + 22);
    if (sig === 0x02014b50) buf.writeUInt32LE(size, p + 24);
  }
  return buf;
}

async function refused(zip: Uint8Array, limits = {}): Promise<PackagerError> {
  const before = listAll(sandbox);
  const err = await extractPackage(zip, target, limits).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(PackagerError);
  // Nothing outside the target, and nothing left in it either.
  expect(listAll(sandbox)).toEqual(before);
  expect(existsSync(join(sandbox, 'evil.txt'))).toBe(false);
  return err as PackagerError;
}

const ok = new TextEncoder().encode('fine');
const evil = new TextEncoder().encode('pwned');

describe('extractPackage refuses hostile zips', () => {
  it('zip-slip (../) is unsafe_path and nothing lands next to the target', async () => {
    const err = await refused(zipOf({ 'index.html': ok, '../evil.txt': evil }));
    expect(err.code).toBe('unsafe_path');
    expect(err.message).toContain('../evil.txt');
  });

  it('a nested zip-slip (a/../../) is unsafe_path', async () => {
    expect((await refused(zipOf({ 'a/../../evil.txt': evil }))).code).toBe('unsafe_path');
  });

  it.each([['/tmp/evil.txt'], ['C:/evil.txt'], ['c:evil.txt'], ['..\\evil.txt'], ['a\\..\\..\\evil.txt']])(
    'absolute path, drive letter or backslash trick %j is unsafe_path',
    async (name) => {
      expect((await refused(zipOf({ 'index.html': ok, [name]: evil }))).code).toBe('unsafe_path');
    },
  );

  it('a symlink entry is symlink_refused', async () => {
    const zip = withUnixMode(
      zipOf({ 'index.html': ok, link: new TextEncoder().encode('../../etc/passwd') }),
      'link',
      0o120777,
    );
    const err = await refused(zip);
    expect(err.code).toBe('symlink_refused');
  });

  it('duplicate names (also differing only in case) are duplicate_entry', async () => {
    const a = zipOf({ 'a.html': ok, 'A.HTML': ok });
    expect((await refused(a)).code).toBe('duplicate_entry');
    // The exact same name twice: write b.html, then rename it in every header.
    const twice = Buffer.from(zipOf({ 'a.html': ok, 'b.html': evil }).buffer as ArrayBuffer);
    for (let i = twice.indexOf('b.html'); i >= 0; i = twice.indexOf('b.html', i + 1))
      twice.write('a.html', i);
    const err = await refused(twice);
    expect(err.code).toBe('duplicate_entry');
    expect(err.message).toContain('a.html');
  });

  it('a bomb expanding past the total cap is zip_bomb, with no partial file left', async () => {
    const zeros = new Uint8Array(8 * 1024 * 1024);
    const err = await refused(zipOf({ 'index.html': ok, 'big.bin': zeros }), {
      maxTotalBytes: 4 * 1024 * 1024,
      maxRatio: 1e9,
    });
    expect(err.code).toBe('zip_bomb');
    expect(err.message).toMatch(/expands past/);
  });

  it('a bomb caught by its compression ratio is zip_bomb', async () => {
    const err = await refused(zipOf({ 'big.bin': new Uint8Array(16 * 1024 * 1024) }));
    expect(err.code).toBe('zip_bomb');
    expect(err.message).toMatch(/200× its compressed size/);
  });

  it('a bomb whose header lies about its size is caught on the inflated bytes', async () => {
    const zip = withDeclaredSize(zipOf({ 'big.bin': new Uint8Array(3 * 1024 * 1024) }), 100);
    const err = await refused(zip, { maxRatio: 1e9 });
    expect(err.code).toBe('zip_bomb');
  });

  it('too many entries is zip_bomb before anything is written', async () => {
    const many: Zippable = {};
    for (let i = 0; i < 20; i++) many[`f${i}.txt`] = ok;
    expect((await refused(zipOf(many), { maxEntries: 10 })).code).toBe('zip_bomb');
  });

  it('a link already inside an existing target is not followed out of it', async () => {
    mkdirSync(target);
    mkdirSync(join(sandbox, 'outside'));
    symlinkSync(join(sandbox, 'outside'), join(target, 'sub'));
    const err = await extractPackage(zipOf({ 'sub/evil.txt': evil }), target).catch((e: PackagerError) => e);
    expect((err as PackagerError).code).toBe('symlink_refused');
    expect(readdirSync(join(sandbox, 'outside'))).toEqual([]);
  });

  it('inspectPackage applies the same checks', async () => {
    const err = await inspectPackage(zipOf({ 'imsmanifest.xml': ok, '../evil.txt': evil })).catch(
      (e: PackagerError) => e,
    );
    expect((err as PackagerError).code).toBe('unsafe_path');
  });

  it('a well-formed zip extracts completely', async () => {
    const result = await extractPackage(zipOf({ 'index.html': ok, 'a/b/c.txt': evil }), target);
    expect(result.files.sort()).toEqual(['a/b/c.txt', 'index.html']);
    expect(listAll(target)).toEqual(['a', 'a/b', 'a/b/c.txt', 'index.html']);
  });
});
