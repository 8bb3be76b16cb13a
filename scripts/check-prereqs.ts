/** Fails `npm test` early, with the exact command to run, when a system package it needs is missing. */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const missing: string[] = [];
// The tests run in chromium-headless-shell (test/helpers/browser.ts); the benches in the full browser.
if (!process.env.COURSEGATE_CHROMIUM) {
  if (!existsSync('/usr/bin/chromium')) missing.push('chromium');
  if (!existsSync('/usr/bin/chromium-headless-shell')) missing.push('chromium-headless-shell');
} else if (!existsSync(process.env.COURSEGATE_CHROMIUM)) missing.push('chromium');
if (spawnSync('xmllint', ['--version']).status !== 0) missing.push('libxml2-utils');
if (spawnSync('zip', ['-v']).status !== 0) missing.push('zip');
if (missing.length > 0) {
  console.error(`npm test needs system packages that are not installed. Run:
  apt-get update && apt-get install -y ${missing.join(' ')}`);
  process.exit(1);
}
