// The ablation table: suites × methods, mean with a 95 % bootstrap interval (seeds, then the
// evaluation's units within each seed: see eval/bootstrap.ts) and the std over seeds, from the
// per-seed results of every job, as markdown (table.md) and data (table.json); then the
// contrasts that decide the paper's claims, as paired differences with their intervals. The
// paper's findings stand beside the rows in words; no paper number is given where we do not
// know it exactly.
import type { SuiteName } from '../../envs/suites';
import { DEFAULT_RESAMPLES, hierarchicalBootstrap, type Interval } from '../eval/bootstrap';
import { METHODS } from './plan';
import type { MethodResult, StageCurve } from './run-job';

/** Seed of every interval of the table (fixed, so a table reproduces). */
export const TABLE_BOOTSTRAP_SEED = 15;

/** The headline metric of each suite (the one the table shows). */
export const HEADLINE: Record<SuiteName, { key: string; label: string }> = {
  'mobile-online': { key: 'successRate', label: 'SR' },
  'desktop-online': { key: 'successRate', label: 'SR' },
  'mobile-offline-high': { key: 'stepSuccess', label: 'step SR' },
  'cross-app-offline': { key: 'stepSuccess', label: 'step SR' },
  'web-offline': { key: 'stepSuccess', label: 'step SR' },
  tools: { key: 'answerAccuracy', label: 'answer acc' },
  'tools-multihop': { key: 'answerAccuracy', label: 'answer acc' },
};

/** What the paper reports for each comparison (DESIGN.md §1), in words: its claims. */
export const PAPER_CLAIMS: Record<string, string> = {
  full: 'best overall (TraceR1)',
  stage1: 'about 6 points below full on average (stage 2 removed)',
  'H=10': 'H ≈ 10 best; longer degrades',
  'H=15': 'worse than H = 10',
  'gamma=1': 'γ = 1 hurts (over-fits uncertain far-future steps)',
  'rep=0': 'λ_rep = 0 invites repeated actions (reward hacking)',
};

export interface Stat {
  mean: number;
  std: number;
  n: number;
}

export function stat(values: readonly number[]): Stat {
  const n = values.length;
  if (n === 0) return { mean: NaN, std: NaN, n };
  const mean = values.reduce((a, b) => a + b, 0) / n;
  // Sample standard deviation over seeds (0 for one seed).
  const std = n > 1 ? Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1)) : 0;
  return { mean, std, n };
}

export interface TableRow {
  method: string;
  label: string;
  kind: 'method' | 'ablation';
  horizon: number;
  seeds: number[];
  /** Suite → metric → mean ± std over seeds (values in [0, 1]). */
  suites: Record<string, Record<string, Stat>>;
  /** Mean over the seven suites' headline metrics. */
  average: Stat;
  /** Suite → 95 % interval of the headline metric. */
  ci: Record<string, Interval>;
  /** 95 % interval of the average over suites. */
  averageCI: Interval | null;
  repeatRate: Stat;
  groundedSuccess: Stat;
  format: Stat;
  paper?: string;
}

export interface Table {
  suites: SuiteName[];
  rows: TableRow[];
  contrasts: ContrastResult[];
  training: TrainingRow[];
}

/**
 * How one stage of one method trained, over seeds: the training reward at its start and end
 * (mean of the first and last TRAINING_WINDOW updates), the KL to the reference at the end, and
 * how far the clipped updates went off-policy (clip fraction, mean |ratio − 1|).
 */
export interface TrainingRow {
  method: string;
  label: string;
  stage: string;
  seeds: number;
  rewardStart: Stat;
  rewardEnd: Stat;
  klEnd: Stat;
  /** Mean clip fraction over the stage's updates. */
  clipFraction: Stat;
  /** Largest clip fraction of any update of any seed. */
  clipFractionMax: number;
  ratioDeviation: Stat;
}

export const TRAINING_WINDOW = 10;

/** A paired comparison that decides one of the paper's claims. */
export interface Contrast {
  a: string;
  b: string;
  /** Suites averaged (headline metrics), or 'repeatRate' (forecasts, one value per seed). */
  over: 'all' | readonly SuiteName[] | 'repeatRate';
  label: string;
  paper: string;
}

export interface ContrastResult extends Contrast {
  /** a − b, with its 95 % interval; null when either side has no finished seed in common. */
  effect: Interval | null;
  seeds: number[];
}

