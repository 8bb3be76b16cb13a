import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureRuntimeBuild } from '../../scripts/ensure-runtime-build.ts';
import { ROOT } from '../helpers/paths.js';
import { type RealGatekeeper, realGatekeeper } from '../helpers/real-gatekeeper.js';
import { runCoursegate } from '../packager/run-cli.js';

let gk: RealGatekeeper;
let licenseId = '';
let courseId = '';
const dir = mkdtempSync(join(tmpdir(), 'cg-cli-pkg-'));

beforeAll(async () => {
  ensureRuntimeBuild(ROOT);
  gk = realGatekeeper();
  await gk.start('http://localhost:8787');
  courseId = await gk.deploy('intro', { 'index.html': new TextEncoder().encode('<p>hi</p>') }, 'index.html');
  licenseId = (await gk.license(courseId)).id;
});
afterAll(async () => {
  await gk?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('coursegate licenses package', () => {
  const env = () => ({ COURSEGATE_URL: gk.api.url, COURSEGATE_API_KEY: gk.api.key, XDG_CONFIG_HOME: dir });

  it('writes the gated SCORM 2004 zip the API serves', async () => {
    const out = join(dir, 'gated.zip');
    const r = await runCoursegate(['licenses', 'package', licenseId, '--format', 'scorm2004', '-o', out], {
      env: env(),
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const files = unzipSync(readFileSync(out));
    expect(Object.keys(files).sort()).toEqual(['coursegate-stub.js', 'imsmanifest.xml', 'index.html']);
    // A folder deployment: the manifest the portable export writes (SCORM 2004 4th edition).
    expect(strFromU8(files['imsmanifest.xml']!)).toContain('2004 4th Edition');
  });

  it('writes a cmi5 zip whose AU URL is the course launch page on the content origin', async () => {
    const out = join(dir, 'gated-cmi5.zip');
    const r = await runCoursegate(['licenses', 'package', licenseId, '--format', 'cmi5', '-o', out], {
      env: env(),
    });
    expect(r.code).toBe(0);
    const page = `${gk.contentUrl}/courses/${courseId}/_coursegate/cmi5-launch.html?t=`;
    expect(strFromU8(unzipSync(readFileSync(out))['cmi5.xml']!)).toContain(`<url>${page}`);
  });

  it('names an output it cannot write in one line with its code, and leaves no partial file', async () => {
    const missing = await runCoursegate(
      ['licenses', 'package', licenseId, '--format', 'scorm2004', '-o', '/nonexistent/x.zip'],
      { env: env() },
    );
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(
      /^coursegate: Download failed: .*ENOENT.*\/nonexistent\/x\.zip.*\[io_error\]\n$/,
    );

    // The download is written beside the target and renamed: an output that is a folder fails at the
    // rename, and the partial file is removed.
    const into = join(dir, 'into');
    mkdirSync(join(into, 'taken.zip'), { recursive: true });
    const taken = await runCoursegate(
      ['licenses', 'package', licenseId, '--format', 'scorm12', '-o', join(into, 'taken.zip')],
      { env: env() },
    );
    expect(taken.code).toBe(1);
    expect(taken.stderr).toMatch(/^coursegate: Download failed: .*\[io_error\]\n$/);
    expect(readdirSync(into)).toEqual(['taken.zip']);
    expect(readdirSync(join(into, 'taken.zip'))).toEqual([]);
  });

  it('says what is wrong with an unknown license', async () => {
    const r = await runCoursegate(['licenses', 'package', 'lic_nope'], { env: env() });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/No such license/);
  });
});
