import type { DayCount } from '../logs/counts.js';

/**
 * Launches and errors per day as grouped bars, drawn on the server as inline SVG (no script, no
 * library). The same numbers are in the accessible description and the `<title>` of every bar.
 */
export function DayChart(props: { id: string; label: string; days: DayCount[] }) {
  const { days } = props;
  const width = 640;
  const height = 160;
  const pad = { top: 10, bottom: 24, left: 8 };
  const peak = Math.max(1, ...days.map((d) => Math.max(d.launches, d.errors)));
  const slot = (width - pad.left) / Math.max(1, days.length);
  const bar = Math.max(2, slot / 2 - 2);
  const h = (n: number) => ((height - pad.top - pad.bottom) * n) / peak;
  const base = height - pad.bottom;
  const totalL = days.reduce((s, d) => s + d.launches, 0);
  const totalE = days.reduce((s, d) => s + d.errors, 0);
  const day = (ms: number) => new Date(ms).toISOString().slice(5, 10);
  return (
    <figure class="card">
      <figcaption id={`${props.id}-cap`}>
        {props.label}: {totalL} launches, {totalE} errors in {days.length} days
      </figcaption>
      <svg
        class="chart"
        viewBox={`0 0 ${width} ${height}`}
        role="img"
        aria-labelledby={`${props.id}-cap`}
        width={width}
        height={height}
      >
        <title>{`${props.label}: ${totalL} launches, ${totalE} errors`}</title>
        {days.map((d, i) => {
          const x = pad.left + i * slot;
          return (
            <g>
              <rect class="bar-launch" x={x} y={base - h(d.launches)} width={bar} height={h(d.launches)}>
                <title>{`${day(d.day)}: ${d.launches} launches`}</title>
              </rect>
              <rect class="bar-error" x={x + bar + 1} y={base - h(d.errors)} width={bar} height={h(d.errors)}>
                <title>{`${day(d.day)}: ${d.errors} errors`}</title>
              </rect>
              {(i % Math.ceil(days.length / 7) === 0 || i === days.length - 1) && (
                <text x={x} y={height - 8}>
                  {day(d.day)}
                </text>
              )}
            </g>
          );
        })}
      </svg>
      <p class="legend">
        <span>
          <span class="swatch launch" />
          launches
        </span>
        <span>
          <span class="swatch error" />
          errors
        </span>
      </p>
    </figure>
  );
}
