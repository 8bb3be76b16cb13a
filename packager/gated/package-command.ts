import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { loadCliConfig } from '../commands/cli-config.js';
import { PackagerError } from '../errors.js';

const FORMATS = ['scorm12', 'scorm2004', 'cmi5'];

/**
 * `coursegate licenses package <license> --format scorm12|scorm2004|cmi5 [-o file]`: downloads the gated
 * package an LMS admin uploads (`GET /v1/licenses/:id/package`). Added to the `licenses` group.
 */
export function registerGatedPackageCommand(program: Command): void {
  const licenses = program.commands.find((c) => c.name() === 'licenses');
  if (!licenses) throw new Error('register the licenses commands first');
  licenses
    .command('package <license>')
    .description('Download the gated package (launch stub, no content) to upload to the client LMS')
    .option('--format <format>', 'scorm12, scorm2004 or cmi5', 'scorm12')
    .option('-o, --output <file>', 'where to write the zip (default <license>-<format>.zip)')
    .action(async (license: string, o: { format: string; output?: string }) => {
      if (!FORMATS.includes(o.format))
        throw new PackagerError('invalid_config', `--format must be one of ${FORMATS.join(', ')}`);
      const config = loadCliConfig();
      const path = `/v1/licenses/${encodeURIComponent(license)}/package?format=${o.format}`;
      let res: Response;
      try {
        res = await fetch(`${config.url}${path}`, { headers: { authorization: `Bearer ${config.apiKey}` } });
      } catch (err) {
        throw new PackagerError('api_error', `Cannot reach ${config.url}: ${(err as Error).message}`);
      }
      if (!res.ok) {
        const json = (await res.json().catch(() => ({}))) as { error?: { code: string; message: string } };
        throw new PackagerError(
          'api_error',
          `${json.error?.message ?? `HTTP ${res.status}`} (${json.error?.code ?? res.status})`,
        );
      }
      const file = o.output ?? `${license}-${o.format}.zip`;
      const bytes = new Uint8Array(await res.arrayBuffer());
      await writeFile(file, bytes);
      process.stdout.write(`${file}: gated ${o.format} package, ${bytes.length} bytes\n`);
    });
}
