/**
 * The Gatekeeper's REST API as a table: each route (`'<METHOD> <path>'`, `:name` for a path parameter) with
 * the body it takes, the query it reads and the JSON it answers. The CLI's client is typed from it; the
 * routes declare their answers with `satisfies` the same types (docs/gatekeeper.md, "API").
 */
import type { DeployPlanAnswer, DeployPlanBody, DryRunAnswer } from '../deploy.js';
import type { CourseJson, CreateCourseBody, CreatedIngestKey, IngestKeyJson } from './courses.js';
import type {
  ChannelJson,
  CourseChannels,
  CourseHistory,
  CreatePreviewBody,
  DeploymentJson,
  PointerMove,
  PreviewLinkJson,
  PromoteBody,
  RevokedPreview,
  RollbackBody,
} from './deployments.js';
import type { ForwardingJson, SetForwardingBody } from './forwarding.js';
import type {
  CreateLicenseBody,
  ExtendLicenseBody,
  FollowLicenseBody,
  LicenseFollows,
  LicenseJson,
  LicenseListItem,
  LicenseReasonBody,
  LicenseWithToken,
} from './licenses.js';
import type { LogPageJson, LogQueryParams } from './logs.js';
import type {
  AddMemberBody,
  ApiKeyJson,
  CreateApiKeyBody,
  CreatedApiKey,
  MemberJson,
  MemberRole,
  OrgJson,
} from './org.js';
import type {
  CreateWebhookBody,
  WebhookDeliveryJson,
  WebhookEndpointJson,
  WebhookEndpointWithSecret,
} from './webhooks.js';

export interface ApiRoutes {
  'GET /v1/org': { answer: OrgJson };

  'GET /v1/members': { answer: { members: MemberJson[] } };
  'POST /v1/members': { body: AddMemberBody; answer: MemberJson };
  'PATCH /v1/members/:id': { body: { role: MemberRole }; answer: MemberJson };
  'DELETE /v1/members/:id': { answer: { removed: string } };

  'GET /v1/keys': { answer: { keys: ApiKeyJson[] } };
  'POST /v1/keys': { body: CreateApiKeyBody; answer: CreatedApiKey };
  'DELETE /v1/keys/:id': { answer: ApiKeyJson };

  'GET /v1/courses': { answer: { courses: CourseJson[] } };
  'POST /v1/courses': { body: CreateCourseBody; answer: CourseJson };
  'GET /v1/courses/:id': { answer: CourseJson };
  'GET /v1/courses/:id/ingest-keys': { answer: { ingestKeys: IngestKeyJson[] } };
  'POST /v1/courses/:id/ingest-keys': { body: { name?: string }; answer: CreatedIngestKey };
  'DELETE /v1/courses/:id/ingest-keys/:keyId': { answer: IngestKeyJson };

  /** With `dryRun: true` in the body, `dryRunAnswer` instead: nothing is created. */
  'POST /v1/courses/:id/deployments': {
    body: DeployPlanBody;
    answer: DeployPlanAnswer;
    dryRunAnswer: DryRunAnswer;
  };
  'GET /v1/courses/:id/deployments': { answer: { deployments: DeploymentJson[] } };
  'POST /v1/courses/:id/promote': { body: PromoteBody; answer: PointerMove };
  'POST /v1/courses/:id/rollback': { body: RollbackBody; answer: PointerMove };
  'GET /v1/courses/:id/history': { query: { channel?: string }; answer: CourseHistory };
  'GET /v1/courses/:id/channels': { answer: CourseChannels };
  'POST /v1/courses/:id/channels': { body: { name: string }; answer: ChannelJson };
  'DELETE /v1/courses/:id/channels/:name': { answer: { name: string; deleted: true } };
  'POST /v1/courses/:id/channels/:name/previews': { body: CreatePreviewBody; answer: PreviewLinkJson };
  'GET /v1/courses/:id/launches': { query: LogQueryParams; answer: LogPageJson };
  'GET /v1/courses/:id/errors': { query: LogQueryParams; answer: LogPageJson };
  'GET /v1/courses/:id/completions': { query: LogQueryParams; answer: LogPageJson };
  /** A zip, streamed (`answer` is the response itself). */
  'GET /v1/courses/:id/export': {
    query: { format: 'scorm12' | 'scorm2004' | 'cmi5'; deployment?: string; channel?: string };
    answer: Blob;
  };

  'GET /v1/deployments/:id': { answer: DeploymentJson };
  'POST /v1/deployments/:id/finalize': { body: Record<string, never>; answer: DeploymentJson };
  'POST /v1/deployments/:id/previews': { body: CreatePreviewBody; answer: PreviewLinkJson };
  'DELETE /v1/previews/:id': { answer: RevokedPreview };

