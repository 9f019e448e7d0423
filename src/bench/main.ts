// Bench page entry: runs every measurement in this page, in order — ours, then TF.js, then
// onnxruntime-web — so the three never compete for the (software) GPU. Progress goes to the
// console and the page; the finished report goes to the Node runner through the function it
// exposes (window.tracelabBenchDone), and is shown as markdown for a person at the page.

import { OrtBench } from './ort';
import { OurBench } from './ours';
import { MATMUL_SIZES, MLP_BATCH, MLP_SIZES, matmulProblem, PIPELINED_STEPS } from './problems';
import { formatMarkdown, TARGET_MATMUL_N, targetCheck } from './report';
import { TfjsBench } from './tfjs';
import type { AdapterReport, BenchReport, Impl, MatmulRow, MlpRow, TargetCheck } from './types';
import { interleave, measureMatmul, measureMlp, type Workload } from './workload';

/** Timed runs of each side in the head-to-head target checks. */
const HEAD_TO_HEAD_PAIRS = 5;
/** A forced variant whose run would take longer than this (from the size before) is skipped. */
const SKIP_ESTIMATE_MS = 5000;

declare global {
  interface Window {
    /** Set by the Node runner (page.exposeFunction); absent when a person opens the page. */
    tracelabBenchDone?: (json: string) => Promise<void>;
    tracelabBenchFailed?: (message: string) => Promise<void>;
    tracelabBenchLog?: (line: string) => Promise<void>;
  }
}

const logEl = document.querySelector<HTMLPreElement>('#log')!;

function log(line: string): void {
  logEl.textContent += line + '\n';
  void window.tracelabBenchLog?.(line);
}

function describeMlp(row: MlpRow): string {
  if (!row.step) return `n/a: ${row.error}`;
  const pipelined = row.pipelinedMsPerStep?.toFixed(1) ?? 'n/a';
  const phases = row.phasesMs ? `; phases ${JSON.stringify(row.phasesMs)}` : '';
  return `${row.step.medianMs.toFixed(1)} ms/step median of ${row.step.samplesMs.length}, ${pipelined} ms/step pipelined, loss ${row.finalLoss}${phases}`;
}

/** The adapter a plain requestAdapter() gives this page (what all three libraries get). */
async function describeAdapter(): Promise<AdapterReport> {
  const adapter = await navigator.gpu?.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) throw new Error('no WebGPU adapter in this browser');
  const info = adapter.info;
  const legacy = (adapter as { isFallbackAdapter?: boolean }).isFallbackAdapter;
  return {
    vendor: info.vendor,
    architecture: info.architecture,
    device: info.device,
    description: info.description,
    isFallbackAdapter: Boolean(
      (info as { isFallbackAdapter?: boolean }).isFallbackAdapter ?? legacy,
    ),
    features: [...adapter.features].sort(),
  };
}

function describeRow(row: MatmulRow): string {
  if (!row.timing) return `n/a: ${row.error}`;
  const t = `${row.gflops!.toFixed(2)} GFLOP/s, ${row.timing.medianMs.toFixed(1)} ms median of ${row.timing.samplesMs.length}`;
  return row.error ? `${t} — WRONG RESULT: ${row.error}` : t;
}

/** `?only=ours,tfjs,ort&sizes=128,256` narrows a run (the runner passes its flags through). */
function options(): { only: Set<Impl>; sizes: number[] } {
  const q = new URLSearchParams(location.search);
  const only = q.get('only')?.split(',') ?? ['ours', 'tfjs', 'ort'];
  const sizes = q.get('sizes')?.split(',').map(Number) ?? [...MATMUL_SIZES];
  return { only: new Set(only as Impl[]), sizes };
}

