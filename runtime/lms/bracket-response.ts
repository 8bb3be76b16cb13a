import type { Interaction } from './adapter.js';

/**
 * A neutral response in the form SCORM 2004 and xAPI's `cmi.interaction` share: lists joined with `[,]`,
 * matching and performance pairs `a.b` as `a[.]b`.
 */
export function bracketResponse(type: Interaction['type'], value: string | string[]): string {
  const list = Array.isArray(value) ? value : [value];
  return list
    .map((v) => (type === 'matching' || type === 'performance' ? v.replace('.', '[.]') : v))
    .join('[,]');
}
