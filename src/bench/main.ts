// Bench page entry: runs every measurement in this page, in order — ours, then TF.js, then
// onnxruntime-web — so the three never compete for the (software) GPU. Progress goes to the
// console and the page; the finished report goes to the Node runner through the function it
// exposes (window.tracelabBenchDone), and is shown as markdown for a person at the page.

import { OrtBench } from './ort';
import { OurBench } from './ours';
import { MATMUL_SIZES, MLP_BATCH, MLP_SIZES, matmulProblem, PIPELINED_STEPS } from './problems';
import { formatMarkdown, targetChecks } from './report';
import { TfjsBench } from './tfjs';
import type { AdapterReport, BenchReport, Impl, MatmulRow, MlpRow } from './types';

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
  return `${row.step.medianMs.toFixed(1)} ms/step median of ${row.step.samplesMs.length}, ${pipelined} ms/step pipelined, loss ${row.finalLoss}`;
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

  let autotune: BenchReport['autotune'] = null;
  if (only.has('ours')) {
    log('ours: creating the WebGPU backend and autotuning matmul…');
    const ours = await OurBench.create();
    autotune = ours.autotune;
    log(`ours: autotune chose ${autotune?.variant}`);
    for (const variant of [...ours.variants, null]) {
      for (const p of problems) {
        const row = await ours.matmul(p, variant);
        matmul.push(row);
        log(`ours ${row.label} ${p.n}: ${describeRow(row)}`);
      }
    }
    mlpRows.push(await ours.mlp());
    log(`ours MLP step: ${describeMlp(mlpRows.at(-1)!)}`);
    ours.destroy();
  }

  if (only.has('tfjs')) {
    log('TF.js: starting its webgpu backend…');
    let tfjs: TfjsBench | null = null;
    let startError = '';
    try {
      tfjs = await TfjsBench.create();
    } catch (e) {
      startError = `TF.js webgpu backend did not start: ${e}`;
    }
    for (const p of problems) {
      const row = tfjs
        ? await tfjs.matmul(p)
        : {
            impl: 'tfjs' as const,
            label: 'tf.matMul',
            n: p.n,
            timing: null,
            gflops: null,
            error: startError,
          };
      matmul.push(row);
      log(`TF.js ${row.label} ${p.n}: ${describeRow(row)}`);
    }
    mlpRows.push(
      tfjs
        ? await tfjs.mlp()
        : {
            impl: 'tfjs',
            label: 'optimizer.minimize (adam)',
            step: null,
            pipelinedMsPerStep: null,
            finalLoss: null,
            error: startError,
          },
    );
    log(`TF.js MLP step: ${describeMlp(mlpRows.at(-1)!)}`);
    tfjs?.destroy();
  }

  if (only.has('ort')) {
    log('onnxruntime-web: webgpu execution provider…');
    OrtBench.configure();
    const ort = new OrtBench();
    for (const p of problems) {
      const row = await ort.matmul(p);
      matmul.push(row);
      log(`ORT ${row.label} ${p.n}: ${describeRow(row)}`);
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
    targets: targetChecks(matmul, mlpRows),
    notes: [
      'All three run in one headless Chromium page, one after another (ours, TF.js, ORT), each on its own GPUDevice.',
      'A timed run = issue the work, submit, await queue.onSubmittedWorkDone(); no readback, no upload, no pipeline creation. Median of the timed runs after warm-up.',
      'Ours: pipelines created and first dispatch paid on an untimed 8×8 product; each variant forced with setMatmulVariant, then the autotuned choice (fresh in-memory tune).',
      'TF.js: tensors already on the GPU after an untimed warm-up of the same shape; wait = backend.submitQueue() + onSubmittedWorkDone.',
      'ORT: inputs via Tensor.fromGpuBuffer, output kept on the GPU (preferredOutputLocation gpu-buffer); includes ORT per-run overhead.',
      `MLP step: forward, zero grads, backward, optimiser; ours AdamW (weight decay 0.01), TF.js tf.train.adam (no AdamW in TF.js); no clipping on either side. "Pipelined" = ${PIPELINED_STEPS} steps recorded back to back with one wait at the end.`,
      'Every product is spot-checked against f64 dot products after timing; a wrong result is listed under n/a rows.',
    ],
    totalSeconds: (performance.now() - started) / 1000,
  };
}

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
