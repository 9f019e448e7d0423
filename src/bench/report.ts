// Turning a BenchReport into what people read: the issue's target checks and a markdown
// summary (printed by the runner, shown on the bench page, written next to the JSON).

import type { BenchReport, MatmulRow, TargetCheck } from './types';

/** The issue's bar: ours at least this many times faster than TF.js WebGPU. */
export const TARGET_FACTOR = 3;
export const TARGET_MATMUL_N = 512;

const IMPL_NAMES = { ours: 'ours', tfjs: 'TF.js webgpu', ort: 'onnxruntime-web webgpu' } as const;

/** The check of ours against TF.js: speedup = tfjsMs / oursMs; n/a (and not met) if either is missing. */
export function targetCheck(
  what: string,
  pairs: number,
  oursMs: number | null,
  tfjsMs: number | null,
): TargetCheck {
  const speedup = oursMs !== null && tfjsMs !== null ? tfjsMs / oursMs : null;
  return {
    what,
    pairs,
    oursMs,
    tfjsMs,
    speedup,
    factor: TARGET_FACTOR,
    met: speedup !== null && speedup >= TARGET_FACTOR,
  };
}

const fixed = (x: number, digits: number): string => x.toFixed(digits);

function matmulCell(row: MatmulRow | undefined): string {
  if (!row) return '';
  if (row.error || !row.timing || row.gflops === null) return 'n/a';
  const ms = row.timing.medianMs;
  return `${fixed(row.gflops, 2)} (${fixed(ms, ms < 10 ? 2 : 0)} ms ×${row.timing.samplesMs.length})`;
}

function msCell(ms: number | null | undefined): string {
  return ms === null || ms === undefined ? 'n/a' : `${fixed(ms, 1)} ms`;
}

/** The whole report as markdown: adapter, matmul table, MLP table, targets, errors, notes. */
export function formatMarkdown(r: BenchReport): string {
  const out: string[] = [];
  const a = r.adapter;
  const adapter = [a.vendor, a.architecture].filter(Boolean).join(' ') || 'unknown adapter';
  out.push(`# TraceLab kernel bench — ${r.startedAt}`, '');
  out.push(
    `Adapter: ${adapter}${a.description ? ` (${a.description})` : ''}` +
      `${a.isFallbackAdapter ? ', fallback/software' : ''}; ${r.userAgent}`,
  );
  if (r.autotune) {
    const cands = Object.entries(r.autotune.gflops)
      .map(([k, v]) => `${k} ${fixed(v, 2)}`)
      .join(', ');
    out.push(
      `Autotune chose **${r.autotune.variant}** (${r.autotune.source}; GFLOP/s: ${cands || 'n/a'})`,
    );
  }
  out.push('');

  out.push('## Matmul, square f32: GFLOP/s (median ms × timed runs)', '');
  out.push(`| implementation | ${r.sizes.join(' | ')} |`);
  out.push(`|---|${r.sizes.map(() => '---:').join('|')}|`);
  const keys: string[] = [];
  for (const row of r.matmul) {
    const key = `${row.impl}\u0000${row.label}`;
    if (!keys.includes(key)) keys.push(key);
  }
  for (const key of keys) {
    const [impl, label] = key.split('\u0000') as [MatmulRow['impl'], string];
    const cells = r.sizes.map((n) =>
      matmulCell(r.matmul.find((x) => x.impl === impl && x.label === label && x.n === n)),
    );
    out.push(`| ${IMPL_NAMES[impl]}: ${label} | ${cells.join(' | ')} |`);
  }
  out.push('');

  const { sizes, B } = r.mlp;
  out.push(`## MLP training step ${sizes.join('→')}, batch ${B}`, '');
  out.push('| implementation | ms/step (waited, median) | ms/step (pipelined) | loss after |');
  out.push('|---|---:|---:|---:|');
  for (const row of r.mlp.rows) {
    const loss = row.finalLoss === null ? 'n/a' : fixed(row.finalLoss, 4);
    out.push(
      `| ${IMPL_NAMES[row.impl]}: ${row.label} | ${msCell(row.error ? null : row.step?.medianMs)} | ` +
        `${msCell(row.error ? null : row.pipelinedMsPerStep)} | ${loss} |`,
    );
  }
  for (const row of r.mlp.rows.filter((x) => x.phasesMs)) {
    const parts = Object.entries(row.phasesMs!).map(([k, v]) => `${k} ${fixed(v, 1)} ms`);
    out.push(
      '',
      `Step phases, ${IMPL_NAMES[row.impl]} (each waited for alone): ${parts.join(', ')}`,
    );
  }
  out.push('');

  out.push(`## Target: ours ≥ ${TARGET_FACTOR}× faster than TF.js webgpu (timed alternately)`, '');
  if (r.targets.length === 0) out.push('Not checked: needs both ours and TF.js in the run.');
  else {
    out.push('| check | ours | TF.js | speedup | met |');
    out.push('|---|---:|---:|---:|:---:|');
  }
  for (const t of r.targets) {
    const speedup = t.speedup === null ? 'n/a' : `${fixed(t.speedup, 2)}×`;
    out.push(
      `| ${t.what} | ${msCell(t.oursMs)} | ${msCell(t.tfjsMs)} | ${speedup} | ${t.met ? 'yes' : 'NO'} |`,
    );
  }
  out.push('');

  const failures = [
    ...r.matmul
      .filter((x) => x.error)
      .map((x) => `${IMPL_NAMES[x.impl]} ${x.label} @${x.n}: ${x.error}`),
    ...r.mlp.rows.filter((x) => x.error).map((x) => `${IMPL_NAMES[x.impl]} MLP: ${x.error}`),
  ];
  if (failures.length) out.push('## n/a rows', '', ...failures.map((f) => `- ${f}`), '');
  if (r.notes.length) out.push('## How it was timed', '', ...r.notes.map((n) => `- ${n}`), '');
  out.push(`Total page time: ${fixed(r.totalSeconds, 1)} s`);
  return out.join('\n') + '\n';
}
