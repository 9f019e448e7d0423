// Lighthouse's performance score moves between runs of the same page (its own guidance: take
// the median of several runs). This folds each view's repeated runs into the figure we report:
// the median score with its range, and the median total blocking time.
import { median } from '../bench/timing';

export { median };

export interface AuditRun {
  view: string;
  /** Category scores, 0–100 (performance, accessibility, best-practices, seo). */
  scores: Record<string, number>;
  /** Total blocking time in milliseconds, as Lighthouse computed it. */
  tbtMs: number;
}

export interface ViewSummary {
  view: string;
  runs: number;
  /** Per category: median, min and max over the runs. */
  scores: Record<string, { median: number; min: number; max: number }>;
  tbtMs: { median: number; min: number; max: number };
}

function spread(values: readonly number[]): { median: number; min: number; max: number } {
  return { median: median(values), min: Math.min(...values), max: Math.max(...values) };
}

/** One summary per view, in the order the views first appear among the runs. */
export function summarize(runs: readonly AuditRun[]): ViewSummary[] {
  const byView = new Map<string, AuditRun[]>();
  for (const run of runs) byView.set(run.view, [...(byView.get(run.view) ?? []), run]);
  return [...byView].map(([view, own]) => {
    const categories = Object.keys(own[0].scores);
    const scores = Object.fromEntries(
      categories.map((c) => [c, spread(own.map((r) => r.scores[c]))]),
    );
    return { view, runs: own.length, scores, tbtMs: spread(own.map((r) => r.tbtMs)) };
  });
}

/** "92 (88–95)", or just "100" when every run agreed. */
export function formatSpread(s: { median: number; min: number; max: number }): string {
  const m = Math.round(s.median);
  return s.min === s.max ? `${m}` : `${m} (${Math.round(s.min)}–${Math.round(s.max)})`;
}
