import type { WebhookEventType } from '../../protocol/api/webhooks.js';
import { createForwarder, type ForwardOptions } from '../forwarding/forward.js';
import { checkCaps, checkExpiring } from './alerts.js';
import { DEFAULT_RETRY, exponentialBackoff } from './backoff.js';
import { createDrain, type DrainOptions, type DrainRun } from './drain.js';
import { checkLaunchDenied } from './launch-denied.js';
import { wantedEventTypes } from './wanted.js';

type Wants = (type: WebhookEventType) => boolean;

/** Runs `task` every `everyMs`; returns what stops it (`intervalScheduler` on Node). */
export type Scheduler = (task: () => void, everyMs: number) => () => void;

export interface OutboxScheduleOptions extends Omit<DrainOptions, 'retryDelay'> {
  retryDelay?: DrainOptions['retryDelay'];
  /**
   * Checks that queue events on a schedule, run before each drain, each told whether some endpoint asks
   * for its event; default: `license.expiring`, `license.cap_reached` and `launch.denied`.
   */
  checks?: readonly ((now: Date, wants: (type: WebhookEventType) => boolean) => Promise<unknown>)[];
  /** Statement forwarding to course LRSs (`forwarding/forward.ts`), a pass after the deliveries. */
  forwarding?: Pick<ForwardOptions, 'key' | 'homePage'>;
}

/**
 * One tick of the outbox: the scheduled checks, then a drain run. Node runs it on a timer
 * (`startOutbox`), the Worker from its Cron Trigger.
 */
export function outboxTick(options: OutboxScheduleOptions) {
  const drain = createDrain({
    ...options,
    retryDelay: options.retryDelay ?? exponentialBackoff({ ...DEFAULT_RETRY, random: Math.random }),
  });
  const { db } = options;
  // A check whose event no endpoint wants reads nothing: the tick of a server without webhooks is one
  // read of the (empty) endpoints table and one of the due deliveries.
  const checks = options.checks ?? [
    async (now: Date, wants: Wants) => wants('license.expiring') && checkExpiring(db, now),
    async (now: Date, wants: Wants) => wants('license.cap_reached') && checkCaps(db, now),
    (now: Date, wants: Wants) => checkLaunchDenied(db, now, wants('launch.denied')),
  ];
  const forward =
    options.forwarding &&
    createForwarder({
      ...options,
      ...options.forwarding,
      retryDelay: options.retryDelay ?? exponentialBackoff({ ...DEFAULT_RETRY, random: Math.random }),
    });
  return async (): Promise<DrainRun> => {
    const wants = await wantedEventTypes(db);
    for (const check of checks) await check(options.now(), wants);
    const run = await drain.runOnce();
    await forward?.runOnce();
    return run;
  };
}

/**
 * Drains the outbox at once (events left by a stopped server go out after restart) and every `everyMs`
 * after; answers what stops it. Ticks never overlap: a slow one makes the next wait.
 *
 * @example
 * const stop = startOutbox({ db, now, send, everyMs: 5000, schedule: intervalScheduler, onError });
 */
export function startOutbox(
  options: OutboxScheduleOptions & { everyMs: number; schedule: Scheduler; onError: (err: unknown) => void },
): () => void {
  const tick = outboxTick(options);
  let busy = false;
  const run = () => {
    if (busy) return;
    busy = true;
    tick()
      .catch(options.onError)
      .finally(() => {
        busy = false;
      });
  };
  run();
  return options.schedule(run, options.everyMs);
}
