import { hashPassword, randomToken } from '../crypto.js';
import { deleteMemberDashboardSessions } from '../db/dashboard-sessions.js';
import { findMemberByEmail, setMemberPassword } from '../db/members.js';
import { GatekeeperError } from '../errors.js';
import { withDatabase } from './with-database.js';

/**
 * `coursegate admin set-password`: a new one-time dashboard password for a member, whose dashboard
 * sessions end. Returns the password (shown once).
 * @example const password = await resetPassword({ dataDir: './data', email: 'owner@acme.test' });
 */
export async function resetPassword(input: { dataDir: string; email: string }): Promise<string> {
  const password = randomToken(12);
  await withDatabase(input.dataDir, async (db) => {
    const member = await findMemberByEmail(db, input.email);
    if (!member) throw new GatekeeperError('member_not_found', `No member with the email ${input.email}`);
    await setMemberPassword(db, member.id, await hashPassword(password));
    await deleteMemberDashboardSessions(db, member.id);
  });
  return password;
}
