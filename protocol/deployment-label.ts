/**
 * A deployment's version label, the same on the dashboard, in the audit history and in the CLI: its
 * number among the course's deployments (`#1` the first) and, when the course config gave one, its
 * `version` (`1.2.0 (#3)`). The deploy message is shown beside it.
 *
 * @example
 * deploymentLabels([{ id: 'dep_b', version: '1.1.0' }, { id: 'dep_a' }]).get('dep_b'); // "1.1.0 (#2)"
 */
export function deploymentLabels(
  newestFirst: readonly { id: string; version?: string | undefined }[],
): Map<string, string> {
  const n = newestFirst.length;
  return new Map(
    newestFirst.map((d, i) => [d.id, d.version ? `${d.version} (#${n - i})` : `#${n - i}`] as const),
  );
}
