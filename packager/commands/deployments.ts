import type { Command } from 'commander';
import { deploymentLabels } from '../../protocol/deployment-label.js';
import { apiClient, namingCourse, printTable } from './api-client.js';
import type { CliIo } from './cli-io.js';

/** `coursegate deployments <course>`: a course's deployments, newest first, by version label and message. */
export function registerDeploymentsCommand(program: Command, io: CliIo): void {
  program
    .command('deployments <course>')
    .description('Deployments of a course, newest first, with their version labels and deploy messages')
    .action(async (course: string) => {
      const res = await namingCourse(
        course,
        apiClient(io)('GET /v1/courses/:id/deployments', { params: { id: course } }),
      );
      const labels = deploymentLabels(
        res.deployments.map((d) => ({ id: d.id, version: d.metadata.version })),
      );
      const rows = res.deployments.map((d) => ({ ...d, label: labels.get(d.id) }));
      printTable(io, rows, ['label', 'id', 'status', 'createdAt', 'message']);
    });
}
