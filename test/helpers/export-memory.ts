/**
 * Child process for the bounded-memory export test: `node --expose-gc --import tsx
 * test/helpers/export-memory.ts <rows> <format>`. Seeds a SQLite file with `rows` completion records,
 * streams the course's export through the real app and prints `{ lines, bytes, heapGrowth, rssGrowth }`
 * (peak growth over the baseline taken after seeding, measured after a forced GC every 10 chunks).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Sqlite from 'better-sqlite3';
import { createApp } from '../../gatekeeper/app.js';
import { createCourseOf } from '../../gatekeeper/courses/service.js';
import { openSqlite } from '../../gatekeeper/db/open-sqlite.js';
import { createMemoryKeyStore } from '../../gatekeeper/keys/key-store.js';
import { createOrgWithOwner } from '../../gatekeeper/orgs/service.js';

const rows = Number(process.argv[2] ?? 100_000);
const format = process.argv[3] ?? 'ndjson';
const dir = mkdtempSync(join(tmpdir(), 'cg-export-'));
try {
  const file = join(dir, 'gk.sqlite');
  const db = await openSqlite({ file });
  const now = Date.now();
  const { org, key } = await createOrgWithOwner(
    { db, now: () => new Date(now) },
    { name: 'Big', owner: { email: 'o@big.test' }, keyName: 'k' },
  );
  const course = await createCourseOf(
    { db, now: () => new Date(now) },
    { orgId: org.id },
    { slug: 'big', title: 'Big' },
  );
  const raw = new Sqlite(file);
  const insert = raw.prepare(
    'INSERT INTO completions (session_id, org_id, course_id, deployment_id, completed, passed, score, score_scaled, progress, duration_ms, updated_at) VALUES (?, ?, ?, ?, 1, 1, 8, 0.8, 1, 61000, ?)',
  );
  raw.transaction(() => {
    for (let i = 0; i < rows; i++)
      insert.run(`ses_${String(i).padStart(8, '0')}_${'x'.repeat(24)}`, org.id, course.id, 'dep_1', now + i);
  })();
  raw.close();

  const app = createApp({
    db,
    keys: await createMemoryKeyStore(),
    now: () => new Date(),
    config: { publicUrl: 'http://localhost:1', contentUrl: 'http://127.0.0.1:2' },
  });
  globalThis.gc?.();
  const base = process.memoryUsage();
  let peakHeap = 0;
  let peakRss = 0;
  const res = await app.request(`/v1/courses/${course.id}/completions?format=${format}`, {
    headers: { authorization: `Bearer ${key}` },
  });
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  let lines = 0;
  let bytes = 0;
  let chunks = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
    for (const b of value) if (b === 10) lines++;
    // Collect first: what is measured is what the export holds on to, not garbage not yet collected.
    if (++chunks % 10 !== 0) continue;
    globalThis.gc?.();
    const m = process.memoryUsage();
    peakHeap = Math.max(peakHeap, m.heapUsed - base.heapUsed);
    peakRss = Math.max(peakRss, m.rss - base.rss);
  }
  await db.close();
  process.stdout.write(
    `${JSON.stringify({ status: res.status, lines, bytes, heapGrowth: peakHeap, rssGrowth: peakRss })}\n`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
