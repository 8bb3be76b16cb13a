import type { Changes } from './lms/adapter.js';

export interface CommitQueueOptions {
  write(changes: Changes): Promise<boolean>;
  /** Quiet time before a batch is sent. */
  delayMs: number;
  /** Retry delays after a refused write; when they run out the batch waits for the next change. */
  retryMs: number[];
  onCommit(): void;
  onGiveUp(): void;
}

export interface CommitQueue {
  /** Merges changes into the pending batch and (re)starts the debounce timer. */
  add(changes: Changes): void;
  /** Sends the pending batch now; resolves when the LMS answered (after retries). */
  flush(): Promise<boolean>;
  /** Takes the pending batch without sending it (for the synchronous `pagehide` path). */
  take(): Changes;
}

function merge(into: Changes, from: Changes): Changes {
  const interactions = [...(into.interactions ?? []), ...(from.interactions ?? [])];
  const objectives = [...(into.objectives ?? []), ...(from.objectives ?? [])];
  const out: Changes = { ...into, ...from };
  if (interactions.length) out.interactions = interactions;
  if (objectives.length) out.objectives = objectives;
  return out;
}

/** Debounced, batched commits with retry and backoff: many course calls become one LMS commit. */
export function createCommitQueue(o: CommitQueueOptions): CommitQueue {
  let pending: Changes = {};
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<boolean> | undefined;

  const take = () => {
    clearTimeout(timer);
    timer = undefined;
    const batch = pending;
    pending = {};
    return batch;
  };

  const send = async (): Promise<boolean> => {
    const batch = take();
    if (!Object.keys(batch).length) return true;
    for (let attempt = 0; ; attempt++) {
      if (await o.write(batch)) {
        o.onCommit();
        return true;
      }
      const wait = o.retryMs[attempt];
      if (wait === undefined) break;
      await new Promise((r) => setTimeout(r, wait));
    }
    // Keep the refused batch under anything newer so the next commit carries it again.
    pending = merge(batch, pending);
    o.onGiveUp();
    return false;
  };

  const flush = (): Promise<boolean> => {
    const next = (running ?? Promise.resolve(true)).then(send);
    running = next;
    return next;
  };

  return {
    take,
    flush,
    add(changes) {
      pending = merge(pending, changes);
      clearTimeout(timer);
      timer = setTimeout(flush, o.delayMs);
    },
  };
}
