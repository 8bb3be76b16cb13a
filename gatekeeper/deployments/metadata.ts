import type { DeploymentMetadata } from '../../protocol/deploy.js';

/** A deployment's stored metadata (protocol/deploy.ts); an unreadable text reads as none. */
export function parseMetadata(text: string): DeploymentMetadata {
  try {
    return JSON.parse(text) as DeploymentMetadata;
  } catch {
    return {};
  }
}
