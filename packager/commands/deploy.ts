import { join } from 'node:path';
import type { Command } from 'commander';
import type { DeploymentMetadata, PlanUpload } from '../../protocol/deploy.js';
import { type CollectedFile, collectFiles, hashFile } from '../deploy/collect.js';
import { describeCause, failureHost } from '../deploy/failure-cause.js';
import { putFile } from '../deploy/put-file.js';
import { DEFAULT_RETRY_POLICY, isRetryableError, type RetryPolicy } from '../deploy/retry-policy.js';
import { type SendContext, uploadFiles } from '../deploy/upload.js';
import { type WithRetriesOptions, withRetries } from '../deploy/with-retries.js';
import { PackagerError } from '../errors.js';
import { describeSkipped, type SkippedEntry } from '../left-out.js';
import { rootAbsoluteWarnings } from '../root-absolute-urls.js';
import { type ApiCall, apiClient, namingCourse } from './api-client.js';
import { type CliIo, processIo } from './cli-io.js';
import { deployProgress, retryNotices } from './deploy-progress.js';
import { openDeploySource } from './deploy-source.js';
import { positiveIntegerOption } from './integer-option.js';

export interface DeployOptions {
  /** A build directory or a SCORM / cmi5 zip. */
  source: string;
  /** Course id or slug. */
  course: string;
  message?: string;
  /** Overrides the entry page from coursegate.json or the package manifest. */
  entry?: string;
  dryRun?: boolean;
  includeSourcemaps?: boolean;
  concurrency?: number;
  /**
   * How long a failing upload keeps retrying (default 60 s, `DEFAULT_RETRY_POLICY`): a storage outage
   * shorter than this is ridden out. `retry` sets the backoff too; `now`, `random` and `sleep` are the
   * clock, jitter and wait (tests pin them).
   */
  retryForMs?: number;
  retry?: Partial<RetryPolicy>;
  now?: () => number;
  random?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Streams, environment and fetch (default: the process's); the API client is built from them. */
  io?: CliIo;
  api?: ApiCall;
  /** Where progress and notes go (default `io.stderr`); the summary goes to `out` (default `io.stdout`). */
  log?: NodeJS.WritableStream;
  out?: NodeJS.WritableStream;
  signal?: AbortSignal;
}

export interface DeployResult {
  deploymentId?: string;
  uploaded: { files: number; bytes: number };
  copied: number;
  present: number;
  skipped: SkippedEntry[];
  dryRun?: { upload: { path: string; size: number }[]; copied: string[] };
}

function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/**
 * The deploy's API calls (plan, finalize) on the uploads' schedule: a Gatekeeper that answers `503` (its
 * storage is down; `Retry-After` honoured), `502`/`504`/`429`, or (with `network`) cannot be reached, is
 * tried again for `--retry-for`. Both are safe to repeat: the plan resumes the same deployment, finalize
 * is idempotent. A `500` is a fault, not an outage: it fails at once.
 */
function retryingApiCall(options: WithRetriesOptions & { log: NodeJS.WritableStream; now: () => number }) {
  const { log, ...timing } = options;
  const lines = retryNotices((line) => log.write(`${line}\n`), options.now);
  const retryFor = { ...DEFAULT_RETRY_POLICY, ...options.retry }.retryForMs;
  return <T>(what: string, call: () => Promise<T>, network: boolean): Promise<T> =>
    withRetries(call, {
      ...timing,
      isRetryable: (err) => {
        const status = (err as { status?: unknown }).status;
        return isRetryableError(err) && status !== 500 && (network || typeof status === 'number');
      },
      onRetry: (r) =>
        lines.retrying({
          what: `${what} at ${failureHost(r.error) ?? 'the Gatekeeper'} failed: ${describeCause(r.error)}`,
          delayMs: r.delayMs,
          failingForMs: r.failingForMs,
          retryForMs: retryFor,
        }),
      giveUp: (err, { attempt }) => {
        if (attempt === 1 || !(err instanceof PackagerError)) return err;
        const final = new PackagerError(err.code, `${err.message}; run the same command again to resume`);
        final.cause = err;
        return final;
      },
    });
}

/**
 * Deploys a build directory or a third-party package: hash, ask the Gatekeeper for a plan, upload only
 * new content (presigned PUTs, concurrent, retried), finalize. Re-running after an interruption resumes
 * the same staged deployment and sends only what is missing.
 * @example await runDeploy({ source: 'dist', course: 'intro', message: 'fix typo' });
 */
export async function runDeploy(options: DeployOptions): Promise<DeployResult> {
  const io = options.io ?? processIo();
  const api = options.api ?? apiClient(io);
  const log = options.log ?? io.stderr;
  const out = options.out ?? io.stdout;
  const source = await openDeploySource(options.source, options.entry);
  try {
    const collected = await collectFiles(source.dir, {
      ...(options.includeSourcemaps ? { includeSourcemaps: true } : {}),
    });
    for (const s of collected.skipped) log.write(`${describeSkipped(s)}\n`);
    const pages = [
      source.entry,
      ...(source.metadata.items ?? []).map((i) => i.launchUrl.replace(/[?#].*$/, '')),
    ];
    for (const w of rootAbsoluteWarnings({ dir: source.dir, pages, shownAs: options.source }))
      log.write(`${w}\n`);
    if (collected.files.length === 0) throw new PackagerError('input_not_found', 'Nothing to deploy');
    // Left out of the served files, source maps go to private storage instead, so the dashboard can
    // resolve error stacks (docs/deployments.md, "Source maps").
    const maps = await sourceMapsOf(source.dir, collected.skipped);
    const params = { id: options.course };
    const body = {
      entry: source.entry,
      metadata: source.metadata satisfies DeploymentMetadata,
      ...(options.message === undefined ? {} : { message: options.message }),
      files: collected.files.map((f) => ({ path: f.path, sha256: f.sha256, size: f.size })),
      ...(maps.length ? { sourceMaps: maps.map(({ path, sha256, size }) => ({ path, sha256, size })) } : {}),
    };
    if (options.dryRun) {
      const dry = await namingCourse(
        options.course,
        api('POST /v1/courses/:id/deployments', { params, body: { ...body, dryRun: true } }),
      );
      for (const f of dry.upload) out.write(`would upload ${f.path} (${f.size} bytes)\n`);
      const bytes = dry.upload.reduce((n, f) => n + f.size, 0);
      out.write(
        `dry run: ${dry.upload.length} file(s), ${mb(bytes)} to upload; ${dry.copied.length} unchanged (copied in storage)\n`,
      );
      return {
        uploaded: { files: 0, bytes: 0 },
        copied: 0,
        present: 0,
        skipped: collected.skipped,
        dryRun: dry,
      };
    }
    const now = options.now ?? Date.now;
    const retry: RetryPolicy = {
      ...DEFAULT_RETRY_POLICY,
      ...options.retry,
      ...(options.retryForMs === undefined ? {} : { retryForMs: options.retryForMs }),
    };
    const timing = {
      retry,
      now,
      ...(options.random ? { random: options.random } : {}),
      ...(options.sleep ? { sleep: options.sleep } : {}),
    };
    const retrying = retryingApiCall({ log, ...timing });
    // A Gatekeeper that cannot be reached at all at the start is a wrong URL more often than an outage.
    const plan = await retrying(
      'the plan',
      () => namingCourse(options.course, api('POST /v1/courses/:id/deployments', { params, body })),
      false,
    );
    const local = new Map<string, CollectedFile>(collected.files.map((f) => [f.path, f]));
    const items = plan.upload.map((u) => ({ ...u, file: local.get(u.path)! }));
    const bytesTotal = items.reduce((n, i) => n + i.size, 0);
    if (plan.resumed)
      log.write(`resuming ${plan.deployment.id}: ${plan.present.length} file(s) already stored\n`);
    const bar = deployProgress(log, items.length, bytesTotal, { now });
    const send = (
      item: PlanUpload & { file: { absolutePath: string; size: number; path: string } },
      ctx: SendContext,
    ) =>
      putFile({
        url: item.url,
        headers: item.headers,
        file: item.file,
        signal: ctx.signal,
        onBytes: ctx.onBytes,
        fetch: io.fetch,
      });
    let result: { files: number; bytes: number };
    try {
      result = await uploadFiles({
        files: items,
        concurrency: options.concurrency ?? 6,
        ...timing,
        onRetry: (r) =>
          bar.retrying({
            what: `${failureHost(r.error) ?? r.path} failed: ${describeCause(r.error)}`,
            delayMs: r.delayMs,
            failingForMs: r.failingForMs,
            retryForMs: retry.retryForMs,
          }),
        onRecovered: () => bar.recovered(),
        send,
        onProgress: (p) => bar.update(p),
        ...(options.signal ? { signal: options.signal } : {}),
      });
    } finally {
      bar.stop();
    }
    if (plan.sourceMaps?.length) {
      const byPath = new Map(maps.map((m) => [m.path, m]));
      const mapItems = plan.sourceMaps.flatMap((u) => {
        const file = byPath.get(u.path);
        return file ? [{ ...u, file }] : [];
      });
      await uploadFiles({
        files: mapItems,
        concurrency: options.concurrency ?? 6,
        ...timing,
        send,
        ...(options.signal ? { signal: options.signal } : {}),
      });
      log.write(`stored ${mapItems.length} source map(s) privately, for error stacks\n`);
    }
    await retrying(
      'finalize',
      () => api('POST /v1/deployments/:id/finalize', { params: { id: plan.deployment.id }, body: {} }),
      true,
    );
    out.write(
      `deployed ${plan.deployment.id}: uploaded ${result.files} file(s) (${mb(result.bytes)}), ` +
        `${plan.copied.length} unchanged copied in storage, ${plan.present.length} already stored\n` +
        `staged at ${plan.deployment.contentUrl}\n` +
        `make it live: coursegate promote ${plan.deployment.id} --reason "…"\n`,
    );
    return {
      deploymentId: plan.deployment.id,
      uploaded: { files: result.files, bytes: result.bytes },
      copied: plan.copied.length,
      present: plan.present.length,
      skipped: collected.skipped,
    };
  } finally {
    await source.cleanup();
  }
}

/** The `.map` files `collectFiles` left out, hashed for the plan. */
async function sourceMapsOf(dir: string, skipped: readonly SkippedEntry[]) {
  const maps = skipped.filter((s) => s.reason === 'sourcemap' && !s.path.endsWith('/'));
  return Promise.all(
    maps.map(async (s) => {
      const absolutePath = join(dir, ...s.path.split('/'));
      return { path: s.path, absolutePath, ...(await hashFile(absolutePath)) };
    }),
  );
}

/** `coursegate deploy <dir|zip> --course <slug>`. */
export function registerDeployCommand(program: Command, io: CliIo): void {
  program
    .command('deploy <source>')
    .description(
      'Upload a build directory or a SCORM/cmi5 zip as a staged deployment (only new files are sent)',
    )
    .requiredOption('--course <slug>', 'course slug or id')
    .option('--message <text>', 'what changed')
    .option('--entry <path>', 'entry page (default: from coursegate.json or the package manifest)')
    .option('--dry-run', 'list what would be uploaded; change nothing')
    .option('--include-sourcemaps', 'upload *.map files too')
    .option('--concurrency <n>', 'uploads in flight', positiveIntegerOption('--concurrency'), 6)
    .option(
      '--retry-for <seconds>',
      `keep retrying a failing upload this long (storage down, 5xx, 429), waiting up to ${DEFAULT_RETRY_POLICY.maxDelayMs / 1000} s between tries`,
      positiveIntegerOption('--retry-for'),
      DEFAULT_RETRY_POLICY.retryForMs / 1000,
    )
    .action(
      async (
        source: string,
        o: {
          course: string;
          message?: string;
          entry?: string;
          dryRun?: boolean;
          includeSourcemaps?: boolean;
          concurrency: number;
          retryFor: number;
        },
      ) => {
        await runDeploy({
          io,
          source,
          course: o.course,
          ...(o.message === undefined ? {} : { message: o.message }),
          ...(o.entry === undefined ? {} : { entry: o.entry }),
          ...(o.dryRun ? { dryRun: true } : {}),
          ...(o.includeSourcemaps ? { includeSourcemaps: true } : {}),
          concurrency: o.concurrency,
          retryForMs: o.retryFor * 1000,
        });
      },
    );
}
