import { Flags } from './license-view.js';
import type { flaggedLicensesOf } from './usage.js';

/** The licenses that need attention (expiring soon, near their cap), each linked, with why. */
export const FlaggedLicenses = (props: {
  base: string;
  licenses: Awaited<ReturnType<typeof flaggedLicensesOf>>;
}) =>
  props.licenses.length === 0 ? null : (
    <section aria-labelledby="flagged-heading" id="flagged">
      <h2 id="flagged-heading">Licenses needing attention</h2>
      <ul class="card">
        {props.licenses.map((l) => (
          <li>
            <a href={`${props.base}/licenses/${encodeURIComponent(l.id)}`}>{l.clientName}</a>
            <Flags flags={l.flags} />
          </li>
        ))}
      </ul>
    </section>
  );
