// The ablation table: suites × methods, mean ± std over seeds, from the per-seed results of
// every job, as markdown (table.md) and data (table.json). The paper's findings stand beside
// the rows as the paper's claims; no paper number is given where we do not know it exactly.
import type { SuiteName } from '../../envs/suites';
import { METHODS } from './plan';
import type { MethodResult } from './run-job';

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
  repeatRate: Stat;
  groundedSuccess: Stat;
  format: Stat;
  paper?: string;
}

export interface Table {
  suites: SuiteName[];
  rows: TableRow[];
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
    rows.push({
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
  return { suites: [...suites], rows };
}

const pct = (s: Stat | undefined) =>
  !s || !Number.isFinite(s.mean)
    ? '—'
    : `${(100 * s.mean).toFixed(1)} ± ${(100 * s.std).toFixed(1)}`;

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
    const cells = t.suites.map((s) => pct(r.suites[s]?.[HEADLINE[s].key]));
    lines.push(
      `| ${r.label} | ${r.horizon} | ${cells.join(' | ')} | ${pct(r.average)} | ${pct(r.groundedSuccess)} | ${pct(r.repeatRate)} | ${r.paper ?? ''} |`,
    );
  }
  return [...lines, ''];
}

export interface TableMeta {
  command: string;
  date: string;
  machine: string;
  preset: string;
  seeds: number;
  minutes: number;
}

export function tableMarkdown(t: Table, meta: TableMeta): string {
  const seeds = t.rows[0]?.seeds.length ?? 0;
  return [
    `## Ablation table (${meta.preset} preset)`,
    '',
    `Command: \`${meta.command}\` · date ${meta.date} · ${meta.machine} · ${meta.minutes.toFixed(1)} min wall clock`,
    '',
    `Percent, mean ± sample std over ${seeds} seed${seeds === 1 ? '' : 's'}. Suites' headline metrics: online success rate (SR), offline step success (step SR), tool answer accuracy. "grounded first step": greedy forecasts on held-out prompts of the GUI training suites whose first step, executed through the frozen grounder, is a step success (stage 2's reward). "repeat rate": share of forecast steps identical to the step before. The paper column gives the paper's claim in words; we do not quote numbers we cannot verify.`,
    '',
    ...section(t, 'method', 'Methods'),
    ...section(t, 'ablation', 'Ablations (stage 1 from stage 0; compare with "Stage 1 only")'),
  ].join('\n');
}
