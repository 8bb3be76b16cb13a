import type { Command } from 'commander';
import type { PackageInfo, PackageItem } from '../../formats/inspect/types.js';
import { inspectPackage } from '../inspect.js';
import type { CliIo } from './cli-io.js';

function tree(items: PackageItem[], depth: number): string[] {
  return items.flatMap((i) => [
    `${'  '.repeat(depth)}- ${i.title || i.identifier}${i.launchUrl ? `  → ${i.launchUrl}` : ''}`,
    ...tree(i.children, depth + 1),
  ]);
}

/** Human summary of a package. */
export function describePackage(info: PackageInfo): string {
  const standard =
    info.standard === 'scorm12'
      ? 'SCORM 1.2'
      : info.standard === 'cmi5'
        ? 'cmi5'
        : `SCORM 2004 (edition ${info.edition})`;
  const lines = [
    `title:     ${info.title}`,
    `standard:  ${standard}`,
    `manifest:  ${info.manifest}`,
    `${info.standard === 'cmi5' ? 'AUs' : 'SCOs'}:      ${info.scoCount} (${info.launchables.length} launchable)`,
  ];
  if (info.masteryScore !== undefined) lines.push(`mastery:   ${info.masteryScore}`);
  for (const org of info.organizations) {
    lines.push(
      `organization ${org.identifier}${org.identifier === info.defaultOrganization ? ' (default)' : ''}: ${org.title}`,
    );
    lines.push(...tree(org.items, 1));
  }
  return `${lines.join('\n')}\n`;
}

/** `coursegate inspect <zip> [--json]`. */
export function registerInspectCommand(program: Command, io: CliIo): void {
  program
    .command('inspect')
    .description(
      'Read a SCORM 1.2, SCORM 2004 or cmi5 zip: standard, edition, title, organizations, launch URLs',
    )
    .argument('<zip>', 'package to read')
    .option('--json', 'print one JSON object instead of a summary')
    .addHelpText(
      'after',
      '\nExamples:\n  coursegate inspect course.zip\n  coursegate inspect course.zip --json | jq .launchables',
    )
    .action(async (zip: string, flags: { json?: boolean }) => {
      const info = await inspectPackage(zip);
      io.stdout.write(flags.json ? `${JSON.stringify(info)}\n` : describePackage(info));
    });
}
