/**
 * The Newest / Newer / Older links of a log page read by key (docs/gatekeeper.md, "Totals"): `newer` and
 * `older` carry the cursor of the page's first or last row, `link` keeps the page's filters.
 */
export function KeysetPager<R>(props: {
  link: (extra: Record<string, string>) => string;
  rows: readonly R[];
  cursorOf: (row: R) => string;
  hasNewer: boolean;
  hasOlder: boolean;
}) {
  const first = props.rows[0];
  const last = props.rows[props.rows.length - 1];
  return (
    <nav class="pager" aria-label="Pages">
      {props.hasNewer && <a href={props.link({})}>Newest</a>}
      {props.hasNewer && first && <a href={props.link({ newer: props.cursorOf(first) })}>Newer</a>}
      {props.hasOlder && last && <a href={props.link({ older: props.cursorOf(last) })}>Older</a>}
    </nav>
  );
}
