import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliGatekeeper, cliGatekeeper } from '../helpers/cli-gatekeeper.js';
import { cliLiveCourse } from '../helpers/cli-live-course.js';
import { runCoursegate } from '../packager/run-cli.js';

let gk: CliGatekeeper;
let owner: Awaited<ReturnType<CliGatekeeper['org']>>;
let licenseId = '';
let courseId = '';
const dir = mkdtempSync(join(tmpdir(), 'cg-cli-pkg-'));

// The Gatekeeper app in this process (the bundles in dist/ are built by the global setup); the course is
// deployed through the data layer and storage, the license issued through the API.
beforeAll(async () => {
  gk = await cliGatekeeper();
  owner = await gk.org('Course Author');
  courseId = await cliLiveCourse(gk, owner);
  const issued = await owner.api('POST /v1/licenses', { body: { courseId, clientName: 'Client LMS' } });
  licenseId = issued.license.id;
});
afterAll(async () => {
  await gk?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('coursegate licenses package', () => {
  const env = () => ({ ...owner.env, XDG_CONFIG_HOME: dir });

  it('writes the gated SCORM 2004 zip the API serves', async () => {
    const out = join(dir, 'gated.zip');
    const r = await runCoursegate(['licenses', 'package', licenseId, '--format', 'scorm2004', '-o', out], {
      env: env(),
      fetch: gk.fetch,
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
      fetch: gk.fetch,
    });
    expect(r.code).toBe(0);
    const page = `${gk.contentUrl}/courses/${courseId}/_coursegate/cmi5-launch.html?t=`;
    expect(strFromU8(unzipSync(readFileSync(out))['cmi5.xml']!)).toContain(`<url>${page}`);
  });

  it('names an output it cannot write in one line with its code, and leaves no partial file', async () => {
    const missing = await runCoursegate(
      ['licenses', 'package', licenseId, '--format', 'scorm2004', '-o', '/nonexistent/x.zip'],
      { env: env(), fetch: gk.fetch },
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
      { env: env(), fetch: gk.fetch },
    );
    expect(taken.code).toBe(1);
    expect(taken.stderr).toMatch(/^coursegate: Download failed: .*\[io_error\]\n$/);
    expect(readdirSync(into)).toEqual(['taken.zip']);
    expect(readdirSync(join(into, 'taken.zip'))).toEqual([]);
  });

  it('says what is wrong with an unknown license', async () => {
    const r = await runCoursegate(['licenses', 'package', 'lic_nope'], { env: env(), fetch: gk.fetch });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/No such license/);
  });
});
