import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { centralHeader, endOfCentralDirectory, localHeader } from '../../formats/zip/headers.js';
import { openSafeZip, writeZipFile } from '../../packager/index.js';
import { removeDir, tempDir } from './fixtures.js';

const out = tempDir();
afterAll(() => removeDir(out));

describe('Zip64 when a package outgrows the classic format', () => {
  it('writes 70,000 entries with Zip64 end records that unzip and yauzl both read', async () => {
    const count = 70_000;
    const sources = Array.from({ length: count }, (_, i) => {
      const body = Buffer.from(`file ${i}`);
      return { path: `d${i % 100}/f${i}.txt`, size: body.length, open: () => Readable.from([body]) };
    });
    const file = join(out, 'many.zip');
    await writeZipFile(sources, file);
    const raw = readFileSync(file);
    expect(raw.readUInt32LE(raw.length - 22)).toBe(0x06054b50);
    expect(raw.readUInt16LE(raw.length - 22 + 10)).toBe(0xffff);
    expect(raw.readUInt32LE(raw.length - 22 - 20)).toBe(0x07064b50);
    await promisify(execFile)('unzip', ['-tqq', file], { maxBuffer: 64 * 1024 * 1024 });
    // From the bytes already read: yauzl parses the same end records, without one thread-pool read per
    // central-directory entry (70,000 of them took ~25 s on a loaded 2-core machine).
    const zip = await openSafeZip(raw, { maxEntries: 100_000 });
    try {
      expect(zip.entries).toHaveLength(count);
      const last = zip.entries.find((e) => e.name === 'd99/f69999.txt')!;
      expect((await zip.readBuffer(last, 100)).toString()).toBe('file 69999');
    } finally {
      zip.close();
    }
  }, 120_000);

  it('keeps ordinary packages in the classic format', async () => {
    const file = join(out, 'small.zip');
    await writeZipFile([{ path: 'a.txt', size: 1, open: () => Readable.from([Buffer.from('a')]) }], file);
    const raw = readFileSync(file);
    expect(raw.indexOf(Buffer.from([0x50, 0x4b, 0x06, 0x06]))).toBe(-1);
    expect(raw.readUInt16LE(4)).toBe(20);
  });
});

describe('Zip64 records past 4 GiB of offsets', () => {
  it('moves a saturated offset into the Zip64 extra field and the end records', () => {
    const name = Buffer.from('big/last.txt');
    const offset = 5 * 1024 ** 3;
    const central = Buffer.from(
      centralHeader({
        name,
        method: 0,
        crc: 1,
        compressed: 10,
        size: 10,
        offset,
        zip64: false,
      }),
    );
    expect(central.readUInt32LE(42)).toBe(0xffffffff);
    expect(central.readUInt32LE(20)).toBe(10);
    const extra = central.subarray(46 + name.length);
    expect([extra.readUInt16LE(0), extra.readUInt16LE(2)]).toEqual([1, 8]);
    expect(Number(extra.readBigUInt64LE(4))).toBe(offset);
    const end = Buffer.from(endOfCentralDirectory(3, 200, offset));
    expect(end.readUInt32LE(0)).toBe(0x06064b50);
    expect(Number(end.readBigUInt64LE(48))).toBe(offset);
    expect(Number(end.readBigUInt64LE(56 + 8))).toBe(offset + 200);
    expect(end.readUInt32LE(56 + 20 + 16)).toBe(0xffffffff);
  });

  it('announces Zip64 sizes in the local header of an entry known to exceed 4 GiB', () => {
    const local = Buffer.from(localHeader(Buffer.from('huge.mp4'), 0, true));
    expect(local.readUInt16LE(4)).toBe(45);
    expect(local.readUInt32LE(22)).toBe(0xffffffff);
    expect(local.readUInt16LE(30 + 8)).toBe(1);
  });
});
