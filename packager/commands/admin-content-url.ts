import type { Command } from 'commander';
import { PackagerError } from '../errors.js';
import type { CliIo } from './cli-io.js';
import { checkExistingDatabase, loadAdmin } from './data-dir.js';

/**
 * `coursegate admin set-content-url <org> [url]`: the origin an organisation's courses are served from,
 * instead of COURSEGATE_ORG_CONTENT_URL's (docs/storage.md, "The content origin"); `--clear` goes back.
 */
export function registerContentUrlCommand(admin: Command, io: CliIo): void {
  admin
    .command('set-content-url <org> [url]')
    .description(
      "Serve an organisation's courses from a base URL of its own (a bucket custom domain or CDN host, S3/R2), instead of COURSEGATE_ORG_CONTENT_URL's. Takes effect at the next launch; re-download gated cmi5 packages after.",
    )
    .option('--clear', 'go back to COURSEGATE_ORG_CONTENT_URL')
    .option('--data-dir <dir>', 'the Gatekeeper data directory', './data')
    .option('--reason <text>', 'recorded in the organisation’s audit trail')
    .action(
      async (
        org: string,
        url: string | undefined,
        options: { dataDir: string; reason?: string; clear?: boolean },
      ) => {
        if ((url === undefined) === !options.clear)
          throw new PackagerError('invalid_config', 'Give either a URL or --clear');
        const admin = await loadAdmin();
        checkExistingDatabase(admin, options.dataDir);
        const done = await admin
          .setOrgContentUrl({
            dataDir: options.dataDir,
            orgId: org,
            url: url ?? null,
            reason: options.reason,
            now: () => new Date(),
          })
          .catch((err: unknown) => {
            if (err instanceof admin.ContentUrlError) throw new PackagerError('invalid_config', err.message);
            throw err;
          });
        io.stdout.write(
          done.to === null
            ? `${org} is served from COURSEGATE_ORG_CONTENT_URL again.\n`
            : `${org} is served from ${done.to} from its next launch. Point that host at the content (the bucket, or this server's content port).\n`,
        );
      },
    );
}
