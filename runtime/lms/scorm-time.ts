/** Time formats of the two SCORM editions; the course core only deals in milliseconds. */

const pad = (n: number) => String(n).padStart(2, '0');

/** SCORM 1.2 CMITimespan `HHHH:MM:SS.SS` (hours capped at 9999). */
export function cmiTimespan(ms: number): string {
  const cs = Math.max(0, Math.round(ms / 10));
  const h = Math.min(9999, Math.floor(cs / 360000));
  const s = ((cs % 6000) / 100).toFixed(2).padStart(5, '0');
  return `${pad(h)}:${pad(Math.floor(cs / 6000) % 60)}:${s}`;
}

/** SCORM 1.2 CMITime `HH:MM:SS` (clock time of day). */
export function cmiTime(d: Date): string {
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** ISO 8601 duration as SCORM 2004 and xAPI want it, e.g. `PT1H2M3.5S`. */
export function isoDuration(ms: number): string {
  const cs = Math.max(0, Math.round(ms / 10));
  const h = Math.floor(cs / 360000);
  const m = Math.floor(cs / 6000) % 60;
  const s = (cs % 6000) / 100;
  return `PT${h ? `${h}H` : ''}${m ? `${m}M` : ''}${s}S`;
}
