import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { removeDir, tempDir } from '../packager/fixtures.js';
import { runCoursegate } from '../packager/run-cli.js';

const work = tempDir('cg-deploy-src-');
afterAll(() => removeDir(work));

/** A SCORM 1.2 package whose only SCO is a page on another site: nothing in it can be deployed. */
const EXTERNAL = `<?xml version="1.0"?>
<manifest identifier="ext" xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2" xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
  <organizations default="o"><organization identifier="o"><title>External</title>
    <item identifier="i1" identifierref="r1"><title>Elsewhere</title></item>
  </organization></organizations>
  <resources>
    <resource identifier="r1" type="webcontent" adlcp:scormtype="sco" href="https://courses.example.com/golf/index.html"/>
  </resources>
</manifest>`;

describe('coursegate deploy <package.zip>', { timeout: 60_000 }, () => {
  it('refuses a package with no launchable page inside and leaves no extracted copy behind', async () => {
    const zip = join(work, 'ext.zip');
    writeFileSync(zip, zipSync({ 'imsmanifest.xml': strToU8(EXTERNAL), 'readme.txt': strToU8('x') }));
    const tmp = tempDir('cg-deploy-tmp-');
    try {
      const r = await runCoursegate(['deploy', zip, '--course', 'golf'], {
        // The extraction goes to the OS temp folder: a private one shows whatever is left there.
        env: {
          HOME: work,
          TMPDIR: tmp,
          COURSEGATE_URL: 'http://127.0.0.1:9',
          COURSEGATE_API_KEY: 'cg_unused',
        },
        isolated: true,
        cwd: work,
      });
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(
        `coursegate: ${zip} names no launchable page inside the package [invalid_package]\n`,
      );
      // (tsx keeps its compile cache there too.)
      expect(readdirSync(tmp).filter((name) => name.startsWith('coursegate-'))).toEqual([]);
    } finally {
      removeDir(tmp);
    }
  });
});