  'GET /v1/licenses': { query: { courseId?: string }; answer: { licenses: LicenseListItem[] } };
  'POST /v1/licenses': { body: CreateLicenseBody; answer: LicenseWithToken };
  'GET /v1/licenses/:id': { answer: LicenseWithToken };
  'POST /v1/licenses/:id/revoke': { body: LicenseReasonBody; answer: LicenseJson };
  'POST /v1/licenses/:id/unrevoke': { body: LicenseReasonBody; answer: LicenseJson };
  'POST /v1/licenses/:id/extend': { body: ExtendLicenseBody; answer: LicenseJson };
  'POST /v1/licenses/:id/reissue': { body: LicenseReasonBody; answer: LicenseWithToken };
  'POST /v1/licenses/:id/follow': {
    body: FollowLicenseBody;
    answer: { license: LicenseJson; follows: LicenseFollows };
  };
  /** The gated package, a zip (`answer` is the response itself). */
  'GET /v1/licenses/:id/package': { query: { format: 'scorm12' | 'scorm2004' | 'cmi5' }; answer: Blob };

  'GET /v1/webhooks': { answer: { webhooks: WebhookEndpointJson[] } };
  'POST /v1/webhooks': { body: CreateWebhookBody; answer: WebhookEndpointWithSecret };
  'DELETE /v1/webhooks/:id': { answer: WebhookEndpointJson };
  'POST /v1/webhooks/:id/rotate': { body: Record<string, never>; answer: WebhookEndpointWithSecret };
  'POST /v1/webhooks/:id/test': { body: Record<string, never>; answer: { id: string } };
  'GET /v1/webhooks/:id/deliveries': { answer: { deliveries: WebhookDeliveryJson[] } };
  'POST /v1/webhooks/:id/deliveries/:eventId/redeliver': {
    body: Record<string, never>;
    answer: { id: string };
  };

  'GET /v1/courses/:id/forwarding': { answer: ForwardingJson };
  'PUT /v1/courses/:id/forwarding': { body: SetForwardingBody; answer: ForwardingJson };
  'DELETE /v1/courses/:id/forwarding': { answer: ForwardingJson };
}

export type ApiRoute = keyof ApiRoutes;

/** The routes that answer a file rather than JSON. */
export type ApiDownloadRoute = { [R in ApiRoute]: ApiRoutes[R]['answer'] extends Blob ? R : never }[ApiRoute];
export type ApiJsonRoute = Exclude<ApiRoute, ApiDownloadRoute>;

type PathOf<R extends string> = R extends `${string} ${infer P}` ? P : never;
type ParamNames<P extends string> = P extends `${string}:${infer N}/${infer Rest}`
  ? N | ParamNames<Rest>
  : P extends `${string}:${infer N}`
    ? N
    : never;

/** A route's path parameters, by name. */
export type ApiParams<R extends ApiRoute> = Record<ParamNames<PathOf<R>>, string>;

/**
 * What a call of route `R` takes: `params` when its path has any, `body` when it has one, `query` when it
 * reads one.
 */
export type ApiInput<R extends ApiRoute> = ([ParamNames<PathOf<R>>] extends [never]
  ? { params?: never }
  : { params: ApiParams<R> }) &
  (ApiRoutes[R] extends { body: infer B } ? { body: B } : { body?: never }) &
  (ApiRoutes[R] extends { query: infer Q } ? { query?: Q } : { query?: never });

export type ApiAnswer<R extends ApiRoute> = ApiRoutes[R]['answer'];

/** The answer to a call with `input`: a route's `dryRunAnswer` when the body asks for a dry run. */
export type ApiAnswerTo<R extends ApiRoute, I> = I extends { body: { dryRun: true } }
  ? ApiRoutes[R] extends { dryRunAnswer: infer D }
    ? D
    : ApiAnswer<R>
  : ApiAnswer<R>;

/**
 * The path (and query) of a call: each parameter percent-encoded, the query's defined values in order.
 * @example apiPath('GET /v1/courses/:id/history', { params: { id: 'intro' } }) // '/v1/courses/intro/history'
 */
export function apiPath<R extends ApiRoute>(route: R, input: Partial<ApiInput<R>> = {}): string {
  const params = (input.params ?? {}) as Record<string, string>;
  const path = route
    .slice(route.indexOf(' ') + 1)
    .replace(/:([A-Za-z]+)/g, (_, name: string) => encodeURIComponent(params[name] ?? ''));
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries((input.query ?? {}) as Record<string, unknown>))
    if (v !== undefined) query.set(k, String(v));
  const search = query.toString();
  return search ? `${path}?${search}` : path;
}

/** `'POST /v1/courses'` → `'POST'`. */
export function apiMethod(route: ApiRoute): string {
  return route.slice(0, route.indexOf(' '));
}
