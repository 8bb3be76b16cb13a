/** Storage key of a file of a deployment: `courses/<course>/<deployment>/<path>`. */
export function deploymentKey(courseId: string, deploymentId: string, path: string): string {
  return `courses/${courseId}/${deploymentId}/${path}`;
}

/** The `Cache-Control` every deployed file carries: a finalized deployment never changes. */
export const IMMUTABLE = 'public, max-age=31536000, immutable';
