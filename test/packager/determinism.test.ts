import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { unzipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import {
  buildPackage,
  type Course,
  listFiles,
  PackagerError,
  writeZip,
  writeZipFile,
} from '../../packager/index.js';
import { makeCourseDir, removeDir, tempDir } from './fixtures.js';
import { runCoursegate } from './run-cli.js';

const course: Course = {
  id: 'det',
  title: 'Déterministe & <co>',
  version: '3.0.0',
  entry: 'index.html',
  masteryScore: 0.75,
};
const files: Record<string, string | Uint8Array> = {
  'index.html': '<!doctype html><p>hello</p>'.repeat(50),
  'css/site.css': 'body { color: red }\n'.repeat(200),
  'media/clip.mp4': randomBytes(300_000),
  'media/photo.JPG': randomBytes(50_000),
  'fonts/a.woff2': randomBytes(10_000),
  'z/deep/nested/data.json': JSON.stringify({ a: [1, 2, 3] }),
  'Ünïcödé name.txt': 'text',
};
const coursegateJson = JSON.stringify(course);

const out = tempDir();
const dirs: string[] = [];
afterAll(() => {
  removeDir(out);
  for (const d of dirs) removeDir(d);
});

function sha(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

function courseDir(order: string[]): string {
  const dir = makeCourseDir({ ...files, 'coursegate.json': coursegateJson }, order);
  dirs.push(dir);
  return dir;
}

describe('deterministic packages', () => {
  const names = [...Object.keys(files), 'coursegate.json'];

  for (const format of ['scorm12', 'scorm2004', 'cmi5'] as const) {
    it(`${format}: same bytes whatever the creation order and file times`, async () => {
      const a = courseDir(names);
      const b = courseDir([...names].reverse());
      // Different mtimes on disk must not leak into the zip either.
      utimesSync(join(b, 'index.html'), new Date('2011-05-05T10:00:00Z'), new Date('2011-05-05T10:00:00Z'));
      await buildPackage({ input: a, format, output: join(out, `${format}-a.zip`) });
      await buildPackage({ input: b, format, output: join(out, `${format}-b.zip`) });
      await buildPackage({ input: a, format, output: join(out, `${format}-a2.zip`) });
      expect(sha(join(out, `${format}-b.zip`))).toBe(sha(join(out, `${format}-a.zip`)));
      expect(sha(join(out, `${format}-a2.zip`))).toBe(sha(join(out, `${format}-a.zip`)));
    });
  }

  it('a zip written to a stream equals the one written to a file (storage exports reuse the writer)', async () => {
    const dir = courseDir(names);
    const sources = (await listFiles(dir)).map(({ path, open, size }) => ({ path, open, size }));
    const fileZip = join(out, 'via-file.zip');
    await writeZipFile(await listFiles(dir), fileZip);
    const chunks: Buffer[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, cb) {
        chunks.push(chunk);
        cb();
      },
    });
    await writeZip(sources, sink);
    expect(Buffer.concat(chunks).equals(readFileSync(fileZip))).toBe(true);
  });

  it('same bytes under TZ=UTC and TZ=Asia/Tokyo (CLI child processes)', async () => {
    const dir = courseDir(names);
    const utc = join(out, 'utc.zip');
    const tokyo = join(out, 'tokyo.zip');
    const r1 = await runCoursegate(['package', dir, '--format', 'scorm2004', '-o', utc], {
      env: { TZ: 'UTC' },
    });
    const r2 = await runCoursegate(['package', dir, '--format', 'scorm2004', '-o', tokyo], {
      env: { TZ: 'Asia/Tokyo' },
    });
    expect([r1.code, r2.code]).toEqual([0, 0]);
    expect(sha(tokyo)).toBe(sha(utc));
  });

  it('stores already-compressed media, deflates text, in path order, and round-trips every byte', async () => {
    const dir = courseDir(names);
    const zip = join(out, 'check.zip');
    await buildPackage({ input: dir, format: 'scorm12', output: zip });
    const raw = readFileSync(zip);
    const methods = new Map<string, number>();
    const order: string[] = [];
    // Walk the central directory: method per name, in stored order.
    let p = raw.readUInt32LE(raw.length - 22 + 16);
    while (raw.readUInt32LE(p) === 0x02014b50) {
      const nameLen = raw.readUInt16LE(p + 28);
      const name = raw.subarray(p + 46, p + 46 + nameLen).toString('utf8');
      methods.set(name, raw.readUInt16LE(p + 10));
      order.push(name);
      p += 46 + nameLen + raw.readUInt16LE(p + 30) + raw.readUInt16LE(p + 32);
    }
    expect(order).toEqual([...order].sort());
    expect(order).not.toContain('coursegate.json');
    expect(methods.get('media/clip.mp4')).toBe(0);
    expect(methods.get('media/photo.JPG')).toBe(0);
    expect(methods.get('fonts/a.woff2')).toBe(0);
    expect(methods.get('index.html')).toBe(8);
    expect(methods.get('css/site.css')).toBe(8);
    const unzipped = unzipSync(raw);
    for (const [name, content] of Object.entries(files)) {
      expect(Buffer.from(unzipped[name]!).equals(Buffer.from(content)), name).toBe(true);
    }
  });
});

