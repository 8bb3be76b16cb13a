import type { Command } from 'commander';
import { WEBHOOK_EVENT_TYPES } from '../../protocol/api/webhooks.js';
import { apiClient, printTable } from './api-client.js';
import type { CliIo } from './cli-io.js';

const printSecret = (io: CliIo, id: string, secret: string) =>
  io.stdout.write(
    `Endpoint: ${id}\nSecret:   ${secret}\n(shown only now; verify each delivery's webhook-signature with it, per Standard Webhooks)\n`,
  );

/**
 * `coursegate webhooks …`: the org's webhook endpoints (owners only; docs/integrations.md): add, list,
 * remove, rotate the secret, send a test event, read the delivery log, redeliver.
 */
export function registerWebhookCommands(program: Command, io: CliIo): void {
  const hooks = program
    .command('webhooks')
    .description(
      'Signed webhooks for license, deployment and launch events: add, list, remove, rotate, test, deliveries',
    );

  hooks
    .command('add <url>')
    .description('Add an endpoint; its signing secret (whsec_…) is printed once')
    .requiredOption(
      '--events <list>',
      `comma-separated events, or * for all: ${WEBHOOK_EVENT_TYPES.join(', ')}`,
    )
    .option('--description <text>', 'what the endpoint is for')
    .action(async (url: string, options: { events: string; description?: string }) => {
      const res = await apiClient(io)('POST /v1/webhooks', {
        body: {
          url,
          events: options.events
            .split(',')
            .map((e) => e.trim())
            .filter(Boolean),
          ...(options.description ? { description: options.description } : {}),
        },
      });
      printSecret(io, res.endpoint.id, res.secret);
    });

  hooks
    .command('list')
    .description("List the org's endpoints (never their secrets)")
    .action(async () => {
      const res = await apiClient(io)('GET /v1/webhooks', {});
      printTable(io, res.webhooks, ['id', 'url', 'events', 'createdAt']);
    });

  hooks
    .command('remove <id>')
    .description('Remove an endpoint and its queued deliveries')
    .action(async (id: string) => {
      await apiClient(io)('DELETE /v1/webhooks/:id', { params: { id } });
      io.stdout.write(`Removed ${id}\n`);
    });

  hooks
    .command('rotate <id>')
    .description('A new secret, printed once; the previous one also signs for 24 hours')
    .action(async (id: string) => {
      const res = await apiClient(io)('POST /v1/webhooks/:id/rotate', { params: { id }, body: {} });
      printSecret(io, res.endpoint.id, res.secret);
    });

  hooks
    .command('test <id>')
    .description('Queue a webhook.test event for the endpoint')
    .action(async (id: string) => {
      const res = await apiClient(io)('POST /v1/webhooks/:id/test', { params: { id }, body: {} });
      io.stdout.write(`Queued test event ${res.id}\n`);
    });

  hooks
    .command('deliveries <id>')
    .description("The endpoint's delivery log, newest first")
    .action(async (id: string) => {
      const res = await apiClient(io)('GET /v1/webhooks/:id/deliveries', { params: { id } });
      printTable(io, res.deliveries, [
        'id',
        'type',
        'status',
        'attempts',
        'responseStatus',
        'latencyMs',
        'nextAttemptAt',
        'lastError',
      ]);
    });

  hooks
    .command('redeliver <id> <eventId>')
    .description('Send a delivery again now, with the same webhook-id')
    .action(async (id: string, eventId: string) => {
      await apiClient(io)('POST /v1/webhooks/:id/deliveries/:eventId/redeliver', {
        params: { id, eventId },
        body: {},
      });
      io.stdout.write(`Queued ${eventId} again\n`);
    });
}
