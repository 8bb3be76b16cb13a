import { type Command, Option } from 'commander';
import type { LaunchCap } from '../../protocol/api/licenses.js';
import { normalizeLmsOrigin } from '../../protocol/origin.js';
import { PackagerError } from '../errors.js';
import { type ApiCall, apiClient, printJson, printTable } from './api-client.js';
import type { CliIo } from './cli-io.js';
import { positiveIntegerOption } from './integer-option.js';

// The most the API accepts (gatekeeper/licenses/service.ts).
const MAX_LAUNCH_CAP = 1_000_000_000;

/** Accepts a course id or slug. */
export async function resolveCourse(api: ApiCall, ref: string): Promise<string> {
  const { courses } = await api('GET /v1/courses');
  const course = courses.find((c) => c.id === ref || c.slug === ref);
  if (!course) throw new PackagerError('api_error', `No course "${ref}" in your organisation`);
  return course.id;
}

function date(value: string | undefined, flag: string): string | null | undefined {
  if (value === undefined) return undefined;
  if (value === 'never') return null;
  const ms = Date.parse(value);
  if (Number.isNaN(ms))
    throw new PackagerError('invalid_config', `${flag} must be a date such as 2027-01-31`);
  return new Date(ms).toISOString();
}

// The API's own limits and rules (gatekeeper/licenses/service.ts), checked here so that a mistake is
// named by its flag: the API's answer names JSON fields (`launchCap.period`, `allowedOrigins.0`).
const CAP_PERIODS = ['day', 'month', 'total'];
const MAX_ORIGINS = 50;
const MAX_ORIGIN_LENGTH = 200;
const MAX_CLIENT_LENGTH = 200;
const MAX_NOTES_LENGTH = 2000;

/** One `--origin`, checked by the rule the API applies, added to those given before. */
function collectOrigin(value: string, previous: string[]): string[] {
  if (value.length > MAX_ORIGIN_LENGTH || normalizeLmsOrigin(value) === null)
    throw new PackagerError(
      'invalid_config',
      `--origin must be an origin like https://lms.example.com (scheme, host, optional port; no path), not ${JSON.stringify(value)}`,
    );
  if (previous.length >= MAX_ORIGINS)
    throw new PackagerError('invalid_config', `--origin can be given at most ${MAX_ORIGINS} times`);
  return [...previous, value];
}

function capPeriod(value: string): LaunchCap['period'] {
  if (!CAP_PERIODS.includes(value))
    throw new PackagerError('invalid_config', '--cap-period must be day, month or total');
  return value as LaunchCap['period'];
}

