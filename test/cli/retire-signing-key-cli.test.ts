import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { listAuditEvents } from '../../gatekeeper/db/audit-events.js';
import { type CliGatekeeper, cliGatekeeper } from '../helpers/cli-gatekeeper.js';
import { cliLiveCourse } from '../helpers/cli-live-course.js';
import { runCoursegate } from '../packager/run-cli.js';

let gk: CliGatekeeper;
let owner: Awaited<ReturnType<CliGatekeeper['org']>>;
let courseId = '';
const dir = mkdtempSync(join(tmpdir(), 'cg-cli-retire-'));

beforeAll(async () => {
  gk = await cliGatekeeper();
  owner = await gk.org('Key Owner');
  courseId = await cliLiveCourse(gk, owner);
});
afterAll(async () => {
  await gk?.close();
  rmSync(dir, { recursive: true, force: true });
});

const cli = (args: string[]) =>
  runCoursegate(args, { env: { ...owner.env, XDG_CONFIG_HOME: dir }, fetch: gk.fetch, isolated: true });

/** The license token inside a downloaded SCORM 1.2 package, as an LMS would hold it. */
async function packageToken(licenseId: string, name: string): Promise<string> {
  const out = join(dir, `${name}.zip`);
  const r = await cli(['licenses', 'package', licenseId, '--format', 'scorm12', '-o', out]);
  expect(r.code, r.stderr).toBe(0);
  const text = Object.values(unzipSync(readFileSync(out)))
    .map((f) => strFromU8(f))
    .join('\n');
  const token = /eyJ[\w-]+\.eyJ[\w-]+\.[\w-]+/.exec(text)?.[0];
  expect(token).toBeDefined();
  return token!;
}

const kidOf = (token: string) =>
  (JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()) as { kid: string }).kid;

async function launch(token: string) {
  const res = await gk.fetch(`${gk.url}/v1/launch`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token, standard: 'scorm12' }),
  });
  return { status: res.status, body: (await res.json()) as { code?: string; error?: { code: string } } };
}

const codeOf = (b: { code?: string; error?: { code: string } }) => b.error?.code ?? b.code;

describe('coursegate admin retire-signing-key', { timeout: 60_000 }, () => {
  it('refuses launches of a retired key’s packages until the license is reissued, and audits both', async () => {
    const issued = await owner.api('POST /v1/licenses', { body: { courseId, clientName: 'Client LMS' } });
    const id = issued.license.id;
    const old = await packageToken(id, 'old');
    const oldKid = kidOf(old);
    expect((await launch(old)).status).toBe(200);

    // The active key cannot be retired; an unknown kid is named. Nothing changes either way.
    const active = await cli(['admin', 'retire-signing-key', oldKid, '--data-dir', gk.dataDir]);
    expect(active.code).toBe(1);
    expect(active.stderr).toMatch(/is the active signing key; run rotate-signing-key first/);
    const unknown = await cli(['admin', 'retire-signing-key', 'no-such-kid', '--data-dir', gk.dataDir]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/No signing key no-such-kid; rotated-out keys still verifying: none/);
    // One thumbprint in 64 begins with '-': it is still read as the kid, not as an unknown option.
    const dashed = await cli(['admin', 'retire-signing-key', '-Q5nzaq3j', '--data-dir', gk.dataDir]);
    expect(dashed.code).toBe(1);
    expect(dashed.stderr).toMatch(/No signing key -Q5nzaq3j;/);

    const rotated = await cli(['admin', 'rotate-signing-key', '--data-dir', gk.dataDir]);
    expect(rotated.code, rotated.stderr).toBe(0);
    // `iat` has one-second resolution, so a token issued in the second of a rotation counts as possibly
    // signed by the old key (docs/gatekeeper.md, "Tokens"): the reissue below must fall in a later second.
    const nextSecond = Math.ceil((Date.now() + 1) / 1000) * 1000;
    await gk.restart();
    const typo = await cli(['admin', 'retire-signing-key', 'typo', '--data-dir', gk.dataDir]);
    expect(typo.stderr).toContain(`rotated-out keys still verifying: ${oldKid} [invalid_config]`);
    // Rotated out, the old key still verifies what it signed; nothing is flagged yet.
    expect((await launch(old)).status).toBe(200);
    expect((await cli(['licenses', 'list'])).stdout).not.toMatch(/retired/);

    const retired = await cli([
      'admin',
      'retire-signing-key',
      oldKid,
      '--reason',
      'key leaked',
      '--data-dir',
      gk.dataDir,
    ]);
    expect(retired.code, retired.stderr).toBe(0);
    expect(retired.stdout).toContain(`Signing key ${oldKid} retired`);
    await gk.restart();

    const refused = await launch(old);
    expect(refused.status).toBe(403);
    expect(codeOf(refused.body)).toBe('signing_key_retired');
    const list = await cli(['licenses', 'list']);
    expect(list.stdout.split('\n').find((l) => l.startsWith(id))).toMatch(/\sretired(\s|$)/);

    await vi.waitFor(() => expect(Date.now()).toBeGreaterThanOrEqual(nextSecond), { timeout: 2000 });
    const reissue = await cli(['licenses', 'reissue', '--all-retired', '--reason', 'key retired']);
    expect(reissue.code, reissue.stderr).toBe(0);
    expect(reissue.stdout).toContain(`${id}: reissued`);
    expect((await cli(['licenses', 'list'])).stdout).not.toMatch(/retired/);

    const fresh = await packageToken(id, 'new');
    expect(kidOf(fresh)).not.toBe(oldKid);
    expect((await launch(fresh)).status).toBe(200);
    expect(codeOf((await launch(old)).body)).toBe('signing_key_retired');

    const audit = await listAuditEvents(gk.db, owner.org.id);
    expect(audit.find((e) => e.action === 'signing_key.rotate')).toMatchObject({
      actor: 'cli',
      subject: kidOf(fresh),
      fromValue: oldKid,
    });
    expect(audit.find((e) => e.action === 'signing_key.retire')).toMatchObject({
      actor: 'cli',
      subject: oldKid,
      reason: 'key leaked',
    });
    expect(audit.find((e) => e.action === 'license.reissue')).toMatchObject({
      subject: id,
      reason: 'key retired',
    });
  });

  it('reissue needs one license id or --all-retired', async () => {
    const r = await cli(['licenses', 'reissue']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/Give a license id or --all-retired \(not both\)/);
  });
});
