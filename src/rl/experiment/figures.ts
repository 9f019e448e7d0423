// The experiment's figures as SVG text, from the per-job results (pure: no DOM, no files):
// learning curves of each stage (training reward, repeat rate of the sampled forecasts, clip
// fraction, held-out reward along the way), mean over seeds per method, and the final suite
// results per method with their 95 % intervals. The CLI writes them to <out>/figures/.
import type { SuiteName } from '../../envs/suites';
import { METHODS } from './plan';
import type { MethodResult, StageCurve } from './run-job';
import { HEADLINE, type Table } from './table';

export interface Series {
  label: string;
  xs: number[];
  ys: number[];
}

export interface LineChart {
  title: string;
  xLabel: string;
  yLabel: string;
  series: Series[];
}

const W = 720;
const H = 400;
const PAD = { left: 60, right: 190, top: 36, bottom: 46 };
/** Colour-blind-safe palette (Okabe–Ito), then greys. */
const COLOURS = [
  '#0072B2',
  '#D55E00',
  '#009E73',
  '#CC79A7',
  '#E69F00',
  '#56B4E9',
  '#F0E442',
  '#000000',
  '#666666',
  '#999999',
  '#333333',
  '#BBBBBB',
];

const esc = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const num = (x: number) => (Math.round(x * 100) / 100).toString();

/** Round tick values covering [lo, hi]. */
function ticks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step)
    out.push(Number(v.toPrecision(12)));
  return out;
}

function frame(title: string, xLabel: string, yLabel: string, body: string[]): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    `<title>${esc(title)}</title>`,
    `<rect width="${W}" height="${H}" fill="#fff"/>`,
    `<text x="${W / 2}" y="20" text-anchor="middle" font-size="14">${esc(title)}</text>`,
    `<text x="${PAD.left + (W - PAD.left - PAD.right) / 2}" y="${H - 8}" text-anchor="middle">${esc(xLabel)}</text>`,
    `<text transform="translate(14 ${PAD.top + (H - PAD.top - PAD.bottom) / 2}) rotate(-90)" text-anchor="middle">${esc(yLabel)}</text>`,
    ...body,
    '</svg>',
  ].join('\n');
}

/** Axes, grid and the plot-area scale for x in [x0, x1] and y in [y0, y1]. */
function axes(x0: number, x1: number, y0: number, y1: number, xTicks = true) {
  const [pw, ph] = [W - PAD.left - PAD.right, H - PAD.top - PAD.bottom];
  const sx = (x: number) => PAD.left + (x1 > x0 ? ((x - x0) / (x1 - x0)) * pw : pw / 2);
  const sy = (y: number) => PAD.top + ph - (y1 > y0 ? ((y - y0) / (y1 - y0)) * ph : ph / 2);
  const out: string[] = [];
  for (const t of ticks(y0, y1)) {
    out.push(
      `<line x1="${PAD.left}" x2="${PAD.left + pw}" y1="${num(sy(t))}" y2="${num(sy(t))}" stroke="#eee"/>`,
      `<text x="${PAD.left - 6}" y="${num(sy(t) + 4)}" text-anchor="end">${t}</text>`,
    );
  }
  if (xTicks)
    for (const t of ticks(x0, x1))
      out.push(`<text x="${num(sx(t))}" y="${PAD.top + ph + 16}" text-anchor="middle">${t}</text>`);
  out.push(
    `<rect x="${PAD.left}" y="${PAD.top}" width="${pw}" height="${ph}" fill="none" stroke="#444"/>`,
  );
  return { sx, sy, out };
}

function legend(labels: string[]): string[] {
  return labels.flatMap((label, i) => {
    const y = PAD.top + 8 + i * 18;
    const x = W - PAD.right + 12;
    return [
      `<rect x="${x}" y="${y - 8}" width="14" height="4" fill="${COLOURS[i % COLOURS.length]}"/>`,
      `<text x="${x + 20}" y="${y - 2}">${esc(label)}</text>`,
    ];
  });
}

