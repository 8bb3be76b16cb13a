/**
 * Runs `worker` over `items` with at most `concurrency` at once, in order of start. The first rejection
 * stops new starts and is rethrown once the running ones have settled, so nothing is left behind.
 */
export async function runPool<T>(
  items: readonly T[],
  concurrency: number,
  worker: (item: T, index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  let failed = false;
  let firstError: unknown;
  const lanes = Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, async () => {
    while (!failed && next < items.length) {
      const index = next++;
      try {
        await worker(items[index] as T, index);
      } catch (err) {
        if (!failed) firstError = err;
        failed = true;
      }
    }
  });
  await Promise.all(lanes);
  if (failed) throw firstError;
}
