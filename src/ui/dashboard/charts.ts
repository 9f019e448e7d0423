// Which curves the dashboard draws: one entry per chart, each picking its lines from the
// columns of a run. Pure data, so the list is tested without a browser.
import type { MetricColumns } from './metric-table';

export interface Line {
  label: string;
  values: Float64Array;
}

export interface ChartSpec {
  id: string;
  title: string;
  /** What the y axis measures, for the accessible description. */
  unit: string;
  lines(c: MetricColumns): Line[];
}

const scalar = (key: keyof MetricColumns['scalars'], label: string) => (c: MetricColumns) => [
  { label, values: c.scalars[key] },
];

export const CHARTS: readonly ChartSpec[] = [
  {
    id: 'reward',
    title: 'Reward',
    unit: 'mean reward over sampled forecasts, and each component',
    lines: (c) => [
      { label: 'mean reward', values: c.scalars.reward },
      ...[...c.components].map(([name, values]) => ({ label: name, values })),
    ],
  },
  { id: 'loss', title: 'Loss', unit: 'training loss', lines: scalar('loss', 'loss') },
  { id: 'kl', title: 'KL to reference', unit: 'k3 estimate', lines: scalar('kl', 'KL') },
  { id: 'entropy', title: 'Entropy', unit: 'nats per token', lines: scalar('entropy', 'entropy') },
  {
    id: 'clip',
    title: 'Clip fraction',
    unit: 'fraction of tokens clipped',
    lines: scalar('clipFraction', 'clip fraction'),
  },
  {
    id: 'gradnorm',
    title: 'Gradient norm',
    unit: 'global norm before clipping',
    lines: scalar('gradNorm', 'grad norm'),
  },
  {
    id: 'updates-per-s',
    title: 'Updates per second',
    unit: 'updates/s',
    lines: scalar('updatesPerSecond', 'updates/s'),
  },
  {
    id: 'tokens-per-s',
    title: 'Tokens per second',
    unit: 'tokens/s',
    lines: scalar('tokensPerSecond', 'tokens/s'),
  },
];

/** Metric shown per suite in the evaluation chart: "success" when the suite reports it. */
export function primaryMetric(metrics: Record<string, number>): string | undefined {
  const names = Object.keys(metrics);
  return names.find((m) => /success/i.test(m)) ?? names[0];
}

export interface SparsePoints {
  x: number[];
  lines: { label: string; values: (number | null)[] }[];
}

/** Evaluation results as one line per suite, at the updates where an evaluation ran. */
export function evaluationPoints(c: MetricColumns): SparsePoints {
  const suites: string[] = [];
  for (const e of c.evaluations) for (const s in e.results) if (!suites.includes(s)) suites.push(s);
  const x = c.evaluations.map((e) => e.row + 1);
  const lines = suites.map((suite) => {
    let metricName: string | undefined;
    const values = c.evaluations.map((e) => {
      const metrics = e.results[suite];
      if (!metrics) return null;
      metricName ??= primaryMetric(metrics);
      const v = metricName === undefined ? undefined : metrics[metricName];
      return v !== undefined && Number.isFinite(v) ? v : null;
    });
    return { label: metricName ? `${suite} ${metricName}` : suite, values };
  });
  return { x, lines };
}

/**
 * Two runs' evaluation points on one x axis (the union of their update numbers), with the
 * second run's lines after the first's; a line is null where its run did not evaluate.
 */
export function mergeSparse(a: SparsePoints, b: SparsePoints): SparsePoints {
  const x = [...new Set([...a.x, ...b.x])].sort((p, q) => p - q);
  const spread = (p: SparsePoints) =>
    p.lines.map((line) => {
      const at = new Map(p.x.map((xv, i) => [xv, line.values[i]]));
      return { label: line.label, values: x.map((xv) => at.get(xv) ?? null) };
    });
  return { x, lines: [...spread(a), ...spread(b)] };
}
