/**
 * Size budgets in bytes, min+gzip (docs/architecture.md, "Benchmarks"). The build and the bench both read
 * them.
 */
export const BUNDLE_BUDGETS: Record<string, number> = {
  'runtime/index.js': 9 * 1024,
  'runtime/scorm12.js': 5 * 1024,
  'runtime/coursegate.iife.js': 12 * 1024,
  // +32: "Try again" waits out the Gatekeeper's Retry-After (issue 22); +32: the refusal code
  // `signing_key_retired` (issue 23); +96: the launch page's early player frame, shown and handed the launch
  // (issue 19, docs/gated-delivery.md "Launch overhead").
  'stub/stub.js': 4 * 1024 + 160,
  'cmi5-launch/cmi5-launch.js': 4 * 1024,
};
