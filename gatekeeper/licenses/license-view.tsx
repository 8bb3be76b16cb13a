import { fmtTime } from '../dashboard/layout.js';
import { type LicenseRow, type LicenseState, licenseState } from '../db/licenses.js';
import { GatekeeperError } from '../errors.js';
import { flagText, type LicenseFlag } from './flags.js';
import type { LicenseUsageWithFlags } from './usage.js';

/** What the license pages share: form fields read, a license's state, flags and usage as shown. */

export const field = (v: unknown) => (typeof v === 'string' ? v.trim() : '');

/** The origins field: space or comma separated; the service judges each. */
export const parseOrigins = (text: string) => text.split(/[\s,]+/).filter(Boolean);

/** `YYYY-MM-DD` as the start (00:00) or the end (23:59:59.999) of that UTC day; empty: none. */
export function parseDay(text: string, edge: 'start' | 'end', what: string): number | null {
  if (!text) return null;
  const ms = /^\d{4}-\d{2}-\d{2}$/.test(text)
    ? Date.parse(`${text}T${edge === 'start' ? '00:00:00.000' : '23:59:59.999'}Z`)
    : Number.NaN;
  if (Number.isNaN(ms)) throw new GatekeeperError('invalid_request', `Give the ${what} as a date`);
  return ms;
}

const STATE_LABELS: Record<LicenseState, string> = {
  active: 'active',
  revoked: 'revoked',
  expired: 'expired',
  not_started: 'not started',
};

/** The license's state as the dashboard shows it: the class that colours it, and its words. */
export const stateOf = (row: LicenseRow, now: number) => {
  const state = licenseState(row, now);
  return { class: `status-${state}`, label: STATE_LABELS[state] };
};

/** Its packages may carry a retired signing key: launches refused until reissued (docs/gatekeeper.md, "Tokens"). */
export const RetiredKey = () => <strong class="signing-key-retired"> · signing key retired: reissue</strong>;

/** Expiring soon or near its cap: a warning beside the license wherever it is listed. */
export const Flags = (props: { flags: readonly LicenseFlag[] }) =>
  props.flags.length === 0 ? null : (
    <ul class="flags">
      {props.flags.map((f) => (
        <li class={`flag flag-${f.kind}`}>
          <strong>Warning:</strong> {flagText(f)}
        </li>
      ))}
    </ul>
  );

export const passRate = (u: Pick<LicenseUsageWithFlags, 'passed' | 'judged'>) =>
  u.judged === 0 ? '—' : `${Math.round((u.passed * 100) / u.judged)} %`;

/** The launch cap in words. */
export const capText = (row: Pick<LicenseRow, 'launchCap' | 'capPeriod'>) =>
  row.launchCap === null
    ? 'none'
    : `${row.launchCap} launches ${row.capPeriod === 'total' || row.capPeriod === null ? 'in total' : `per ${row.capPeriod}`}`;

/** This month's usage of one license, as a definition list (the detail page). */
export const UsageList = (props: { usage: LicenseUsageWithFlags }) => {
  const u = props.usage;
  return (
    <dl class="card usage" id="usage">
      <dt>Launches allowed this month</dt>
      <dd class="num">{u.allowed}</dd>
      <dt>Launches denied this month</dt>
      <dd class="num">{u.denied}</dd>
      <dt>Sessions with results</dt>
      <dd class="num">{u.sessions}</dd>
      <dt>Completions</dt>
      <dd class="num">{u.completed}</dd>
      <dt>Pass rate</dt>
      <dd class="num">{passRate(u)}</dd>
      <dt>Last launch</dt>
      <dd>{fmtTime(u.lastLaunchAt)}</dd>
    </dl>
  );
};
