// How the Runs view writes sizes, dates and stages.
import { STAGE_LIST, type Stage } from '../../rl/stage-list';

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'];

/** Bytes in decimal units, as browsers report storage: 1,536 → "1.5 KB". */
export function formatBytes(bytes: number | null): string {
  if (bytes === null || !Number.isFinite(bytes) || bytes < 0) return 'unknown';
  let v = bytes;
  let u = 0;
  while (v >= 1000 && u < UNITS.length - 1) {
    v /= 1000;
    u++;
  }
  return u === 0 ? `${v} B` : `${v < 10 ? v.toFixed(1) : Math.round(v)} ${UNITS[u]}`;
}

// One formatter for every row: building an Intl formatter per call is slow enough to show
// up when the list re-renders on each stored batch. Built on first use, not when a page loads
// this module: the first Intl formatter loads locale data, a long task on a slow phone.
let dateFormat: Intl.DateTimeFormat | null = null;

export function formatDate(ms: number): string {
  dateFormat ??= new Intl.DateTimeFormat(undefined, {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  });
  return dateFormat.format(ms);
}

export const STAGE_SHORT: Record<Stage, string> = Object.fromEntries(
  STAGE_LIST.map((s, i) => [i, `${i} · ${s.label}`]),
) as Record<Stage, string>;
