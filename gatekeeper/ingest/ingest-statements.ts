import { randomUUID } from 'node:crypto';
import type { Session } from '../db/sessions.js';
import { GatekeeperError } from '../errors.js';
import { completionDelta } from './completion.js';
import { statementPrivacy } from './statement-privacy.js';
import { type IngestStatement, parseStatementBatch } from './statement-schema.js';
import type { DeltaOf, StatementStore, StoredRow } from './statement-store.js';

/**
 * Checks and stores one request's statements for `session` (docs/telemetry.md, "Gatekeeper ingest and
 * records"): no agent but the actor and no personal property on it (`400 pii_not_accepted` naming the
 * JSON path), identifiers in every other string replaced (`statement-privacy.ts`), valid xAPI, actor exactly this
 * session's anonymous account, and the xAPI id rules: an id already stored with the same body is accepted
 * again without a second row; with another body the whole request is refused with `409`. Returns the ids in
 * request order.
 */
export async function ingestStatements(options: {
  store: StatementStore;
  session: Session;
  /** The actor account's homePage: the Gatekeeper's public URL. */
  homePage: string;
  body: unknown;
  now: number;
}): Promise<string[]> {
  const { session, homePage } = options;
  const raw = Array.isArray(options.body) ? options.body : [options.body];
  for (let i = 0; i < raw.length; i++) statementPrivacy(raw[i], String(i));
  const batch: IngestStatement[] = parseStatementBatch(raw);
  const rows: StoredRow[] = [];
  const inBatch = new Map<string, string>();
  for (const s of batch) {
    const { account } = s.actor;
    if (account.homePage !== homePage || account.name !== session.id)
      throw new GatekeeperError('invalid_request', 'The actor must be this session’s anonymous account');
    s.id ??= randomUUID();
    const body = JSON.stringify(s);
    const seen = inBatch.get(s.id);
    if (seen !== undefined) {
      if (seen !== body)
        throw new GatekeeperError('invalid_request', `Statement ${s.id} appears twice with different bodies`);
      continue;
    }
    inBatch.set(s.id, body);
    rows.push({ id: s.id, verb: s.verb.id, body });
  }
  // Every statement is new unless the store finds its id taken; then only the new ones count.
  const deltaOf: DeltaOf = (fresh) => {
    if (fresh.length === rows.length) return completionDelta(batch);
    const ids = new Set(fresh.map((r) => r.id));
    return completionDelta(batch.filter((s) => ids.has(s.id as string)));
  };
  await options.store.write(session, rows, deltaOf, options.now);
  return batch.map((s) => s.id as string);
}