/** `coursegate licenses …`: a course licensed to a client LMS, with its signed token. */
export function registerLicenseCommands(program: Command, io: CliIo): void {
  const licenses = program
    .command('licenses')
    .description('Licenses: a course for a client, with its signed token');

  licenses
    .command('create')
    .description('Issue a license and print its token')
    .requiredOption('--course <id-or-slug>', 'the course')
    .requiredOption('--client <name>', 'the client (e.g. the LMS owner)')
    .addOption(
      new Option('--origin <origin>', 'allowed LMS origin, repeatable')
        .argParser(collectOrigin)
        .default([], 'any'),
    )
    .option('--starts <date>', 'first day launches work')
    .option('--expires <date>', 'when launches stop working')
    .option('--cap <n>', 'launches allowed per period', positiveIntegerOption('--cap', MAX_LAUNCH_CAP))
    .option('--cap-period <period>', 'period of --cap: day, month or total (default: month)', capPeriod)
    .option('--notes <text>', 'free text for you')
    .action(
      async (o: {
        course: string;
        client: string;
        origin: string[];
        starts?: string;
        expires?: string;
        cap?: number;
        capPeriod?: LaunchCap['period'];
        notes?: string;
      }) => {
        if (o.capPeriod !== undefined && o.cap === undefined)
          throw new PackagerError('invalid_config', '--cap-period needs --cap (the number of launches)');
        const client = o.client.trim();
        if (client === '' || client.length > MAX_CLIENT_LENGTH)
          throw new PackagerError('invalid_config', `--client must be 1 to ${MAX_CLIENT_LENGTH} characters`);
        if (o.notes !== undefined && o.notes.length > MAX_NOTES_LENGTH)
          throw new PackagerError('invalid_config', `--notes must be at most ${MAX_NOTES_LENGTH} characters`);
        const startsAt = date(o.starts, '--starts');
        const expiresAt = date(o.expires, '--expires');
        if (startsAt && expiresAt && Date.parse(startsAt) >= Date.parse(expiresAt))
          throw new PackagerError('invalid_config', '--starts must be before --expires');
        const api = apiClient(io);
        const res = await api('POST /v1/licenses', {
          body: {
            courseId: await resolveCourse(api, o.course),
            clientName: o.client,
            allowedOrigins: o.origin,
            startsAt,
            expiresAt,
            launchCap: o.cap === undefined ? undefined : { limit: o.cap, period: o.capPeriod ?? 'month' },
            notes: o.notes,
          },
        });
        printJson(io, res);
      },
    );

  licenses
    .command('list')
    .description('List licenses')
    .option('--course <id-or-slug>', 'only this course')
    .action(async (o: { course?: string }) => {
      const api = apiClient(io);
      const query = o.course ? { courseId: await resolveCourse(api, o.course) } : {};
      const res = await api('GET /v1/licenses', { query });
      // `retired`: packages made with its token are refused until `licenses reissue` (admin retire-signing-key).
      const rows = res.licenses.map((l) => ({
        ...l,
        signingKey: l.signingKeyRetired ? 'retired' : null,
        flags: l.flags.join('; ') || null,
      }));
      printTable(io, rows, [
        'id',
        'clientName',
        'courseId',
        'state',
        'startsAt',
        'expiresAt',
        'allowedOrigins',
        'signingKey',
        // Expiring within 14 days or at 80 % of the cap or more (docs/dashboard.md, "Licenses").
        'flags',
      ]);
    });

  const action = (name: 'revoke' | 'unrevoke', description: string) =>
    licenses
      .command(`${name} <id>`)
      .description(description)
      .option('--reason <text>', 'why, kept in the audit log')
      .action(async (id: string, o: { reason?: string }) => {
        const license = await apiClient(io)(`POST /v1/licenses/:id/${name}`, {
          params: { id },
          body: { reason: o.reason },
        });
        io.stdout.write(`${id}: ${license.state}\n`);
      });
  action('revoke', "Revoke: the next launch and its sessions' next telemetry are refused");
  action('unrevoke', 'Un-revoke: launches work again');

  licenses
    .command('reissue [id]')
    .description(
      'New token, signed with the active key; the old one stops working at once. Download the package again after.',
    )
    .option('--all-retired', 'reissue every license `licenses list` flags with a retired signing key')
    .option('--reason <text>', 'why, kept in the audit log')
    .action(async (id: string | undefined, o: { allRetired?: boolean; reason?: string }) => {
      const api = apiClient(io);
      if ((id === undefined) === !o.allRetired)
        throw new PackagerError('invalid_config', 'Give a license id or --all-retired (not both)');
      if (id !== undefined) {
        printJson(
          io,
          await api('POST /v1/licenses/:id/reissue', { params: { id }, body: { reason: o.reason } }),
        );
        return;
      }
      const flagged = (await api('GET /v1/licenses')).licenses.filter((l) => l.signingKeyRetired);
      // One at a time, so a failure leaves the ones before it reissued and says which it stopped at.
      for (const l of flagged) {
        await api('POST /v1/licenses/:id/reissue', { params: { id: l.id }, body: { reason: o.reason } });
        io.stdout.write(`${l.id}: reissued\n`);
      }
      io.stdout.write(`${flagged.length} license(s) reissued; download their packages again.\n`);
    });

  licenses
    .command('extend <id>')
    .description('Set a new expiry date ("never" removes it)')
    .requiredOption('--expires <date>', 'new expiry date, or "never"')
    .option('--reason <text>', 'why, kept in the audit log')
    .action(async (id: string, o: { expires: string; reason?: string }) => {
      const res = await apiClient(io)('POST /v1/licenses/:id/extend', {
        params: { id },
        body: { expiresAt: date(o.expires, '--expires') ?? null, reason: o.reason },
      });
      io.stdout.write(`${id}: expires ${res.expiresAt ?? 'never'}\n`);
    });
}
