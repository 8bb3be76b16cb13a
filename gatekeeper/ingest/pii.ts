/**
 * Properties that identify a person wherever an agent or group appears (docs/telemetry.md,
 * "Statements").
 */
const PII_KEYS = ['mbox', 'mbox_sha1sum', 'openid', 'name'] as const;

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function agentHasPii(agent: unknown): boolean {
  if (Array.isArray(agent)) return agent.some(agentHasPii);
  if (!isObject(agent)) return false;
  if (PII_KEYS.some((k) => k in agent)) return true;
  return agentHasPii(agent.member);
}

/**
 * True when any agent of the statement (actor, authority, an agent or group object, the context's
 * instructor and team, group members, and the same inside a sub-statement) carries a personal
 * identifier. Activity definitions may have a `name`; only agents are checked.
 */
export function statementHasPii(statement: unknown): boolean {
  if (!isObject(statement)) return false;
  const context = isObject(statement.context) ? statement.context : {};
  if ([statement.actor, statement.authority, context.instructor, context.team].some(agentHasPii)) return true;
  const object = statement.object;
  if (!isObject(object)) return false;
  if (object.objectType === 'Agent' || object.objectType === 'Group') return agentHasPii(object);
  if (object.objectType === 'SubStatement') return statementHasPii(object);
  return false;
}
