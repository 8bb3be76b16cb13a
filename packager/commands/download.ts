import { createWriteStream } from 'node:fs';
import { rename, rm, stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { PackagerError } from '../errors.js';
import { apiErrorOf } from './api-client.js';
import type { CliConfig } from './cli-config.js';
import type { CliIo } from './cli-io.js';

/**
 * Downloads `GET <config.url><path>` with the API key into `output`, streamed through `<output>.partial`
 * and renamed once complete, so a failed or interrupted download never leaves a zip that looks finished.
 * An error answer becomes `api_error` with the server's message; a file that cannot be written, `io_error`.
 * Returns the bytes written.
 * @example await downloadToFile(loadCliConfig(io.env), '/v1/courses/intro/export?format=cmi5', 'intro.zip');
 */
export async function downloadToFile(
  io: CliIo,
  config: CliConfig,
  path: string,
  output: string,
): Promise<number> {
  let res: Response;
  try {
    res = await io.fetch(`${config.url}${path}`, { headers: { authorization: `Bearer ${config.apiKey}` } });
  } catch (err) {
    throw new PackagerError('api_error', `Cannot reach ${config.url}: ${(err as Error).message}`);
  }
  if (!res.ok || !res.body) throw await apiErrorOf(res);
  const partial = `${output}.partial`;
  try {
    await pipeline(Readable.fromWeb(res.body as NodeReadableStream<Uint8Array>), createWriteStream(partial));
    await rename(partial, output);
    return (await stat(output)).size;
  } catch (err) {
    await rm(partial, { force: true });
    throw new PackagerError('io_error', `Download failed: ${(err as Error).message}`);
  }
}
