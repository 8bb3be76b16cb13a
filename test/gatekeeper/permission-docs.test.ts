import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { PERMISSIONS } from '../../gatekeeper/auth/permissions.js';
import { ROOT } from '../helpers/paths.js';

// docs/gatekeeper.md is where owners read who may do what: it must say what permissions.ts enforces.
it('the permission matrix in docs/gatekeeper.md lists every action with the roles that hold it', () => {
  const doc = readFileSync(join(ROOT, 'docs/gatekeeper.md'), 'utf8');
  const section = doc.slice(doc.indexOf('### Permission matrix'));
  const rows = section
    .slice(0, section.indexOf('\n\n', section.indexOf('| action')))
    .split('\n')
    .filter((l) => l.startsWith('| `'));
  const documented = new Map<string, string[]>();
  for (const row of rows) {
    const [what, owner, member] = row
      .split('|')
      .slice(1, 4)
      .map((c) => c.trim());
    for (const [, action] of what!.matchAll(/`([a-z-]+:[a-z-]+)`/g))
      documented.set(action!, [...(owner === '✓' ? ['owner'] : []), ...(member === '✓' ? ['member'] : [])]);
  }
  expect(Object.fromEntries(documented)).toEqual(
    Object.fromEntries(Object.entries(PERMISSIONS).map(([action, roles]) => [action, [...roles]])),
  );
});
