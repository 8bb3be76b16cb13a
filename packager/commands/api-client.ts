import { PackagerError } from '../errors.js';
import { type CliConfig, loadCliConfig } from './cli-config.js';

export type ApiCall = <T>(method: string, path: string, body?: unknown) => Promise<T>;

/**
 * A JSON client for the Gatekeeper API with the configured key; an error answer becomes a
 * `PackagerError('api_error')` carrying the server's code and message.
 */
export function apiClient(config: CliConfig = loadCliConfig()): ApiCall {
  return async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    let res: Response;
    try {
      res = await fetch(`${config.url}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${config.apiKey}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch (err) {
      throw new PackagerError('api_error', `Cannot reach ${config.url}: ${(err as Error).message}`);
    }
    const json = (await res.json().catch(() => ({}))) as { error?: { code: string; message: string } };
    if (!res.ok)
      throw new PackagerError(
        'api_error',
        `${json.error?.message ?? `HTTP ${res.status}`} (${json.error?.code ?? res.status})`,
      );
    return json as T;
  };
}

/** Prints rows as aligned columns. */
export function printTable(rows: Record<string, unknown>[], columns: string[]): void {
  if (rows.length === 0) {
    process.stdout.write('(none)\n');
    return;
  }
  const cell = (v: unknown) =>
    v === null || v === undefined ? '-' : Array.isArray(v) ? v.join(',') || '-' : String(v);
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)));
  const line = (values: string[]) =>
    `${values
      .map((v, i) => v.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd()}\n`;
  process.stdout.write(line(columns));
  for (const r of rows) process.stdout.write(line(columns.map((c) => cell(r[c]))));
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