export const CONTRASTS: readonly Contrast[] = [
  {
    a: 'full',
    b: 'reactive',
    over: ['mobile-online'],
    label: 'anticipatory (full) − reactive, mobile online SR',
    paper: 'anticipation helps',
  },
  {
    a: 'full',
    b: 'reactive',
    over: ['desktop-online'],
    label: 'anticipatory (full) − reactive, desktop online SR',
    paper: 'anticipation helps',
  },
  // The same comparison within stage 1 (H = 4 against H = 1, both from stage 0): the
  // trajectory reward alone, without the grounded reward's single-step objective.
  {
    a: 'stage1',
    b: 'H=1',
    over: ['mobile-online'],
    label: 'anticipatory (H = 4) − reactive (H = 1), stage 1 only, mobile online SR',
    paper: 'anticipation helps',
  },
  {
    a: 'stage1',
    b: 'H=1',
    over: ['desktop-online'],
    label: 'anticipatory (H = 4) − reactive (H = 1), stage 1 only, desktop online SR',
    paper: 'anticipation helps',
  },
  {
    a: 'full',
    b: 'stage1',
    over: 'all',
    label: 'stage 2 on top of stage 1 (full − stage 1 only), average',
    paper: 'about +6 points',
  },
  {
    a: 'full',
    b: 'stage2',
    over: 'all',
    label: 'stage 1 before stage 2 (full − stage 2 only), average',
    paper: 'positive',
  },
  { a: 'H=10', b: 'H=5', over: 'all', label: 'H = 10 − H = 5, average', paper: 'positive' },
  { a: 'H=15', b: 'H=10', over: 'all', label: 'H = 15 − H = 10, average', paper: 'negative' },
  {
    a: 'gamma=1',
    b: 'stage1',
    over: 'all',
    label: 'γ = 1 − γ = 0.8, average',
    paper: 'negative',
  },
  {
    a: 'rep=0',
    b: 'stage1',
    over: 'repeatRate',
    label: 'λ_rep = 0 − default, repeat rate of forecasts',
    paper: 'positive (repeated actions)',
  },
];

/** Units of one run on one suite: its per-unit outcomes, or its headline value as one unit. */
function units(r: MethodResult, suite: SuiteName): number[] | null {
  const own = r.outcomes?.[suite];
  if (own?.length) return own;
  const v = r.suites[suite]?.[HEADLINE[suite].key];
  return v === undefined || !Number.isFinite(v) ? null : [v];
}

/** The hierarchical interval over seeds (groups) and units, averaged over `suites`. */
function suitesInterval(runs: readonly MethodResult[], suites: readonly SuiteName[]) {
  const series = suites.map((s) => runs.map((r) => units(r, s)));
  if (series.some((groups) => groups.some((u) => u === null))) return null;
  return hierarchicalBootstrap(series as number[][][], { seed: TABLE_BOOTSTRAP_SEED });
}

/** a − b paired by seed, and by unit where both evaluated the same units. */
function contrast(
  c: Contrast,
  results: readonly MethodResult[],
  suites: readonly SuiteName[],
): ContrastResult {
  const of = (m: string) => new Map(results.filter((r) => r.method === m).map((r) => [r.seed, r]));
  const [a, b] = [of(c.a), of(c.b)];
  const seeds = [...a.keys()].filter((s) => b.has(s)).sort((x, y) => x - y);
  if (seeds.length === 0) return { ...c, effect: null, seeds };
  if (c.over === 'repeatRate') {
    const diffs = seeds.map((s) => [
      a.get(s)!.forecasts.repeatRate - b.get(s)!.forecasts.repeatRate,
    ]);
    return {
      ...c,
      effect: hierarchicalBootstrap([diffs], { seed: TABLE_BOOTSTRAP_SEED }),
      seeds,
    };
  }
  const over = c.over === 'all' ? suites : c.over;
  const series: number[][][] = [];
  for (const suite of over) {
    const groups: number[][] = [];
    for (const s of seeds) {
      const [ua, ub] = [units(a.get(s)!, suite), units(b.get(s)!, suite)];
      if (!ua || !ub) return { ...c, effect: null, seeds };
      // The same instances in the same order (the suites' evaluation sets are fixed).
      groups.push(
        ua.length === ub.length
          ? ua.map((x, i) => x - ub[i])
          : [ua.reduce((p, x) => p + x, 0) / ua.length - ub.reduce((p, x) => p + x, 0) / ub.length],
      );
    }
    series.push(groups);
  }
  return { ...c, effect: hierarchicalBootstrap(series, { seed: TABLE_BOOTSTRAP_SEED }), seeds };
}

