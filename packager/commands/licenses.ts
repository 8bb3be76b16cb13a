import type { Command } from 'commander';
import { PackagerError } from '../errors.js';
import { type ApiCall, apiClient, printJson, printTable } from './api-client.js';
import { positiveIntegerOption } from './integer-option.js';

// The most the API accepts (gatekeeper/routes/licenses.ts).
const MAX_LAUNCH_CAP = 1_000_000_000;

interface LicenseJson {
  id: string;
  status: string;
}

/** Accepts a course id or slug. */
export async function resolveCourse(api: ApiCall, ref: string): Promise<string> {
  const { courses } = await api<{ courses: { id: string; slug: string }[] }>('GET', '/v1/courses');
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

const collect = (value: string, previous: string[]) => [...previous, value];

/** `coursegate licenses …`: a course licensed to a client LMS, with its signed token. */
export function registerLicenseCommands(program: Command): void {
  const licenses = program
    .command('licenses')
    .description('Licenses: a course for a client, with its signed token');

  licenses
    .command('create')
    .description('Issue a license and print its token')
    .requiredOption('--course <id-or-slug>', 'the course')
    .requiredOption('--client <name>', 'the client (e.g. the LMS owner)')
    .option('--origin <origin>', 'allowed LMS origin, repeatable (default: any)', collect, [])
    .option('--starts <date>', 'first day launches work')
    .option('--expires <date>', 'when launches stop working')
    .option('--cap <n>', 'launches allowed per period', positiveIntegerOption('--cap', MAX_LAUNCH_CAP))
    .option('--cap-period <period>', 'day, month or total', 'month')
    .option('--notes <text>', 'free text for you')
    .action(
      async (o: {
        course: string;
        client: string;
        origin: string[];
        starts?: string;
        expires?: string;
        cap?: number;
        capPeriod: string;
        notes?: string;
      }) => {
        const api = apiClient();
        const res = await api<{ license: LicenseJson; token: string }>('POST', '/v1/licenses', {
          courseId: await resolveCourse(api, o.course),
          clientName: o.client,
          allowedOrigins: o.origin,
          startsAt: date(o.starts, '--starts'),
          expiresAt: date(o.expires, '--expires'),
          launchCap: o.cap === undefined ? undefined : { limit: o.cap, period: o.capPeriod },
          notes: o.notes,
        });
        printJson(res);
      },
    );

  licenses
    .command('list')
    .description('List licenses')
    .option('--course <id-or-slug>', 'only this course')
    .action(async (o: { course?: string }) => {
      const api = apiClient();
      const query = o.course ? `?courseId=${encodeURIComponent(await resolveCourse(api, o.course))}` : '';
      const res = await api<{ licenses: Record<string, unknown>[] }>('GET', `/v1/licenses${query}`);
      printTable(res.licenses, [
        'id',
        'clientName',
        'courseId',
        'status',
        'startsAt',
        'expiresAt',
        'allowedOrigins',
      ]);
    });

  const action = (name: string, description: string, withToken: boolean) =>
    licenses
      .command(`${name} <id>`)
      .description(description)
      .option('--reason <text>', 'why, kept in the audit log')
      .action(async (id: string, o: { reason?: string }) => {
        const res = await apiClient()<LicenseJson | { license: LicenseJson; token: string }>(
          'POST',
          `/v1/licenses/${encodeURIComponent(id)}/${name}`,
          { reason: o.reason },
        );
        if (withToken) printJson(res);
        else process.stdout.write(`${id}: ${(res as LicenseJson).status}\n`);
      });
  action('revoke', 'Revoke: the next launch is refused', false);
  action('unrevoke', 'Un-revoke: launches work again', false);
  action('reissue', 'New token; the old one stops working at once', true);

  licenses
    .command('extend <id>')
    .description('Set a new expiry date ("never" removes it)')
    .requiredOption('--expires <date>', 'new expiry date, or "never"')
    .option('--reason <text>', 'why, kept in the audit log')
    .action(async (id: string, o: { expires: string; reason?: string }) => {
      const res = await apiClient()<{ expiresAt: string | null }>(
        'POST',
        `/v1/licenses/${encodeURIComponent(id)}/extend`,
        { expiresAt: date(o.expires, '--expires'), reason: o.reason },
      );
      process.stdout.write(`${id}: expires ${res.expiresAt ?? 'never'}\n`);
    });
}
