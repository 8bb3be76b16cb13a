/** xAPI IRIs and the anonymous actor shape the Gatekeeper accepts (docs/telemetry.md, "Statements"). */

export const XAPI_VERSIONS = ['1.0.3', '2.0.0'] as const;

export const VERBS = {
  launched: 'http://adlnet.gov/expapi/verbs/launched',
  initialized: 'http://adlnet.gov/expapi/verbs/initialized',
  progressed: 'http://adlnet.gov/expapi/verbs/progressed',
  completed: 'http://adlnet.gov/expapi/verbs/completed',
  passed: 'http://adlnet.gov/expapi/verbs/passed',
  failed: 'http://adlnet.gov/expapi/verbs/failed',
  terminated: 'http://adlnet.gov/expapi/verbs/terminated',
  satisfied: 'https://w3id.org/xapi/adl/verbs/satisfied',
  waived: 'https://w3id.org/xapi/adl/verbs/waived',
  abandoned: 'https://w3id.org/xapi/adl/verbs/abandoned',
} as const;

export const CMI5 = {
  category: 'https://w3id.org/xapi/cmi5/context/categories/cmi5',
  moveOnCategory: 'https://w3id.org/xapi/cmi5/context/categories/moveon',
  sessionIdExtension: 'https://w3id.org/xapi/cmi5/context/extensions/sessionid',
  masteryScoreExtension: 'https://w3id.org/xapi/cmi5/context/extensions/masteryscore',
  progressExtension: 'https://w3id.org/xapi/cmi5/result/extensions/progress',
  reasonExtension: 'https://w3id.org/xapi/cmi5/result/extensions/reason',
  launchDataStateId: 'LMS.LaunchData',
  learnerPreferencesProfileId: 'cmi5LearnerPreferences',
} as const;

/** A statement's `result`, as the runtime sends it and the Gatekeeper's ingest keeps it. */
export interface XapiResult {
  score?: { scaled?: number; raw?: number; min?: number; max?: number };
  success?: boolean;
  completion?: boolean;
  response?: string;
  duration?: string | undefined;
  extensions?: Record<string, unknown> | undefined;
}

export interface AnonymousActor {
  objectType: 'Agent';
  account: { homePage: string; name: string };
}

export function anonymousActor(homePage: string, sessionId: string): AnonymousActor {
  return { objectType: 'Agent', account: { homePage, name: sessionId } };
}