describe('progress', () => {
  it('reports progress inside one large stored file, not only once it is done', async () => {
    const dir = makeCourseDir({
      'index.html': '<p>v</p>',
      'media/lecture.mp4': randomBytes(12 * 1024 * 1024),
    });
    dirs.push(dir);
    const seen: number[] = [];
    await buildPackage({
      input: dir,
      format: 'scorm12',
      output: join(out, 'progress.zip'),
      course: { id: 'p', title: 'P', version: '1.0.0', entry: 'index.html' },
      onProgress: (p) => seen.push(p.bytesRead),
    });
    const total = 12 * 1024 * 1024 + '<p>v</p>'.length;
    // About one report per megabyte of the video, in order.
    const inside = seen.filter((n) => n > 0 && n < total);
    expect(inside.length).toBeGreaterThanOrEqual(10);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    // The last report counts the generated manifest too.
    expect(seen.at(-1)).toBeGreaterThan(total);
  });

  it.each([
    ['without telemetry', undefined],
    [
      'with telemetry tags added to HTML',
      { endpoint: 'https://gk.example.com', ingestKey: `cgi_${'a'.repeat(43)}` },
    ],
  ])('never counts past its total and ends on it (%s)', async (_, telemetry) => {
    // Many files, so the manifest listing them is large beside a small course.
    const many = Object.fromEntries(
      Array.from({ length: 200 }, (_, i) => [`pages/page-${String(i).padStart(3, '0')}.html`, '<p>x</p>']),
    );
    const dir = makeCourseDir({ 'index.html': '<p>v</p>', ...many });
    dirs.push(dir);
    const seen: { bytesRead: number; bytesTotal: number }[] = [];
    await buildPackage({
      input: dir,
      format: 'scorm12',
      output: join(out, 'total.zip'),
      course: { id: 't', title: 'T', version: '1.0.0', entry: 'index.html' },
      ...(telemetry ? { telemetry } : {}),
      onProgress: ({ bytesRead, bytesTotal }) => seen.push({ bytesRead, bytesTotal }),
    });
    for (const p of seen) expect(p.bytesRead).toBeLessThanOrEqual(p.bytesTotal);
    expect(seen.at(-1)!.bytesRead).toBe(seen.at(-1)!.bytesTotal);
  });
});

describe('names the writer refuses', () => {
  it('refuses two files whose names differ only in case (they would overwrite each other in an LMS)', async () => {
    const sources = ['Index.html', 'index.html'].map((path) => ({
      path,
      open: () => Readable.from([Buffer.from(path)]),
    }));
    const err = await writeZip(sources, new Writable({ write: (_c, _e, cb) => cb() })).catch(
      (e: PackagerError) => e,
    );
    expect(err).toBeInstanceOf(PackagerError);
    expect((err as PackagerError).code).toBe('duplicate_entry');
  });

  it('refuses unsafe names from any source list', async () => {
    const sources = [{ path: '../x.html', open: () => Readable.from([Buffer.from('x')]) }];
    const err = await writeZip(sources, new Writable({ write: (_c, _e, cb) => cb() })).catch(
      (e: PackagerError) => e,
    );
    expect((err as PackagerError).code).toBe('unsafe_path');
  });
});