export function buildTable(results: readonly MethodResult[], suites: readonly SuiteName[]): Table {
  const rows: TableRow[] = [];
  for (const m of METHODS) {
    const runs = results.filter((r) => r.method === m.id).sort((a, b) => a.seed - b.seed);
    if (runs.length === 0) continue;
    const table: TableRow['suites'] = {};
    for (const suite of suites) {
      const keys = new Set(runs.flatMap((r) => Object.keys(r.suites[suite] ?? {})));
      table[suite] = {};
      for (const k of keys) table[suite][k] = stat(runs.map((r) => r.suites[suite]?.[k] ?? 0));
    }
    const perSeedAverage = runs.map(
      (r) => suites.reduce((a, s) => a + (r.suites[s]?.[HEADLINE[s].key] ?? 0), 0) / suites.length,
    );
    const ci: Record<string, Interval> = {};
    for (const suite of suites) {
      const i = suitesInterval(runs, [suite]);
      if (i) ci[suite] = i;
    }
    rows.push({
      ci,
      averageCI: suitesInterval(runs, suites),
      method: m.id,
      label: m.label,
      kind: m.kind,
      horizon: runs[0].horizon,
      seeds: runs.map((r) => r.seed),
      suites: table,
      average: stat(perSeedAverage),
      repeatRate: stat(runs.map((r) => r.forecasts.repeatRate)),
      groundedSuccess: stat(runs.map((r) => r.forecasts.groundedSuccess)),
      format: stat(runs.map((r) => r.forecasts.format)),
      paper: PAPER_CLAIMS[m.id],
    });
  }
  const contrasts = CONTRASTS.map((c) => contrast(c, results, suites));
  return { suites: [...suites], rows, contrasts, training: trainingRows(results) };
}

/** Mean of one run's per-update series (stat's mean; NaN when empty). */
const mean = (xs: readonly number[]) => stat(xs).mean;
const finite = (xs: readonly number[]) => xs.filter(Number.isFinite);

function trainingRows(results: readonly MethodResult[]): TrainingRow[] {
  const rows: TrainingRow[] = [];
  for (const m of METHODS)
    for (const stage of ['stage1', 'stage2']) {
      const curves = results
        .filter((r) => r.method === m.id)
        .map((r) => r.curves?.[stage])
        .filter((c): c is StageCurve => c !== undefined && c.update.length > 0);
      if (curves.length === 0) continue;
      rows.push({
        method: m.id,
        label: m.label,
        stage,
        seeds: curves.length,
        rewardStart: stat(curves.map((c) => mean(c.reward.slice(0, TRAINING_WINDOW)))),
        rewardEnd: stat(curves.map((c) => mean(c.reward.slice(-TRAINING_WINDOW)))),
        klEnd: stat(curves.map((c) => c.kl[c.kl.length - 1])),
        clipFraction: stat(curves.map((c) => mean(c.clipFraction))),
        clipFractionMax: Math.max(...curves.flatMap((c) => c.clipFraction)),
        ratioDeviation: stat(curves.map((c) => mean(finite(c.ratioDeviation)))),
      });
    }
  return rows;
}

const pct = (s: Stat | undefined) =>
  !s || !Number.isFinite(s.mean)
    ? '—'
    : `${(100 * s.mean).toFixed(1)} ± ${(100 * s.std).toFixed(1)}`;

/** "41.2 [35.0, 47.0]": percent, mean and 95 % interval. */
const pctCI = (i: Interval | null | undefined) =>
  !i || !Number.isFinite(i.mean)
    ? '—'
    : `${(100 * i.mean).toFixed(1)} [${(100 * i.lo).toFixed(1)}, ${(100 * i.hi).toFixed(1)}]`;

