// Which curves the dashboard draws: one entry per chart, each picking its lines from the
// columns of a run. Pure data, so the list is tested without a browser.
import type { MetricColumns } from './metric-table';

export interface Line {
  label: string;
  values: Float64Array;
}

export interface ChartGroup {
  id: string;
  label: string;
}

export interface ChartSpec {
  id: string;
  title: string;
  /** What the y axis measures, for the accessible description. */
  unit: string;
  /** What the chart will show and what to look for, drawn in its frame before any data. */
  explain: string;
  /** Choices of which lines to draw (a toggle above the chart); the first is the default. */
  groups?: readonly ChartGroup[];
  lines(c: MetricColumns, group?: string): Line[];
}

/** The reward's components in four groups, so no chart draws more lines than it has colours. */
export const REWARD_GROUPS: readonly ChartGroup[] = [
  { id: 'total', label: 'Total' },
  { id: 'alignment', label: 'Alignment' },
  { id: 'penalties', label: 'Penalties' },
  { id: 'format', label: 'Format' },
];

const COMPONENT_GROUP: Readonly<Record<string, string>> = {
  accuracy: 'total',
  success: 'total',
  guiSuccess: 'total',
  toolSuccess: 'total',
  alignment: 'alignment',
  doneBonus: 'alignment',
  shiftPenalty: 'penalties',
  coveragePenalty: 'penalties',
  repetitionPenalty: 'penalties',
  lengthGuard: 'penalties',
  format: 'format',
};

/** The group of a reward component; a component not listed goes by its name. */
export function rewardGroupOf(name: string): string {
  if (name in COMPONENT_GROUP) return COMPONENT_GROUP[name];
  if (/penalty|guard/i.test(name)) return 'penalties';
  if (/format/i.test(name)) return 'format';
  if (/align/i.test(name)) return 'alignment';
  return 'total';
}

/** Mean reward first in the total group; stage 2's own `reward` component is the same curve. */
function rewardLines(c: MetricColumns, group = 'total'): Line[] {
  const components = [...c.components]
    .filter(([name]) => name !== 'reward' && rewardGroupOf(name) === group)
    .map(([name, values]) => ({ label: name, values }));
  return group === 'total'
    ? [{ label: 'mean reward', values: c.scalars.reward }, ...components]
    : components;
}

const scalar = (key: keyof MetricColumns['scalars'], label: string) => (c: MetricColumns) => [
  { label, values: c.scalars[key] },
];

export const CHARTS: readonly ChartSpec[] = [
  {
    id: 'reward',
    title: 'Reward',
    unit: 'mean reward over sampled forecasts, and each component',
    explain:
      'How well the sampled forecasts match the reference steps, 0 to 1, and the terms that make it up. It should climb during stages 1 and 2.',
    groups: REWARD_GROUPS,
    lines: rewardLines,
  },
  {
    id: 'loss',
    title: 'Loss',
    unit: 'training loss',
    explain:
      'Stage 0: cross-entropy on oracle trajectories, falling fast. Stages 1–2: the clipped GRPO objective, which hovers near zero.',
    lines: scalar('loss', 'loss'),
  },
  {
    id: 'kl',
    title: 'KL to reference',
    unit: 'k3 estimate',
    explain:
      'How far the policy has moved from the frozen start of its stage. Small and slowly rising is healthy; a jump means the updates are too large.',
    lines: scalar('kl', 'KL'),
  },
  {
    id: 'entropy',
    title: 'Entropy',
    unit: 'nats per token',
    explain:
      'How uncertain the planner is per token it writes. It falls as the planner grows confident; near zero, exploration has stopped.',
    lines: scalar('entropy', 'entropy'),
  },
  {
    id: 'clip',
    title: 'Clip fraction and ratio deviation',
    unit: 'fraction of tokens clipped, and mean |ρ − 1|',
    explain:
      'How far each GRPO gradient step moved the policy from the one that sampled: the share of tokens whose probability ratio ρ left the clip range 1 ± ε, and the mean |ρ − 1|. Both stay 0 with one inner epoch and one minibatch; with several, a clip fraction mostly below 0.2 is healthy, and a climb means the steps are too large.',
    lines: (c) => [
      { label: 'clip fraction', values: c.scalars.clipFraction },
      { label: 'mean |ρ − 1|', values: c.scalars.ratioDeviation },
    ],
  },
  {
    id: 'gradnorm',
    title: 'Gradient norm',
    unit: 'global norm before clipping',
    explain: 'Size of each update’s gradient before clipping. Spikes mark unstable updates.',
    lines: scalar('gradNorm', 'grad norm'),
  },
  {
    id: 'updates-per-s',
    title: 'Updates per second',
    unit: 'updates/s',
    explain: 'Training speed on this device and backend; the time estimates come from it.',
    lines: scalar('updatesPerSecond', 'updates/s'),
  },
  {
    id: 'tokens-per-s',
    title: 'Tokens per second',
    unit: 'tokens/s',
    explain: 'Tokens sampled and trained on per second.',
    lines: scalar('tokensPerSecond', 'tokens/s'),
  },
];

export const EVALUATION_EXPLAIN =
  'Success of the greedy planner on held-out tasks of each chosen suite, measured when a stage ends or when you press Evaluate.';
export const HEATMAP_EXPLAIN =
  'Mean reward of each forecast step t = 1…H (rows) over updates (columns). Near steps usually learn first; far ones stay darker.';

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
