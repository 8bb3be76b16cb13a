/**
 * The parts of the repository and the one direction they depend in (docs/architecture.md, "Parts and
 * directions"). A file belongs to the first part whose pattern matches its path.
 */
export const PARTS: { part: string; match: RegExp }[] = [
  { part: 'protocol', match: /^protocol\// },
  // Browser code shipped inside packages and deployments, never imported by course authors.
  { part: 'delivery', match: /^runtime\/(stub|player|cmi5-launch|bridge)\// },
  { part: 'runtime', match: /^runtime\// },
  { part: 'cli', match: /^packager\/(cli\.ts|main\.ts|commands\/)/ },
  { part: 'packager', match: /^packager\// },
  { part: 'demo', match: /^(demo\/|gatekeeper\/demo\/|examples\/)/ },
  { part: 'gatekeeper', match: /^gatekeeper\// },
  { part: 'scripts', match: /^(scripts\/|bin\/|rollup\.config\.ts)/ },
  { part: 'test', match: /^test\// },
];

/**
 * What each part may import besides itself. `demo`, `scripts` and `test` may import anything; no part of
 * the product imports them.
 */
export const ALLOWED: Record<string, string[] | 'anything'> = {
  protocol: [],
  runtime: ['protocol'],
  delivery: ['protocol', 'runtime'],
  packager: ['protocol'],
  cli: ['packager', 'protocol'],
  gatekeeper: ['protocol'],
  demo: 'anything',
  scripts: 'anything',
  test: 'anything',
};

/**
 * Edges that break the table today and are on their way out (issue 20), each named file by file so none
 * can be added silently and the test fails once one is gone (then delete it here):
 * - the package formats both sides need (course model, manifests, zip writer, gated file sets, launch-page
 *   HTML) still live in packager/ and runtime/; they move to a `formats/` part both may import;
 * - the CLI's operator commands open the Gatekeeper's database modules; they move behind one admin module.
 */
export const PENDING: Record<string, string> = {
  'gatekeeper/deployments/export-manifest.ts → packager/course.ts': 'formats',
  'gatekeeper/deployments/export-manifest.ts → packager/errors.ts': 'formats',
  'gatekeeper/deployments/export-manifest.ts → packager/manifest/model.ts': 'formats',
  'gatekeeper/deployments/export-manifest.ts → packager/package-manifest.ts': 'formats',
  'gatekeeper/deployments/export.ts → packager/package-manifest.ts': 'formats',
  'gatekeeper/deployments/export.ts → packager/zip/web-writer.ts': 'formats',
  'gatekeeper/routes/gated-package.ts → packager/errors.ts': 'formats',
  'gatekeeper/routes/gated-package.ts → packager/gated/gated-cmi5-files.ts': 'formats',
  'gatekeeper/routes/gated-package.ts → packager/gated/gated-scorm-files.ts': 'formats',
  'gatekeeper/routes/gated-package.ts → packager/inspect/scorm.ts': 'formats',
  'gatekeeper/routes/gated-package.ts → packager/package-manifest.ts': 'formats',
  'gatekeeper/routes/gated-package.ts → packager/xml/parse.ts': 'formats',
  'gatekeeper/routes/gated-package.ts → packager/zip/web-writer.ts': 'formats',
  'gatekeeper/deployments/cmi5-launch-page.ts → runtime/cmi5-launch/render-page.ts': 'formats',
  'packager/gated/gated-cmi5-files.ts → runtime/cmi5-launch/launch-query.ts': 'formats',
  'packager/gated/gated-scorm-files.ts → runtime/stub/render-page.ts': 'formats',
  'packager/commands/admin-purge.ts → gatekeeper/db/open-sqlite.ts': 'admin',
  'packager/commands/admin-purge.ts → gatekeeper/ingest/retention.ts': 'admin',
  'packager/commands/admin.ts → gatekeeper/crypto.ts': 'admin',
  'packager/commands/admin.ts → gatekeeper/errors.ts': 'admin',
  'packager/commands/admin.ts → gatekeeper/members/service.ts': 'admin',
  'packager/commands/admin.ts → gatekeeper/orgs/service.ts': 'admin',
  'packager/commands/admin.ts → gatekeeper/db/dashboard-sessions.ts': 'admin',
  'packager/commands/admin.ts → gatekeeper/db/database.ts': 'admin',
  'packager/commands/admin.ts → gatekeeper/db/members.ts': 'admin',
  'packager/commands/admin.ts → gatekeeper/db/open-sqlite.ts': 'admin',
  'packager/commands/admin.ts → gatekeeper/db/orgs.ts': 'admin',
  'packager/commands/admin.ts → gatekeeper/db/signing-keys.ts': 'admin',
  'packager/commands/admin.ts → gatekeeper/keys/file-key-store.ts': 'admin',
  'packager/commands/admin.ts → gatekeeper/server.ts': 'admin',
  'packager/commands/data-dir.ts → gatekeeper/server.ts': 'admin',
};
