import { describe, expect, it } from 'vitest';
import { ALLOWED_BUILTINS, bundleWorker, nodeOnlyImports } from '../helpers/worker-bundle.js';

describe('the Worker build', () => {
  it('bundles gatekeeper/worker.ts for workerd with nothing Node-only in it', async () => {
    const { metafile } = await bundleWorker();
    // Named with the importer chain, so a leak says which import to move behind a seam.
    expect(nodeOnlyImports(metafile)).toEqual([]);
  });

  it('names the importer chain of a Node-only module that leaks in', async () => {
    const { metafile } = await bundleWorker();
    const leaky = {
      inputs: {
        ...metafile.inputs,
        'gatekeeper/worker.ts': {
          ...metafile.inputs['gatekeeper/worker.ts']!,
          imports: [
            ...metafile.inputs['gatekeeper/worker.ts']!.imports,
            { path: 'gatekeeper/db/open-sqlite.ts', kind: 'import-statement' as const, original: '' },
          ],
        },
        'gatekeeper/db/open-sqlite.ts': {
          bytes: 1,
          imports: [
            { path: 'node:fs', kind: 'import-statement' as const, external: true, original: 'node:fs' },
          ],
        },
      },
      outputs: metafile.outputs,
    };
    expect(nodeOnlyImports(leaky)).toEqual(['gatekeeper/worker.ts → gatekeeper/db/open-sqlite.ts → node:fs']);
  });

  it('uses no Node built-in beyond what nodejs_compat provides', async () => {
    const { metafile } = await bundleWorker();
    const builtins = new Set(
      Object.values(metafile.inputs).flatMap((i) =>
        i.imports.filter((x) => x.path.startsWith('node:')).map((x) => x.path),
      ),
    );
    expect([...builtins].every((b) => ALLOWED_BUILTINS.includes(b))).toBe(true);
  });
});
