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
  // The Gatekeeper's operator module: the CLI's only door into it (`coursegate admin …`, imported lazily).
  { part: 'gatekeeper/admin', match: /^gatekeeper\/admin\/index\.ts$/ },
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
  cli: ['packager', 'protocol', 'gatekeeper/admin'],
  gatekeeper: ['protocol'],
  'gatekeeper/admin': ['gatekeeper', 'protocol'],
  demo: 'anything',
  scripts: 'anything',
  test: 'anything',
};

/**
 * Edges that break the table today and are on their way out (issue 20), each named file by file so none
 * can be added silently and the test fails once one is gone (then delete it here):
 * - the package formats both sides need (course model, manifests, zip writer, gated file sets, launch-page
 *   HTML) still live in packager/ and runtime/; they move to a `formats/` part both may import;
 */
export const PENDING: Record<string, string> = {
  'gatekeeper/deployments/export-manifest.ts → packager/course.ts': 'formats',
  'gatekeeper/deployments/export-manifest.ts → packager/errors.ts': 'formats',
  'gatekeeper/deployments/export-manifest.ts → packager/manifest/model.ts': 'formats',
  'gatekeeper/deployments/export-manifest.ts → packager/package-manifest.ts': 'formats',
  'gatekeeper/deployments/export.ts → packager/package-manifest.ts': 'formats',
  'gatekeeper/deployments/export.ts → packager/zip/web-writer.ts': 'formats',
  'gatekeeper/licenses/gated-package.ts → packager/errors.ts': 'formats',
  'gatekeeper/licenses/gated-package.ts → packager/gated/gated-cmi5-files.ts': 'formats',
  'gatekeeper/licenses/gated-package.ts → packager/gated/gated-scorm-files.ts': 'formats',
  'gatekeeper/licenses/gated-package.ts → packager/inspect/scorm.ts': 'formats',
  'gatekeeper/licenses/gated-package.ts → packager/package-manifest.ts': 'formats',
  'gatekeeper/licenses/gated-package.ts → packager/xml/parse.ts': 'formats',
  'gatekeeper/licenses/gated-package.ts → packager/zip/web-writer.ts': 'formats',
  'gatekeeper/deployments/cmi5-launch-page.ts → runtime/cmi5-launch/render-page.ts': 'formats',
  'packager/gated/gated-cmi5-files.ts → runtime/cmi5-launch/launch-query.ts': 'formats',
  'packager/gated/gated-scorm-files.ts → runtime/stub/render-page.ts': 'formats',
};
