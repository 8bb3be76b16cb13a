import { readFileSync } from 'node:fs';
import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { sharedFile } from '../helpers/shared.js';
import { validateXml } from '../helpers/xmllint.js';

const fixture = sharedFile('fixtures/scorm/golf-scorm12-basic-runtime.zip');

function manifestOf(zipPath: string): string {
  const files = unzipSync(readFileSync(zipPath), { filter: (f) => f.name === 'imsmanifest.xml' });
  const bytes = files['imsmanifest.xml'];
  if (!bytes) throw new Error(`${zipPath} has no imsmanifest.xml`);
  return strFromU8(bytes);
}

describe.skipIf(!fixture.path)(`xmllint against ../shared/standards ${fixture.reason}`, () => {
  it("validates the golf SCORM 1.2 fixture's imsmanifest.xml against scorm12-package.xsd", async () => {
    await expect(validateXml({ xml: manifestOf(fixture.path!) }, 'scorm12')).resolves.toBeUndefined();
  });

  it('rejects a manifest that breaks the schema, quoting xmllint', async () => {
    const broken = manifestOf(fixture.path!).replace(/<organizations[^>]*>/, '$&<bogus/>');
    await expect(validateXml({ xml: broken }, 'scorm12')).rejects.toThrow(/xmllint: .*bogus/s);
  });
});
