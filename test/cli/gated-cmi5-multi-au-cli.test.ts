import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCmi5Structure } from '../../formats/inspect/cmi5.js';
import { parseXml } from '../../formats/xml/parse.js';
import { startDeployGatekeeper } from '../helpers/deploy-gatekeeper.js';
import { sharedFile } from '../helpers/shared.js';
import { validateXml } from '../helpers/xmllint.js';
import { removeDir, tempDir } from '../packager/fixtures.js';
import { runCoursegate } from '../packager/run-cli.js';

const fixture = sharedFile('fixtures/cmi5/catapult-multi-au-framed.zip');
const structure = (xml: string) => readCmi5Structure(parseXml(xml));

// Each step is a fresh `coursegate` process (tsx start-up included), hence the long timeout.
describe.skipIf(!fixture.path)(
  'a third-party multi-AU cmi5 zip deployed with `coursegate deploy`, on s3 storage',
  { timeout: 240_000 },
  () => {
    let env: Awaited<ReturnType<typeof startDeployGatekeeper>>;
    let dir: string;
    beforeAll(async () => {
      env = await startDeployGatekeeper('s3', 'geology');
      dir = tempDir('cg-mau-cli-');
    });
    afterAll(async () => {
      await env?.close();
      removeDir(dir);
    });

    it('gets a gated cmi5 package with every AU, and the launch page is served from the bucket', async () => {
      const cli = (args: string[]) =>
        runCoursegate(args, {
          env: { COURSEGATE_URL: env.gk.url, COURSEGATE_API_KEY: env.key, XDG_CONFIG_HOME: dir },
        });
      const deployed = await cli(['deploy', fixture.path!, '--course', 'geology']);
      expect(deployed.code, deployed.stderr).toBe(0);
      const deployment = /deployed (dep_[\w-]+)/.exec(deployed.stdout)![1]!;
      expect((await cli(['promote', deployment, '--reason', 'first release'])).code).toBe(0);
      const { license } = await env.api('POST /v1/licenses', {
        body: { courseId: env.course.id, clientName: 'Client LMS' },
      });
      const out = join(dir, 'gated-cmi5.zip');
      const packaged = await cli(['licenses', 'package', license.id, '--format', 'cmi5', '-o', out]);
      expect(packaged.code, packaged.stderr).toBe(0);

      const xml = strFromU8(unzipSync(readFileSync(out))['cmi5.xml']!);
      await validateXml({ xml }, 'cmi5');
      const original = structure(strFromU8(unzipSync(readFileSync(fixture.path!))['cmi5.xml']!));
      const gated = structure(xml);
      const kept = (s: typeof gated) => s.launchables.map((a) => [a.id, a.title, a.moveOn, a.masteryScore]);
      expect(gated.launchables.length).toBe(8);
      expect(kept(gated)).toEqual(kept(original));
      expect(gated.identifier).toBe(original.identifier);
      for (const [i, au] of gated.launchables.entries())
        expect(new URL(au.launchUrl).searchParams.get('au')).toBe(original.launchables[i]!.launchUrl);

      const page = new URL(gated.launchables[0]!.launchUrl);
      page.search = '';
      const contentUrl = env.env.COURSEGATE_CONTENT_URL!;
      expect(page.href).toBe(`${contentUrl}/courses/${env.course.id}/_coursegate/cmi5-launch.html`);
      const res = await fetch(page);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(res.headers.get('cache-control')).toBe('no-cache');
      expect(await res.text()).toContain(`{"gatekeeper":"${env.gk.url}"}`);
    });
  },
);
