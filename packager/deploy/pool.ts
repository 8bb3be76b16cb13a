/**
 * Runs `worker` over `items` with at most `concurrency` at once (one when it is not a number of at least
 * one), in order of start. The first rejection stops new starts and is rethrown once the running ones
 * have settled, so nothing is left behind.
 */
export async function runPool<T>(
  items: readonly T[],
  concurrency: number,
  worker: (item: T, index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  let failed = false;
  let firstError: unknown;
  // A bad width (NaN, 0, negative) still runs everything, one at a time: NaN once made no lanes at all,
  // so nothing ran and the caller went on as if every item were done. (NaN fails the comparison.)
  const width = concurrency >= 1 ? Math.floor(concurrency) : 1;
  const lanes = Array.from({ length: Math.max(1, Math.min(width, items.length)) }, async () => {
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
