/**
 * The parts of the repository and the one direction they depend in (docs/architecture.md, "Parts and
 * directions"). A file belongs to the first part whose pattern matches its path.
 */
export const PARTS: { part: string; match: RegExp }[] = [
  { part: 'protocol', match: /^protocol\// },
  // Package formats both sides need, web-safe (Node and Workers): the packager and the Gatekeeper share them.
  { part: 'formats', match: /^formats\// },
  // Browser code shipped inside packages and deployments, never imported by course authors.
  { part: 'delivery', match: /^delivery\// },
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
  formats: ['protocol'],
  runtime: ['protocol'],
  delivery: ['protocol', 'runtime', 'formats'],
  packager: ['formats', 'protocol'],
  cli: ['packager', 'formats', 'protocol', 'gatekeeper/admin'],
  gatekeeper: ['formats', 'protocol'],
  'gatekeeper/admin': ['gatekeeper', 'protocol'],
  demo: 'anything',
  scripts: 'anything',
  test: 'anything',
};

/**
 * Edges that break the table today and are on their way out, each named file by file
 * (`'from.ts → to.ts': 'why'`) so none can be added silently and the test fails once one is gone (then
 * delete it here). None today: keep it so.
 */
export const PENDING: Record<string, string> = {};
