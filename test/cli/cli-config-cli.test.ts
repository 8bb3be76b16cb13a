import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeDir, tempDir } from '../packager/fixtures.js';
import { runCoursegate } from '../packager/run-cli.js';

const home = tempDir('cg-config-');
afterAll(() => removeDir(home));

describe('the CLI configuration file', { timeout: 60_000 }, () => {
  it.each([['null'], ['[]'], ['"http://localhost:8787"'], ['{"url": 8787, "apiKey": "cg_x"}']])(
    'refuses %s with one line naming the file',
    async (content) => {
      const file = join(home, '.config/coursegate/config.json');
      mkdirSync(join(home, '.config/coursegate'), { recursive: true });
      writeFileSync(file, content);
      const r = await runCoursegate(['courses', 'list'], { env: { HOME: home }, isolated: true });
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(
        `coursegate: ${file} must hold a JSON object with "url" and "apiKey" strings [not_configured]\n`,
      );
    },
  );
});
