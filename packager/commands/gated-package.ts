import type { Command } from 'commander';
import { apiPath } from '../../protocol/api/routes.js';
import { isStandard, STANDARDS } from '../../protocol/launch.js';
import { PackagerError } from '../errors.js';
import { apiClient } from './api-client.js';
import { loadCliConfig } from './cli-config.js';
import type { CliIo } from './cli-io.js';
import { downloadToFile } from './download.js';

/**
 * `coursegate licenses package <license> --format scorm12|scorm2004|cmi5 [-o file]`: downloads the gated
 * package an LMS admin uploads (`GET /v1/licenses/:id/package`), written as `export` writes, through a
 * `.partial` file. Added to the `licenses` group.
 */
export function registerGatedPackageCommand(program: Command, io: CliIo): void {
  const licenses = program.commands.find((c) => c.name() === 'licenses');
  if (!licenses) throw new Error('register the licenses commands first');
  licenses
    .command('package <license>')
    .description('Download the gated package (launch stub, no content) to upload to the client LMS')
    .option('--format <format>', 'scorm12, scorm2004 or cmi5', 'scorm12')
    .option('-o, --output <file>', 'where to write the zip (default <license>-<format>.zip)')
    .action(async (license: string, o: { format: string; output?: string }) => {
      if (!isStandard(o.format))
        throw new PackagerError('invalid_config', `--format must be one of ${STANDARDS.join(', ')}`);
      const file = o.output ?? `${license}-${o.format}.zip`;
      const config = loadCliConfig(io.env);
      const params = { id: license };
      // The API serves a revoked license's package (it may be unrevoked later), but an admin who installs
      // it now gets a course that refuses every launch: say so, and download all the same.
      const { license: found } = await apiClient(io, config)('GET /v1/licenses/:id', { params });
      if (found.status === 'revoked')
        io.stderr.write(
          `coursegate: warning: license ${license} is revoked; launches of this package will be refused until "coursegate licenses unrevoke ${license}"\n`,
        );
      const path = apiPath('GET /v1/licenses/:id/package', { params, query: { format: o.format } });
      const bytes = await downloadToFile(io, config, path, file);
      io.stdout.write(`${file}: gated ${o.format} package, ${bytes} bytes\n`);
    });
}
