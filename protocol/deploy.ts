/**
 * The deploy wire: what `coursegate deploy` sends about a course and what the Gatekeeper's plan answers
 * (`POST /v1/courses/:course/deployments`; docs/deployments.md).
 */

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

/** One file the client must send, with its presigned PUT. */
export interface PlanUpload {
  path: string;
  size: number;
  sha256: string;
  url: string;
  method: 'PUT';
  headers: Record<string, string>;
}

/** The plan's answer: the staged deployment and what to send, what was copied, what is already there. */
export interface DeployPlanAnswer {
  deployment: { id: string; contentUrl: string };
  resumed: boolean;
  upload: PlanUpload[];
  copied: string[];
  present: string[];
  /** Presigned PUTs of the `.map` files named in the plan, to private storage (never served). */
  sourceMaps?: PlanUpload[];
}

/** One file of the build, as the client hashed it. */
export interface PlanFile {
  path: string;
  sha256: string;
  size: number;
  contentType?: string;
}

/** `POST /v1/courses/:course/deployments`: what the client has; `dryRun` asks what would be sent. */
export interface DeployPlanBody {
  entry: string;
  message?: string;
  dryRun?: boolean;
  metadata?: DeploymentMetadata;
  files: PlanFile[];
  /** Source maps for error stacks, stored privately: never among the deployment's served files. */
  sourceMaps?: { path: string; sha256: string; size: number }[];
}

/** The plan's answer to a dry run: what would be uploaded and copied; nothing is created. */
export interface DryRunAnswer {
  dryRun: true;
  upload: { path: string; size: number }[];
  copied: string[];
}
