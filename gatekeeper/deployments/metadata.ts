/** What a deployment remembers about its course, so it can be exported or gated later. */
export interface DeploymentMetadata {
  /** Course id for manifests (coursegate.json `id`); default the course slug. */
  id?: string;
  title?: string;
  version?: string;
  description?: string;
  language?: string;
  masteryScore?: number;
  /** Third-party packages: the standard the zip was in. */
  standard?: 'scorm12' | 'scorm2004' | 'cmi5';
  /** Third-party packages: the SCOs / AUs and their launch URLs, in order. */
  items?: {
    id: string;
    title: string;
    kind: 'sco' | 'asset' | 'au';
    launchUrl: string;
    masteryScore?: number;
  }[];
}

export function parseMetadata(text: string): DeploymentMetadata {
  try {
    return JSON.parse(text) as DeploymentMetadata;
  } catch {
    return {};
  }
}