/** Points (percent), signed: "+3.1 [−0.4, +6.5]". */
const signed = (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(100 * x).toFixed(1)}`;
const effectText = (i: Interval | null) =>
  !i ? '—' : `${signed(i.mean)} [${signed(i.lo)}, ${signed(i.hi)}]`;

/** What the interval says: a sign when it excludes 0, else undecided. */
export function verdict(i: Interval | null): 'positive' | 'negative' | 'undecided' | 'not run' {
  if (!i) return 'not run';
  return i.lo > 0 ? 'positive' : i.hi < 0 ? 'negative' : 'undecided';
}

function contrastSection(t: Table): string[] {
  if (!t.contrasts.some((c) => c.effect)) return [];
  const lines = [
    '### Contrasts (paired by seed and evaluation unit; points, 95 % bootstrap interval)',
    '',
    '| comparison | effect | seeds | verdict | paper |',
    '|---|---|---|---|---|',
  ];
  for (const c of t.contrasts)
    lines.push(
      `| ${c.label} | ${effectText(c.effect)} | ${c.seeds.length} | ${verdict(c.effect)} | ${c.paper} |`,
    );
  return [...lines, ''];
}

function section(t: Table, kind: 'method' | 'ablation', title: string): string[] {
  const rows = t.rows.filter(
    (r) => r.kind === kind || (kind === 'ablation' && r.method === 'stage1'),
  );
  if (rows.length === 0) return [];
  const head = t.suites.map((s) => `${s} (${HEADLINE[s].label})`);
  const lines = [
    `### ${title}`,
    '',
    `| method | H | ${head.join(' | ')} | average | grounded first step | repeat rate | paper (its claim) |`,
    `|---|---|${t.suites.map(() => '---|').join('')}---|---|---|---|`,
  ];
  for (const r of rows) {
    const cells = t.suites.map((s) => pctCI(r.ci[s]));
    lines.push(
      `| ${r.label} | ${r.horizon} | ${cells.join(' | ')} | ${pctCI(r.averageCI)} | ${pct(r.groundedSuccess)} | ${pct(r.repeatRate)} | ${r.paper ?? ''} |`,
    );
  }
  return [...lines, ''];
}

/** A number in fixed notation with its std: "0.812 ± 0.004". */
const num = (s: Stat, digits: number) =>
  !Number.isFinite(s.mean) ? '—' : `${s.mean.toFixed(digits)} ± ${s.std.toFixed(digits)}`;
const sci = (x: number) => (x === 0 ? '0' : x.toExponential(1));

function trainingSection(t: Table): string[] {
  if (t.training.length === 0) return [];
  const lines = [
    `### Training (per stage; mean ± sample std over seeds; reward over the first and last ${TRAINING_WINDOW} updates)`,
    '',
    '| method | stage | seeds | training reward, start → end | KL at the end | clip fraction (mean; largest update) | mean \\|ratio − 1\\| |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const r of t.training)
    lines.push(
      `| ${r.label} | ${r.stage.replace('stage', '')} | ${r.seeds} | ${num(r.rewardStart, 3)} → ${num(r.rewardEnd, 3)} | ${num(r.klEnd, 4)} | ${sci(r.clipFraction.mean)}; ${sci(r.clipFractionMax)} | ${sci(r.ratioDeviation.mean)} |`,
    );
  return [...lines, ''];
}

export interface TableMeta {
  command: string;
  date: string;
  machine: string;
  preset: string;
  seeds: number;
  /** Wall clock of the run that trained the jobs; 0 when not measured. */
  minutes: number;
  /** The `--table` command that rewrote the table from a timed run's jobs, if one did. */
  gathered?: string;
}

export function tableMarkdown(t: Table, meta: TableMeta): string {
  const seeds = t.rows[0]?.seeds.length ?? 0;
  return [
    `## Ablation table (${meta.preset} preset)`,
    '',
    `Command: \`${meta.command}\` · date ${meta.date} · ${meta.machine} · ${meta.minutes > 0 ? `${meta.minutes.toFixed(1)} min wall clock` : 'wall clock not measured (gathered from finished jobs)'}`,
    ...(meta.gathered ? ['', `Table rewritten from the same jobs by \`${meta.gathered}\`.`] : []),
    '',
    `Percent. Suites and average: mean over ${seeds} seed${seeds === 1 ? '' : 's'} [95 % bootstrap interval: seeds resampled, then the evaluation's episodes, steps or tasks within each seed; ${DEFAULT_RESAMPLES} resamples, seed ${TABLE_BOOTSTRAP_SEED}]. Grounded first step and repeat rate: mean ± sample std over seeds. Suites' headline metrics: online success rate (SR), offline step success (step SR), tool answer accuracy. "grounded first step": greedy forecasts on held-out prompts of the GUI training suites whose first step, executed through the frozen grounder, is a step success (stage 2's reward). "repeat rate": share of forecast steps identical to the step before. The paper column gives the paper's claim in words; we do not quote numbers we cannot verify.`,
    '',
    ...section(t, 'method', 'Methods'),
    ...section(t, 'ablation', 'Ablations (stage 1 from stage 0; compare with "Stage 1 only")'),
    ...contrastSection(t),
    ...trainingSection(t),
  ].join('\n');
}
