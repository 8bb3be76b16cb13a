import type { Command } from 'commander';
import { apiClient, printTable } from './api-client.js';
import type { CliIo } from './cli-io.js';
import { resolveCourse } from './licenses.js';

/**
 * `coursegate courses ingest-keys …`: the keys portable packages of a course send anonymous telemetry
 * with (`coursegate package … --telemetry-endpoint <url> --ingest-key <key>`).
 */
export function registerIngestKeyCommands(courses: Command, io: CliIo): void {
  const keys = courses
    .command('ingest-keys')
    .description('Per-course ingest keys (cgi_…) for telemetry from portable packages: create, list, revoke');

  keys
    .command('create <course>')
    .description('Create an ingest key for a course (id or slug); it is printed once')
    .option('--name <name>', 'what the key is for, e.g. "client-x 2026"')
    .action(async (course: string, options: { name?: string }) => {
      const api = apiClient(io);
      const id = await resolveCourse(api, course);
      const res = await api('POST /v1/courses/:id/ingest-keys', {
        params: { id },
        body: options.name ? { name: options.name } : {},
      });
      io.stdout.write(
        `Key id:     ${res.ingestKey.id}\nIngest key: ${res.key}\n(shown only now; it ships inside the packages built with it)\n`,
      );
    });

  keys
    .command('list <course>')
    .description('List the ingest keys of a course (never the secrets)')
    .action(async (course: string) => {
      const api = apiClient(io);
      const res = await api('GET /v1/courses/:id/ingest-keys', {
        params: { id: await resolveCourse(api, course) },
      });
      printTable(io, res.ingestKeys, ['id', 'name', 'prefix', 'createdAt', 'revokedAt']);
    });

  keys
    .command('revoke <course> <id>')
    .description('Revoke an ingest key: the next telemetry request with it is refused')
    .action(async (course: string, id: string) => {
      const api = apiClient(io);
      await api('DELETE /v1/courses/:id/ingest-keys/:keyId', {
        params: { id: await resolveCourse(api, course), keyId: id },
      });
      io.stdout.write(`Revoked ${id}\n`);
    });
}
