/**
 * `npm run build:node`, after tsc: copies what the compiled Node parts read at run time next to them.
 * The SQL migrations are read from `gatekeeper/db/migrations/` beside `open-sqlite`, so without them
 * the compiled `startServer` and `coursegate admin` could not open a database.
 */
import { cpSync } from 'node:fs';
import { basename } from 'node:path';

cpSync('gatekeeper/db/migrations', 'dist/node/gatekeeper/db/migrations', {
  recursive: true,
  // drizzle-kit's snapshots are for generating migrations, not for running them.
  filter: (source) => basename(source) !== 'meta',
});
