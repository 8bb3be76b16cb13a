/** Wire bodies of `/v1/courses` and a course's ingest keys (docs/gatekeeper.md, "API"; docs/telemetry.md). */

export interface CourseJson {
  id: string;
  slug: string;
  title: string;
  liveDeploymentId: string | null;
  createdAt: string;
}

export interface CreateCourseBody {
  /** Lowercase letters, digits and inner dashes. */
  slug: string;
  title: string;
}

/** A course's ingest key as listed: never its secret. */
export interface IngestKeyJson {
  id: string;
  courseId: string;
  name: string;
  prefix: string;
  createdBy: string;
  createdAt: string;
  revokedAt: string | null;
}

/** `POST /v1/courses/:id/ingest-keys`: the secret, shown only in this answer. */
export interface CreatedIngestKey {
  key: string;
  ingestKey: IngestKeyJson;
}
