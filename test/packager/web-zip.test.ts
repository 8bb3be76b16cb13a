import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { crc32 as zlibCrc32 } from 'node:zlib';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { crc32 } from '../../formats/zip/crc32.js';
import { type WebZipSource, zipStream } from '../../formats/zip/web-writer.js';
import { removeDir, tempDir } from './fixtures.js';

const out = tempDir();
afterAll(() => removeDir(out));

const clip = randomBytes(200_000);
const text = 'body { color: red }\n'.repeat(5000);

/** The same files, whole or as a web stream in small pieces, in the order given. */
function sources(order: string[], streamed = false): WebZipSource[] {
  const data: Record<string, Uint8Array> = {
    'index.html': new TextEncoder().encode('<!doctype html><p>héllo</p>'),
    'css/site.css': new TextEncoder().encode(text),
    'media/clip.mp4': clip,
  };
  return order.map((path) => {
    const bytes = data[path]!;
    return {
      path,
      size: bytes.length,
      open: () =>
        streamed
          ? new ReadableStream<Uint8Array>({
              start(c) {
                for (let i = 0; i < bytes.length; i += 7000) c.enqueue(bytes.subarray(i, i + 7000));
                c.close();
              },
            })
          : bytes,
    };
  });
}

const bytesOf = async (s: ReadableStream<Uint8Array>) => new Uint8Array(await new Response(s).arrayBuffer());

describe('zipStream (the web-standard zip the Gatekeeper writes on Node and as a Worker)', () => {
  it('writes a zip that unzip tests clean, with the files intact and media stored, not deflated', async () => {
    const zip = await bytesOf(zipStream(sources(['index.html', 'css/site.css', 'media/clip.mp4'], true)));
    const file = join(out, 'web.zip');
    writeFileSync(file, zip);
    await promisify(execFile)('unzip', ['-tqq', file]);
    const files = unzipSync(zip);
    expect(Object.keys(files)).toEqual(['css/site.css', 'index.html', 'media/clip.mp4']);
    expect(strFromU8(files['index.html']!)).toBe('<!doctype html><p>héllo</p>');
    expect(strFromU8(files['css/site.css']!)).toBe(text);
    expect(Buffer.from(files['media/clip.mp4']!).equals(clip)).toBe(true);
    // Deflated text is much smaller than itself; the random clip is stored as is (method 0).
    expect(zip.length).toBeLessThan(clip.length + text.length / 10);
    const { stdout } = await promisify(execFile)('unzip', ['-v', file]);
    expect(stdout).toMatch(/\d+\s+Stored\s+\d+\s+0%.*media\/clip\.mp4/);
    expect(stdout).toMatch(/Defl:N.*css\/site\.css/);
  });

  it('gives the same bytes whatever the input order and whether files come whole or streamed', async () => {
    const a = await bytesOf(zipStream(sources(['index.html', 'css/site.css', 'media/clip.mp4'])));
    const b = await bytesOf(zipStream(sources(['media/clip.mp4', 'index.html', 'css/site.css'], true)));
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
  });

  it('refuses unsafe and clashing names before writing anything', () => {
    const one = (path: string): WebZipSource => ({ path, open: () => new Uint8Array(1) });
    expect(() => zipStream([one('../evil.html')])).toThrow(expect.objectContaining({ code: 'unsafe_path' }));
    expect(() => zipStream([one('A.html'), one('a.html')])).toThrow(
      expect.objectContaining({ code: 'duplicate_entry' }),
    );
  });

  it('computes the zip CRC-32 as zlib does, also when continued chunk by chunk', () => {
    const data = randomBytes(100_000);
    expect(crc32(data)).toBe(zlibCrc32(data));
    expect(crc32(data.subarray(60_000), crc32(data.subarray(0, 60_000)))).toBe(zlibCrc32(data));
  });
});