async function run(): Promise<BenchReport> {
  const started = performance.now();
  const startedAt = new Date().toISOString();
  const { only, sizes } = options();
  const problems = sizes.map((n) => matmulProblem(n));
  const matmul: MatmulRow[] = [];
  const mlpRows: MlpRow[] = [];
  const adapter = await describeAdapter();
  log(`adapter: ${adapter.vendor} ${adapter.architecture} ${adapter.description}`);
  const addMatmul = (row: MatmulRow) => {
    matmul.push(row);
    log(`${row.impl} ${row.label} ${row.n}: ${describeRow(row)}`);
  };
  const addMlp = (row: MlpRow) => {
    mlpRows.push(row);
    log(`${row.impl} MLP step: ${describeMlp(row)}`);
  };

  let ours: OurBench | null = null;
  let autotune: BenchReport['autotune'] = null;
  if (only.has('ours')) {
    log('ours: creating the WebGPU backend and autotuning matmul…');
    const o = (ours = await OurBench.create());
    autotune = o.autotune;
    log(`ours: autotune chose ${autotune?.variant}`);
    for (const variant of o.variants) {
      let previous: MatmulRow | null = null;
      for (const p of problems) {
        // n³ work: a variant already slow at the last timed size is skipped, not run for minutes.
        const t = previous?.timing;
        const estimate = t && previous ? t.medianMs * (p.n / previous.n) ** 3 : 0;
        const row: MatmulRow =
          estimate > SKIP_ESTIMATE_MS
            ? {
                impl: 'ours',
                label: variant,
                n: p.n,
                timing: null,
                gflops: null,
                error: `skipped: about ${(estimate / 1000).toFixed(0)} s per run`,
              }
            : await measureMatmul('ours', variant, p, () => o.matmul(p, variant));
        addMatmul(row);
        if (row.timing) previous = row;
      }
    }
    for (const p of problems) {
      addMatmul(await measureMatmul('ours', `autotuned (${o.tuned})`, p, () => o.matmul(p)));
    }
    addMlp(await measureMlp('ours', `Mlp step (${o.tuned})`, () => o.mlp(), PIPELINED_STEPS));
  }

  let tfjs: TfjsBench | null = null;
  if (only.has('tfjs')) {
    log('TF.js: starting its webgpu backend…');
    let startError = '';
    try {
      tfjs = await TfjsBench.create();
    } catch (e) {
      startError = `TF.js webgpu backend did not start: ${e}`;
    }
    const t = tfjs;
    const failed = async (): Promise<never> => {
      throw new Error(startError);
    };
    for (const p of problems) {
      addMatmul(await measureMatmul('tfjs', 'tf.matMul', p, t ? () => t.matmul(p) : failed));
    }
    addMlp(
      await measureMlp(
        'tfjs',
        'optimizer.minimize (adam)',
        t ? () => t.mlp() : failed,
        PIPELINED_STEPS,
      ),
    );
  }

  // The targets, timed ours/TF.js alternately so that load from other processes on a
  // shared machine falls on both alike.
  const targets: TargetCheck[] = [];
  if (ours && tfjs) {
    const [o, t] = [ours, tfjs];
    const p = matmulProblem(TARGET_MATMUL_N);
    targets.push(
      await headToHead(
        `matmul ${TARGET_MATMUL_N}³ (autotuned ${o.tuned} vs tf.matMul)`,
        HEAD_TO_HEAD_PAIRS,
        () => o.matmul(p),
        () => t.matmul(p),
      ),
      await headToHead(
        'MLP training step',
        HEAD_TO_HEAD_PAIRS,
        () => o.mlp(),
        () => t.mlp(),
      ),
    );
    for (const c of targets)
      log(`target ${c.what}: ${c.speedup?.toFixed(2) ?? 'n/a'}× (${c.met ? 'met' : 'NOT met'})`);
  }
  ours?.destroy();
  tfjs?.destroy();

  if (only.has('ort')) {
    log('onnxruntime-web: webgpu execution provider…');
    OrtBench.configure();
    const ort = new OrtBench();
    for (const p of problems) {
      addMatmul(
        await measureMatmul('ort', 'MatMul node, GPU-resident I/O', p, () => ort.matmul(p)),
      );
    }
  }

  return {
    startedAt,
    userAgent: navigator.userAgent,
    adapter,
    autotune,
    sizes,
    matmul,
    mlp: { sizes: [...MLP_SIZES], B: MLP_BATCH, rows: mlpRows },
    targets,
    notes: NOTES,
    totalSeconds: (performance.now() - started) / 1000,
  };
}

/** Prepare both sides, time them alternately, and check ours against the target factor. */
async function headToHead(
  what: string,
  pairs: number,
  prepareOurs: () => Promise<Workload>,
  prepareTfjs: () => Promise<Workload>,
): Promise<TargetCheck> {
  let a: Workload | null = null;
  let b: Workload | null = null;
  try {
    a = await prepareOurs();
    b = await prepareTfjs();
    const [ta, tb] = await interleave(a, b, pairs);
    return targetCheck(what, pairs, ta.medianMs, tb.medianMs);
  } catch (e) {
    log(`target ${what} failed: ${e}`);
    return targetCheck(what, pairs, null, null);
  } finally {
    await a?.dispose();
    await b?.dispose();
  }
}

const NOTES = [
  'All three run in one headless Chromium page, one after another (ours, TF.js, ORT), each on its own GPUDevice.',
  'A timed run = issue the work, submit, await queue.onSubmittedWorkDone(); no readback, no upload, no pipeline creation. Median of the timed runs after one untimed warm-up run.',
  'Ours: pipelines created and first dispatch paid on an untimed 8×8 product; each variant forced with setMatmulVariant, then the autotuned choice (fresh in-memory tune).',
  'TF.js: tensors already on the GPU after the warm-up of the same shape; wait = end its compute pass, backend.submitQueue(), onSubmittedWorkDone.',
  'ORT: inputs via Tensor.fromGpuBuffer, output kept on the GPU (preferredOutputLocation gpu-buffer); includes ORT per-run overhead (JS/wasm, output allocation).',
  `MLP step: forward, zero grads, backward, optimiser; ours AdamW (weight decay 0.01), TF.js tf.train.adam (TF.js has no AdamW); no clipping on either side. "Pipelined" = ${PIPELINED_STEPS} steps recorded back to back with one wait at the end.`,
  `Targets: ours and TF.js prepared side by side and timed alternately, ${HEAD_TO_HEAD_PAIRS} runs each after a warm-up, medians compared.`,
  `A forced variant whose next size would take over ${SKIP_ESTIMATE_MS / 1000} s per run (n³ from the size before) is skipped; the autotuned choice, TF.js and ORT always run.`,
  'Every product is spot-checked against f64 dot products after timing; a wrong result is listed under n/a rows.',
];

run().then(
  async (report) => {
    const md = formatMarkdown(report);
    log('\n' + md);
    await window.tracelabBenchDone?.(JSON.stringify(report));
  },
  async (e: unknown) => {
    const message = e instanceof Error ? `${e.message}\n${e.stack ?? ''}` : String(e);
    log(`bench failed: ${message}`);
    await window.tracelabBenchFailed?.(message);
  },
);
