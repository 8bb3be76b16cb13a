import type { Command } from 'commander';
import { apiClient, printJson, printTable } from './api-client.js';
import type { CliIo } from './cli-io.js';
import { registerIngestKeyCommands } from './ingest-keys.js';

/** `coursegate courses …`: the courses licenses are issued for. */
export function registerCourseCommands(program: Command, io: CliIo): void {
  const courses = program.command('courses').description('Courses of your organisation');

  courses
    .command('create <slug>')
    .description('Create a course (slug: lowercase letters, digits, dashes)')
    .option('--title <title>', 'human title (default: the slug)')
    .action(async (slug: string, options: { title?: string }) => {
      printJson(
        io,
        await apiClient(io)('POST /v1/courses', { body: { slug, title: options.title ?? slug } }),
      );
    });

  courses
    .command('list')
    .description('List courses')
    .action(async () => {
      const res = await apiClient(io)('GET /v1/courses');
      printTable(io, res.courses, ['id', 'slug', 'title', 'liveDeploymentId']);
    });

  registerIngestKeyCommands(courses, io);
}