/** A line chart; NaN points break a line. An empty chart says so. */
export function lineChartSvg(c: LineChart): string {
  const finite = c.series.flatMap((s) => s.ys.filter(Number.isFinite));
  const xs = c.series.flatMap((s) => s.xs);
  if (finite.length === 0)
    return frame(c.title, c.xLabel, c.yLabel, [
      `<text x="${W / 2}" y="${H / 2}" text-anchor="middle" fill="#666">no data</text>`,
    ]);
  const y0 = Math.min(0, ...finite);
  const top = Math.max(...finite);
  const y1 = top === y0 ? y0 + 1 : top;
  const { sx, sy, out } = axes(Math.min(...xs), Math.max(...xs), y0, y1);
  c.series.forEach((s, i) => {
    let d = '';
    let pen = 'M';
    s.xs.forEach((x, k) => {
      const y = s.ys[k];
      if (!Number.isFinite(y)) {
        pen = 'M';
        return;
      }
      d += `${pen}${num(sx(x))} ${num(sy(y))} `;
      pen = 'L';
    });
    out.push(
      `<path d="${d.trim()}" fill="none" stroke="${COLOURS[i % COLOURS.length]}" stroke-width="1.6" data-series="${esc(s.label)}"/>`,
    );
  });
  return frame(c.title, c.xLabel, c.yLabel, [...out, ...legend(c.series.map((s) => s.label))]);
}

/** Mean over runs per update index (runs of one method share their updates), then a running mean. */
export function meanCurve(
  curves: readonly StageCurve[],
  key: keyof StageCurve,
  smooth = 1,
): Series {
  const n = Math.min(...curves.map((c) => c.update.length));
  const xs = curves[0].update.slice(0, n);
  const raw = xs.map((_, k) => {
    const vs = curves.map((c) => (c[key] as number[])[k]).filter(Number.isFinite);
    return vs.length ? vs.reduce((a, b) => a + b, 0) / vs.length : NaN;
  });
  const ys = raw.map((_, k) => {
    const window = raw.slice(Math.max(0, k - smooth + 1), k + 1).filter(Number.isFinite);
    return window.length ? window.reduce((a, b) => a + b, 0) / window.length : NaN;
  });
  return { label: '', xs, ys };
}

/** Curves of `stage` for every method that trained it, one series per method. */
function stageSeries(
  results: readonly MethodResult[],
  stage: string,
  pick: (curves: StageCurve[], label: string) => Series | null,
): Series[] {
  const out: Series[] = [];
  for (const m of METHODS) {
    const curves = results
      .filter((r) => r.method === m.id)
      .map((r) => r.curves?.[stage])
      .filter((c): c is StageCurve => Boolean(c?.update.length));
    if (curves.length === 0) continue;
    const s = pick(curves, `${m.id} (${curves.length} seed${curves.length === 1 ? '' : 's'})`);
    if (s) out.push(s);
  }
  return out;
}

/** Held-out reward of the trainer's evaluations along the way (greedy forecasts). */
function heldOutSeries(curves: StageCurve[], label: string): Series | null {
  const points = new Map<number, number[]>();
  for (const c of curves)
    for (const e of c.evaluations) {
      const v = e.metrics['held-out']?.reward;
      if (v !== undefined && Number.isFinite(v))
        points.set(e.update, [...(points.get(e.update) ?? []), v]);
    }
  if (points.size === 0) return null;
  const xs = [...points.keys()].sort((a, b) => a - b);
  const ys = xs.map((x) => points.get(x)!.reduce((a, b) => a + b, 0) / points.get(x)!.length);
  return { label, xs, ys };
}

