import type { Storage } from '../../gatekeeper/storage/index.js';

/** Every key stored under a deployment of a course, relative to it, sorted. */
export async function listDeployment(
  storage: Storage,
  courseId: string,
  deploymentId: string,
): Promise<string[]> {
  const prefix = `courses/${courseId}/${deploymentId}/`;
  const keys: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await storage.list(prefix, cursor ? { cursor } : {});
    keys.push(...page.items.map((i) => i.key.slice(prefix.length)));
    cursor = page.cursor;
  } while (cursor);
  return keys.sort();
}
