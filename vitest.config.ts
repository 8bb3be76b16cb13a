import { defineConfig } from 'vitest/config';

/**
 * Four projects: node units (gatekeeper, packager, protocol, CLI), happy-dom units (runtime), real-browser /
 * conformance tests (Chromium, xmllint) and the API suites again on the Worker build. The units go first,
 * then the Chromium and Worker files, two files at a time in each group. Node units share their modules
 * across files (`isolate: false`; nothing here keeps module state): measured in CI, the unit group went from
 * about 250 s one at a time to 160 s. The Chromium group gains less (about 15 %): one Chromium file alone
 * kept about a core busy in the full browser (gated-golf: 47 s of Chromium CPU in a 46 s run); the headless
 * shell the tests now use spends about half that (23 s), so two files share the machine better.
 */
export default defineConfig({
  test: {
    globalSetup: ['test/global-setup.ts'],
    projects: [
      {
        test: {
          name: 'node',
          environment: 'node',
          isolate: false,
          maxWorkers: 2,
          sequence: { groupOrder: 0 },
          include: ['test/{gatekeeper,packager,protocol,cli,architecture}/**/*.test.ts'],
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'runtime',
          environment: 'happy-dom',
          maxWorkers: 2,
          sequence: { groupOrder: 0 },
          include: ['test/runtime/**/*.test.ts'],
        },
      },
      {
        test: {
          name: 'browser',
          environment: 'node',
          globalSetup: ['test/helpers/browser-server.ts'],
          maxWorkers: 2,
          sequence: { groupOrder: 1 },
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
          globalSetup: ['test/helpers/browser-server.ts'],
          maxWorkers: 2,
          sequence: { groupOrder: 1 },
          include: [
            'test/workers/**/*.test.ts',
            'test/gatekeeper/{app,launch,org-isolation,ingest-statements,ingest-errors,ingest-retention,deploy-preview-expiry,deploy-flow,deploy-promote,gated-package,ingest-xapi-client,ingest-keys,ingest-license-end,session-report,comparable-scores,launch-lms-origin,concurrency,conditional-pointer,retired-signing-key,org-content-origin,webhook-alerts,webhook-events,webhook-trigger-events}.test.ts',
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