/** Final suite results: one group per suite, a bar per method with its 95 % interval. */
export function suitesChartSvg(t: Table): string {
  const rows = t.rows.filter((r) => r.kind === 'method');
  const suites = t.suites;
  if (rows.length === 0 || suites.length === 0)
    return lineChartSvg({ title: 'Suites', xLabel: '', yLabel: '', series: [] });
  const top = Math.max(0.05, ...rows.flatMap((r) => suites.map((s) => r.ci[s]?.hi ?? 0)));
  const { sy, out } = axes(0, 1, 0, top, false);
  const pw = W - PAD.left - PAD.right;
  const group = pw / suites.length;
  const bar = (group * 0.8) / rows.length;
  suites.forEach((suite: SuiteName, g) => {
    out.push(
      `<text x="${num(PAD.left + group * (g + 0.5))}" y="${H - PAD.bottom + 16}" text-anchor="middle" font-size="10">${esc(`${suite} (${HEADLINE[suite].label})`)}</text>`,
    );
    rows.forEach((r, i) => {
      const ci = r.ci[suite];
      if (!ci) return;
      const x = PAD.left + group * g + group * 0.1 + bar * i;
      const colour = COLOURS[i % COLOURS.length];
      out.push(
        `<rect x="${num(x)}" y="${num(sy(ci.mean))}" width="${num(bar * 0.9)}" height="${num(sy(0) - sy(ci.mean))}" fill="${colour}" data-series="${esc(r.method)}"/>`,
        `<line x1="${num(x + bar * 0.45)}" x2="${num(x + bar * 0.45)}" y1="${num(sy(ci.lo))}" y2="${num(sy(ci.hi))}" stroke="#000"/>`,
      );
    });
  });
  return frame(
    'Suite results (mean over seeds, 95 % bootstrap interval)',
    'suite (headline metric)',
    'success / accuracy',
    [...out, ...legend(rows.map((r) => r.method))],
  );
}

/** Every figure of an experiment: file name → SVG text. */
export function experimentFigures(
  results: readonly MethodResult[],
  t: Table,
): Record<string, string> {
  const figures: Record<string, string> = {};
  for (const stage of ['stage1', 'stage2']) {
    const n = stage === 'stage1' ? 'Stage 1' : 'Stage 2';
    const curve =
      (key: keyof StageCurve, smooth: number) => (curves: StageCurve[], label: string) => ({
        ...meanCurve(curves, key, smooth),
        label,
      });
    const series = (key: keyof StageCurve, smooth: number) =>
      stageSeries(results, stage, curve(key, smooth));
    if (series('reward', 1).length === 0) continue;
    figures[`${stage}-reward.svg`] = lineChartSvg({
      title: `${n}: training reward (mean over seeds, running mean of 10)`,
      xLabel: 'update',
      yLabel: 'mean reward of the sampled forecasts',
      series: series('reward', 10),
    });
    figures[`${stage}-repeat-rate.svg`] = lineChartSvg({
      title: `${n}: repeat rate of the sampled forecasts (running mean of 10)`,
      xLabel: 'update',
      yLabel: 'steps identical to the step before',
      series: series('repeatRate', 10),
    });
    figures[`${stage}-clip.svg`] = lineChartSvg({
      title: `${n}: clip fraction and mean |ratio − 1| (mean over seeds)`,
      xLabel: 'update',
      yLabel: 'fraction of tokens / mean |ρ − 1|',
      series: [
        ...series('clipFraction', 1).map((s) => ({ ...s, label: `clip ${s.label}` })),
        ...series('ratioDeviation', 1).map((s) => ({ ...s, label: `|ρ−1| ${s.label}` })),
      ],
    });
    figures[`${stage}-held-out.svg`] = lineChartSvg({
      title: `${n}: held-out reward of greedy forecasts (run.evalEvery)`,
      xLabel: 'update',
      yLabel: 'held-out reward',
      series: stageSeries(results, stage, heldOutSeries),
    });
  }
  figures['suites.svg'] = suitesChartSvg(t);
  return figures;
}
