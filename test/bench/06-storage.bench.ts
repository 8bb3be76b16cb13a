import { randomFillSync } from 'node:crypto';
import { createReadStream, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { createS3Storage, type Storage } from '../../gatekeeper/storage/index.js';
import { type CollectedFile, collectFiles, uploadFiles } from '../../packager/deploy/index.js';
import type { BenchRow } from './types.ts';

/**
 * Size of the generated course; the budget's 1 GB by default (docs/architecture.md, "Benchmarks"), smaller
 * with the env variables.
 */
const TOTAL_MB = Number(process.env.COURSEGATE_BENCH_STORAGE_MB ?? 1024);
const FILES = Number(process.env.COURSEGATE_BENCH_STORAGE_FILES ?? 10_000);
const MiB = 1024 * 1024;

/** A course tree: many small files and a few large media files, like a real build. */
function generate(dir: string): void {
  const total = TOTAL_MB * MiB;
  const large = Math.max(1, Math.floor(FILES / 100));
  const smallSize = Math.floor((total * 0.3) / (FILES - large));
  const largeSize = Math.floor((total * 0.7) / large);
  const buf = Buffer.alloc(Math.max(smallSize, largeSize));
  randomFillSync(buf);
  for (let i = 0; i < FILES; i++) {
    const isLarge = i < large;
    const sub = join(dir, isLarge ? 'media' : `pages/${i % 50}`);
    mkdirSync(sub, { recursive: true });
    const body = buf.subarray(0, isLarge ? largeSize : smallSize);
    body.writeUInt32BE(i, 0); // every file differs, so nothing dedupes by accident
    writeFileSync(join(sub, isLarge ? `clip-${i}.mp4` : `page-${i}.html`), body);
  }
}

/** Counts the content bytes a storage receives through `put`, the figure an unchanged redeploy must keep at 0. */
function counting(storage: Storage) {
  const counter = { bytes: 0 };
  const wrapped: Storage = {
    ...storage,
    async put(key, body, opts) {
      const info = await storage.put(key, body, opts);
      counter.bytes += info.size;
      return info;
    },
  };
  return { storage: wrapped, counter };
}

const seconds = (t0: number) => (performance.now() - t0) / 1000;
const rate = (bytes: number, s: number) => `${(bytes / MiB / s).toFixed(0)} MB/s`;
const fileBody = (f: CollectedFile) =>
  Readable.toWeb(createReadStream(f.absolutePath)) as unknown as ReadableStream<Uint8Array>;

/** Deploys into a storage: new files uploaded, files whose sha256 is in `previous` copied server-side. */
async function deploy(storage: Storage, files: CollectedFile[], deployment: string, previous?: string) {
  const prior = new Map(previous ? files.map((f) => [f.path, f.sha256]) : []);
  const toCopy = files.filter((f) => prior.get(f.path) === f.sha256);
  const toSend = files.filter((f) => prior.get(f.path) !== f.sha256);
  await uploadFiles({
    files: toCopy,
    concurrency: 16,
    send: async (f) => {
      await storage.copy(`courses/bench/${previous}/${f.path}`, `courses/bench/${deployment}/${f.path}`);
    },
  });
  await uploadFiles({
    files: toSend,
    concurrency: 8,
    send: async (f) => {
      await storage.put(`courses/bench/${deployment}/${f.path}`, fileBody(f), {
        sha256: f.sha256,
        size: f.size,
      });
    },
  });
}

/** Storage and deploy-side figures: collect, upload to s3 (s3rver), unchanged redeploy (fs: 09-deploy). */
export async function bench(): Promise<BenchRow[]> {
  const base = mkdtempSync(join(tmpdir(), 'cg-bench-storage-'));
  const rows: BenchRow[] = [];
  const require = createRequire(import.meta.url);
  const S3rver = require('s3rver') as new (
    o: Record<string, unknown>,
  ) => { run(): Promise<AddressInfo>; close(): Promise<void> };
  const s3rver = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory: join(base, 's3rver'),
    configureBuckets: [{ name: 'coursegate-bench' }],
  });
  try {
    const dist = join(base, 'dist');
    generate(dist);
    const label = `${TOTAL_MB} MB / ${FILES.toLocaleString('en')} files`;

    let t0 = performance.now();
    const { files, totalBytes } = await collectFiles(dist, { concurrency: 8 });
    let s = seconds(t0);
    rows.push({
      name: `collect + sha256, ${label}`,
      value: `${s.toFixed(1)} s (${rate(totalBytes, s)})`,
      budget: '',
    });

    // Deploy to fs through a real Gatekeeper, and its unchanged redeploy, are measured by 09-deploy.
    const { port } = await s3rver.run();
    const s3 = counting(
      createS3Storage({
        endpoint: `http://127.0.0.1:${port}`,
        bucket: 'coursegate-bench',
        region: 'us-east-1',
        accessKeyId: 'S3RVER',
        secretAccessKey: 'S3RVER',
        forcePathStyle: true,
      }),
    );
    t0 = performance.now();
    await deploy(s3.storage, files, 'd1');
    s = seconds(t0);
    rows.push({
      name: `deploy to s3 (s3rver), ${label}`,
      value: `${s.toFixed(1)} s, ${(s3.counter.bytes / MiB).toFixed(0)} MB uploaded`,
      budget: '',
    });
    s3.counter.bytes = 0;
    t0 = performance.now();
    await deploy(s3.storage, files, 'd2', 'd1');
    s = seconds(t0);
    rows.push({
      name: 'unchanged redeploy to s3 (server-side copies)',
      value: `${s.toFixed(1)} s, ${s3.counter.bytes} content bytes uploaded`,
      budget: '0 bytes',
      ok: s3.counter.bytes === 0,
    });
    rows.push({
      name: 'storage bench peak RSS',
      value: `${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`,
      budget: '',
    });
    return rows;
  } finally {
    await s3rver.close().catch(() => {});
    rmSync(base, { recursive: true, force: true });
  }
}
