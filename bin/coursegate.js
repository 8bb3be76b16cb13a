#!/usr/bin/env node
// The checkout's `coursegate`: runs the TypeScript sources through tsx, so it is never stale. The
// published CLI is the `coursegate` package (packager/package.json), whose bin is its compiled dist/cli.js.
const { register } = await import('tsx/esm/api');
register();
await import(new URL('../packager/main.ts', import.meta.url).href);
