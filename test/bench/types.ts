/** One line of the `npm run bench` table. */
export interface BenchRow {
  /** What was measured, e.g. "runtime/index.js min+gzip". */
  name: string;
  /** The figure, formatted with its unit. */
  value: string;
  /** The budget (docs/architecture.md, "Benchmarks"), formatted, or '' when informational. */
  budget: string;
  /** Whether the figure is within budget; undefined when informational. */
  ok?: boolean;
}

/** Every `test/bench/*.bench.ts` exports `bench`, run in file-name order by `run.ts`. */
export type Bench = () => Promise<BenchRow[]>;
