import { ensureRuntimeBuild } from '../scripts/ensure-runtime-build.ts';

/** Browser tests load the built bundles from dist/: build them once before any test runs. */
export default function setup() {
  ensureRuntimeBuild();
}
