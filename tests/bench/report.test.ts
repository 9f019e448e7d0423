// The bench's numbers go into an issue and a results file, so the arithmetic and the table
// must be right: target checks, n/a handling, cell layout, and the repetition policy.
import { describe, expect, it } from 'vitest';
import { formatMarkdown, targetCheck } from '../../src/bench/report';
import { median, matmulGflops, repeat } from '../../src/bench/timing';
import type { BenchReport, MatmulRow, MlpRow } from '../../src/bench/types';

const timing = (ms: number, runs = 3) => ({ medianMs: ms, samplesMs: Array(runs).fill(ms) });

function mm(
  impl: MatmulRow['impl'],
  label: string,
  n: number,
  ms: number | null,
  error?: string,
): MatmulRow {
  return {
    impl,
    label,
    n,
    timing: ms === null ? null : timing(ms),
    gflops: ms === null ? null : matmulGflops(n, ms),
    ...(error ? { error } : {}),
  };
}

function mlp(impl: MlpRow['impl'], ms: number | null, error?: string): MlpRow {
  return {
    impl,
    label: impl === 'ours' ? 'Mlp step' : 'minimize',
    step: ms === null ? null : timing(ms),
    pipelinedMsPerStep: ms === null ? null : ms * 0.9,
    finalLoss: ms === null ? null : 4.1,
    ...(error ? { error } : {}),
  };
}

const matmulRows: MatmulRow[] = [
  mm('ours', 'regtile-8x8', 128, 2),
  mm('ours', 'regtile-8x8', 512, 200),
  mm('ours', 'autotuned (regtile-8x8)', 128, 2.5),
  mm('ours', 'autotuned (regtile-8x8)', 512, 250),
  mm('tfjs', 'tf.matMul', 128, 10),
  mm('tfjs', 'tf.matMul', 512, 1000),
  mm('ort', 'MatMul node', 128, null, 'no webgpu EP'),
  mm('ort', 'MatMul node', 512, 700, 'out[0,0] = 0, expected 5'),
];

describe('targetCheck', () => {
  it('is the TF.js time over ours, met at 3× or more', () => {
    expect(targetCheck('matmul', 5, 250, 1000)).toMatchObject({
      speedup: 4,
      met: true,
      factor: 3,
      pairs: 5,
    });
    expect(targetCheck('exact', 5, 100, 300).met).toBe(true);
    const short = targetCheck('MLP', 5, 300, 800);
    expect(short.speedup).toBeCloseTo(800 / 300);
    expect(short.met).toBe(false);
  });

  it('is not met, with no speedup, when a side is missing', () => {
    expect(targetCheck('matmul', 5, null, 1000)).toMatchObject({ speedup: null, met: false });
    expect(targetCheck('MLP', 5, 100, null)).toMatchObject({ speedup: null, met: false });
  });
});

describe('formatMarkdown', () => {
  const report: BenchReport = {
    startedAt: '2026-01-01T00:00:00.000Z',
    userAgent: 'HeadlessChrome',
    adapter: {
      vendor: 'google',
      architecture: 'swiftshader',
      device: '',
      description: 'SwiftShader',
      isFallbackAdapter: true,
      features: [],
    },
    autotune: { variant: 'regtile-8x8', source: 'autotune', gflops: { 'regtile-8x8': 1.5 } },
    sizes: [128, 512],
    matmul: matmulRows,
    mlp: {
      sizes: [256, 512, 512, 64],
      B: 256,
      rows: [{ ...mlp('ours', 300), phasesMs: { forward: 100, backward: 180 } }, mlp('tfjs', 800)],
    },
    targets: [
      targetCheck('matmul 512³ (autotuned)', 5, 250, 1000),
      targetCheck('MLP training step', 5, 300, 800),
    ],
    notes: ['timed with onSubmittedWorkDone'],
    totalSeconds: 42,
  };
  const md = formatMarkdown(report);
  const line = (prefix: string) => md.split('\n').find((l) => l.startsWith(prefix));

  it('puts one row per implementation and a GFLOP/s cell per size, in size order', () => {
    expect(line('| implementation | 128 | 512 |')).toBeDefined();
    // 2·512³ / 200 ms = 1.34 GFLOP/s; 2·128³ / 2 ms = 2.10 GFLOP/s.
    expect(line('| ours: regtile-8x8 |')).toBe(
      '| ours: regtile-8x8 | 2.10 (2.00 ms ×3) | 1.34 (200 ms ×3) |',
    );
    expect(line('| TF.js webgpu: tf.matMul |')).toBe(
      '| TF.js webgpu: tf.matMul | 0.42 (10 ms ×3) | 0.27 (1000 ms ×3) |',
    );
  });

  it('shows failed or wrong rows as n/a and lists why', () => {
    expect(line('| onnxruntime-web webgpu: MatMul node |')).toBe(
      '| onnxruntime-web webgpu: MatMul node | n/a | n/a |',
    );
    expect(md).toContain('- onnxruntime-web webgpu MatMul node @128: no webgpu EP');
    expect(md).toContain('- onnxruntime-web webgpu MatMul node @512: out[0,0] = 0, expected 5');
  });

  it('reports the targets with speedups and whether each is met, and the adapter', () => {
    expect(line('| matmul 512³ (autotuned) |')).toBe(
      '| matmul 512³ (autotuned) | 250.0 ms | 1000.0 ms | 4.00× | yes |',
    );
    expect(line('| MLP training step |')).toBe(
      '| MLP training step | 300.0 ms | 800.0 ms | 2.67× | NO |',
    );
    expect(md).toContain('Adapter: google swiftshader (SwiftShader), fallback/software');
    expect(md).toContain('Autotune chose **regtile-8x8**');
  });

  it('gives the MLP rows with waited and pipelined times and where our step goes', () => {
    expect(line('| ours: Mlp step |')).toBe('| ours: Mlp step | 300.0 ms | 270.0 ms | 4.1000 |');
    expect(md).toContain(
      'Step phases, ours (each waited for alone): forward 100.0 ms, backward 180.0 ms',
    );
  });
});

describe('timing', () => {
  it('takes the median of odd and even sample counts', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(() => median([])).toThrow();
  });

  it('warms up untimed, then times at least minReps and stops at the budget', async () => {
    let calls = 0;
    const t = await repeat(
      async () => {
        calls++;
        await new Promise((r) => setTimeout(r, 5));
      },
      { warmup: 2, minReps: 3, maxReps: 50, budgetMs: 40, hardBudgetMs: 1000 },
    );
    expect(t.samplesMs.length).toBeGreaterThanOrEqual(3);
    expect(t.samplesMs.length).toBeLessThan(15);
    expect(calls).toBe(t.samplesMs.length + 2);
  });

  it('times a single run of a slow unit past the hard budget instead of minReps', async () => {
    const t = await repeat(() => new Promise((r) => setTimeout(r, 30)), {
      warmup: 0,
      minReps: 3,
      maxReps: 10,
      budgetMs: 10,
      hardBudgetMs: 20,
    });
    expect(t.samplesMs.length).toBe(1);
  });
});
