#!/usr/bin/env node
// In a checkout the TypeScript source runs through tsx, so the CLI is never stale; a published
// package ships only the compiled output under dist/node.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const source = new URL('../packager/main.ts', import.meta.url);
if (existsSync(fileURLToPath(source))) {
  const { register } = await import('tsx/esm/api');
  register();
  await import(source.href);
} else {
  await import(new URL('../dist/node/packager/main.js', import.meta.url).href);
}
