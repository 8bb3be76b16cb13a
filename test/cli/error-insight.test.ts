import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { build } from 'esbuild';
import { afterAll, expect, it } from 'vitest';
import { startContentServer } from '../../gatekeeper/content/server.js';
import { fingerprint, trimStack } from '../../runtime/telemetry/error-capture.js';
import { type CliGatekeeper, cliGatekeeper } from '../helpers/cli-gatekeeper.js';
import { dashboardSignIn } from '../helpers/dashboard.js';
import type { TestApp } from '../helpers/gatekeeper.js';
import { makeCourseDir, removeDir, tempDir } from '../packager/fixtures.js';
import { runCoursegate } from '../packager/run-cli.js';

const SOURCE = `export function openPage(name: string): string {
  const pages: Record<string, string> = { intro: 'Welcome' };
  if (name === 'quiz') {
    throw new Error('Quiz bank is empty');
  }
  if (!(name in pages)) throw new Error(\`No page \${name}\`);
  return pages[name] as string;
}
(globalThis as { openPage?: typeof openPage }).openPage = openPage;
`;
const CHROME =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

let gk: CliGatekeeper | undefined;
const dirs: string[] = [];
afterAll(async () => {
  await gk?.close();
  for (const d of dirs) removeDir(d);
});

it('groups 50 + 1 thrown errors, resolves the sample stack to the .ts throw, never serves the .map', {
  timeout: 60_000,
}, async () => {
  gk = await cliGatekeeper();
  const g = gk;
  const owner = await g.org('Insight', 'owner@insight.test');
  const course = await owner.api('POST /v1/courses', {
    body: { slug: 'ts-course', title: 'TypeScript course' },
  });
  const home = tempDir('cg-home-');
  const project = makeCourseDir({
    'src/course.ts': SOURCE,
    'dist/index.html': '<!doctype html><title>ts</title>',
  });
  dirs.push(home, project);
  await build({
    entryPoints: [join(project, 'src/course.ts')],
    outfile: join(project, 'dist/app.js'),
    bundle: true,
    minify: true,
    sourcemap: true,
    format: 'iife',
    logLevel: 'silent',
  });
  writeFileSync(
    join(project, 'dist/coursegate.json'),
    JSON.stringify({ id: 'ts', title: 'TS', version: '1', entry: 'index.html' }),
  );
  const coursegate = (args: string[]) =>
    runCoursegate(args, { env: { HOME: home, ...owner.env }, isolated: true, fetch: g.fetch });
  const deployed = await coursegate([
    'deploy',
    join(project, 'dist'),
    '--course',
    'ts-course',
    '--message',
    'v1',
  ]);
  expect(deployed.code, deployed.stderr).toBe(0);
  const dep = /deployed (dep_[\w-]+)/.exec(deployed.stdout)?.[1] as string;
  expect((await coursegate(['promote', dep, '--reason', 'release'])).code).toBe(0);

  // The content origin: the built file is served, its map neither beside it nor under the private prefix.
  const content = await startContentServer({ storage: g.storage, host: '127.0.0.1', port: 0 });
  try {
    const at = (p: string) => fetch(`${content.url}/${p}`).then((r) => r.status);
    expect(await at(`courses/${course.id}/${dep}/app.js`)).toBe(200);
    expect(await at(`courses/${course.id}/${dep}/app.js.map`)).toBe(404);
    expect(await at(`sourcemaps/${course.id}/${dep}/app.js.map`)).toBe(404);
  } finally {
    await content.close();
  }

  // Stacks as V8 makes them for the deployed file at its content URL, reported as the runtime's capture does.
  const fileUrl = `${g.contentUrl}/courses/${course.id}/${dep}/app.js`;
  const sandbox: { openPage?: (name: string) => string } = {};
  runInNewContext(
    readFileSync(join(project, 'dist/app.js'), 'utf8'),
    { globalThis: sandbox },
    {
      filename: fileUrl,
    },
  );
  const thrown = (name: string) => {
    try {
      sandbox.openPage?.(name);
    } catch (e) {
      return e as Error;
    }
    throw new Error('did not throw');
  };
  const report = (e: Error) => {
    const stack = trimStack(e.stack ?? '');
    const now = new Date().toISOString();
    return {
      id: crypto.randomUUID(),
      fingerprint: fingerprint('error', e.message, stack),
      kind: 'error',
      message: e.message,
      stack,
      count: 1,
      firstAt: now,
      lastAt: now,
      course: 'ts-course',
      page: `/courses/${course.id}/${dep}/index.html`,
    };
  };
  const license = await owner.api('POST /v1/licenses', {
    body: { courseId: course.id, clientName: 'Northwind LMS' },
  });
  const launch = await g.fetch(`${g.url}/v1/launch`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token: license.token, standard: 'scorm12' }),
  });
  expect(launch.status).toBe(200);
  const { session } = (await launch.json()) as { session: { token: string } };
  const post = (errors: unknown[]) =>
    g.fetch(`${g.url}/v1/errors`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${session.token}`,
        'user-agent': CHROME,
      },
      body: JSON.stringify({ errors }),
    });
  const quiz = Array.from({ length: 50 }, () => report(thrown('quiz')));
  expect((await post(quiz)).status).toBe(200);
  expect((await post([report(thrown('outro'))])).status).toBe(200);

  const member = await g.db.orm.query.members.findFirst();
  const dashboard = await dashboardSignIn({ db: g.db, app: g.app } as unknown as TestApp, member as never);
  const log = await (await dashboard('GET', '/errors')).text();
  expect(log).toContain('href="/dashboard/error-groups"');
  const list = await (await dashboard('GET', '/error-groups')).text();
  const rows = [
    ...list.matchAll(/<tr><td data-label="Error"><a href="([^"]+)">([^<]+)<\/a>.*?class="count">(\d+)</g),
  ];
  expect(rows.map((r) => [r[2], Number(r[3])]).sort()).toEqual([
    ['No page outro', 1],
    ['Quiz bank is empty', 50],
  ]);
  expect(list).toContain('Northwind LMS');
  expect(list).toContain('Chrome');

  const href = rows.find((r) => r[2] === 'Quiz bank is empty')?.[1] as string;
  const detail = await (await dashboard('GET', href.replace(/^\/dashboard/, ''))).text();
  const throwLine =
    SOURCE.split('\n').findIndex((l) => l.includes("throw new Error('Quiz bank is empty')")) + 1;
  expect(detail).toMatch(new RegExp(`src/course\\.ts:${throwLine}:\\d+ in openPage`));
  expect(detail).toContain('app.js:'); // the frame as reported: file name and line:column kept
});
