import { defineConfig } from 'vitest/config';

/**
 * Three projects: node units (gatekeeper, packager, protocol), happy-dom units (runtime), and
 * real-browser / conformance tests (Chromium, xmllint), which are slower and run fewer at a time.
 */
export default defineConfig({
  test: {
    globalSetup: ['test/global-setup.ts'],
    // One file at a time on a 2-core machine (Vitest's default there): measured with two at a time, the
    // suite took as long (914 s of Vitest in CI, the tests CPU-bound), and Miniflare and page-close
    // telemetry tests flaked under the load.
    projects: [
      {
        test: {
          name: 'node',
          environment: 'node',
          include: ['test/{gatekeeper,packager,protocol,cli,architecture}/**/*.test.ts'],
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'runtime',
          environment: 'happy-dom',
          include: ['test/runtime/**/*.test.ts'],
        },
      },
      {
        test: {
          name: 'browser',
          environment: 'node',
          include: ['test/{e2e,conformance}/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        // The Gatekeeper API suites a second time, against the Worker build under Miniflare (D1 + R2).
        test: {
          name: 'workers',
          environment: 'node',
          include: [
            'test/workers/**/*.test.ts',
            'test/gatekeeper/{app,launch,org-isolation,ingest-statements,ingest-errors,ingest-retention,deploy-preview-expiry,deploy-flow,deploy-promote,gated-package,ingest-xapi-client,ingest-keys,session-report,launch-lms-origin,concurrency,conditional-pointer}.test.ts',
          ],
          env: { COURSEGATE_TEST_TARGET: 'worker' },
          setupFiles: ['test/helpers/worker-target-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
