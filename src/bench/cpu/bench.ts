// The CPU rows of the benchmark, in Node, every contender measured side by side in one
// process — alternating runs, medians, CPU time beside wall time (the machine may be
// shared; CPU time is the steadier figure). Run by `npm run bench:cpu` and at the end of
// `npm run bench`.
//   1. matmul n³ (n = 256, 512, 1024): our wasm backend (1 and 2 threads) vs TF.js wasm vs
//      onnxruntime-web wasm (one thread each).
//   2. one planner training step (forward, backward, clip, AdamW) on an SFT batch of 16 as
//      stage 0 draws it, in the quick-demo and `small` shapes: wasm vs the CPU reference vs
//      the same model in PyTorch on one thread (torch-peer.ts; where python3 has torch).
//   3. one stage-1 update (stage1.ts), quick-demo and `small`: wasm (1 and 2 threads) vs the
//      CPU reference vs WebGPU on this machine's adapter when one is given; then the update's
//      multiply-adds and the most updates/s this machine's cores allow at our matmul's rate.
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { cpuTimeMs } from '../../kernels/profile';
import type { Backend } from '../../kernels/backend';
import { CpuBackend } from '../../kernels/cpu';
import { WasmBackend } from '../../kernels/wasm';
import { plannerConfigOf, type TrainSettings } from '../../rl/config/schema';
import type { CheckpointState } from '../../rl/model/checkpoint';
import type { Vocab } from '../../text/vocab';
import { loadCheckpointFile } from '../../rl/model/checkpoint-node';
import { assertInitFits } from '../../rl/trainer';
import { loadVocabFile } from '../../rl/data/vocab-node';
import { Planner, type OptimizerSettings } from '../../rl/model/planner';
import { Rng } from '../../rng';
import { checkProduct, matmulProblem } from '../problems';
import { matmulGflops, median } from '../timing';
import { ortWasm, oursWasm, tfjsWasm, type CpuMatmul } from './matmul';
import { benchSettings, countStage1Work, stage1SideBySide, type Stage1Contender } from './stage1';
import { totalMultiplyAdds } from '../../kernels/work-count';
import { stepProblem } from './step-batch';
import { findTorchPython, startTorchPeer, torchStepShape } from './torch-peer';

interface Sample {
  wall: number;
  cpu: number;
}

/** A contender's run; one in another process returns the times it measured there. */
type Run = () => Promise<Sample | void> | Sample | void;

async function timeOnce(run: Run): Promise<Sample> {
  const [w0, c0] = [performance.now(), cpuTimeMs()];
  const own = await run();
  return own ?? { wall: performance.now() - w0, cpu: cpuTimeMs() - c0 };
}

/** Alternate the contenders `reps` times after one warm-up each; medians per contender. */
async function sideBySide(
  runs: Record<string, Run>,
  reps: number,
): Promise<Record<string, { wall: number; cpu: number }>> {
  const samples: Record<string, Sample[]> = {};
  for (const [name, run] of Object.entries(runs)) {
    await run();
    samples[name] = [];
  }
  for (let r = 0; r < reps; r++) {
    for (const [name, run] of Object.entries(runs)) samples[name].push(await timeOnce(run));
  }
  const out: Record<string, { wall: number; cpu: number }> = {};
  for (const [name, xs] of Object.entries(samples)) {
    out[name] = { wall: median(xs.map((x) => x.wall)), cpu: median(xs.map((x) => x.cpu)) };
  }
  return out;
}

const f1 = (x: number) => x.toFixed(1);

async function matmulRows(sizes: number[], reps: number): Promise<string[]> {
  const be = await WasmBackend.create();
  const be2 = await WasmBackend.create({ threads: 2 });
  const lines = [
    '| matmul | contender | wall ms | CPU ms | GFLOP/s per CPU-s | vs TF.js wasm | vs ORT wasm | GFLOP/s wall |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const n of sizes) {
    const p = matmulProblem(n);
    const contenders: Record<string, CpuMatmul> = {
      'ours wasm, 1 thread': await oursWasm(be, p),
      'ours wasm, 2 threads': await oursWasm(be2, p),
      'TF.js wasm': await tfjsWasm(p),
      'onnxruntime-web wasm, 1 thread': await ortWasm(p),
    };
    for (const [name, c] of Object.entries(contenders)) {
      await c.run();
      const error = checkProduct(p, await c.result());
      if (error) throw new Error(`${name} ${n}³: wrong product: ${error}`);
    }
    const runs = Object.fromEntries(Object.entries(contenders).map(([k, c]) => [k, c.run]));
    const t = await sideBySide(runs, n >= 1024 ? Math.max(3, Math.ceil(reps / 2)) : reps);
    const gf = (k: string) => matmulGflops(n, t[k].cpu);
    for (const k of Object.keys(t)) {
      lines.push(
        `| ${n}³ | ${k} | ${f1(t[k].wall)} | ${f1(t[k].cpu)} | ${f1(gf(k))} | ` +
          `${(gf(k) / gf('TF.js wasm')).toFixed(2)}× | ${(gf(k) / gf('onnxruntime-web wasm, 1 thread')).toFixed(2)}× | ` +
          `${f1(matmulGflops(n, t[k].wall))} |`,
      );
    }
    Object.values(contenders).forEach((c) => c.dispose());
  }
  be.destroy();
  be2.destroy();
  return lines;
}

const OPT: OptimizerSettings = { lr: 1e-4, beta1: 0.9, beta2: 0.95, eps: 1e-8, weightDecay: 0 };

const TORCH = 'PyTorch, 1 thread';

async function stepRows(reps: number): Promise<string[]> {
  const vocab = loadVocabFile();
  const B = 16;
  const torch = findTorchPython();
  const lines = [
    `| planner step, B=${B} | contender | wall ms | CPU ms | CPU-time speed-up vs CPU reference | vs PyTorch (CPU ms ratio) |`,
    '|---|---|---|---|---|---|',
  ];
  const counts: string[] = [];
  let blas = '';
  const shapes = [
    ['quick-demo', 'quick-demo', reps],
    ['small', 'teaching', 3],
  ] as const;
  for (const [label, preset, n] of shapes) {
    const { config, dims, batch } = stepProblem(preset, vocab, B);
    const backends: Record<string, Backend> = {
      wasm: await WasmBackend.create(),
      'CPU reference': new CpuBackend(),
    };
    const planners = Object.entries(backends).map(([k, be]) => {
      const planner = new Planner(be, config, vocab.size, B);
      planner.init(new Rng(1));
      planner.writeBatch(batch);
      return [k, planner] as const;
    });
    const runs: Record<string, Run> = Object.fromEntries(
      planners.map(([k, planner]) => [
        k,
        async () => {
          planner.trainStep(OPT, 1);
          await planner.be.read(planner.acts.loss);
        },
      ]),
    );
    const peer =
      'python' in torch ? await startTorchPeer(torch.python, torchStepShape(dims, batch)) : null;
    try {
      const ours = planners[0][1].numParams;
      if (peer) {
        if (peer.params !== ours) {
          throw new Error(
            `bench: ${label}: PyTorch peer has ${peer.params} parameters, ours ${ours}`,
          );
        }
        counts.push(`${label} ${ours} (ours) = ${peer.params} (PyTorch)`);
        blas = `PyTorch ${peer.version}, its 512³ matmul ${f1(peer.matmulGflops)} GFLOP/s per CPU-s`;
        runs[TORCH] = () => peer.step();
      }
      const t = await sideBySide(runs, n);
      for (const k of Object.keys(t)) {
        const speedup = k === TORCH ? '—' : `${(t['CPU reference'].cpu / t[k].cpu).toFixed(2)}×`;
        const vsTorch = peer ? `${(t[k].cpu / t[TORCH].cpu).toFixed(2)}×` : '—';
        lines.push(
          `| ${label} | ${k} | ${f1(t[k].wall)} | ${f1(t[k].cpu)} | ${speedup} | ${vsTorch} |`,
        );
      }
      if ('missing' in torch) {
        lines.push(`| ${label} | ${TORCH} | — | — | — | not measured: ${torch.missing} |`);
      }
    } finally {
      await peer?.close();
      planners.forEach(([, p]) => p.release());
      Object.values(backends).forEach((be) => be.destroy());
    }
  }
  if (counts.length > 0) lines.push('', `Parameters: ${counts.join('; ')}. ${blas}.`);
  return lines;
}

/** The stage-1 checkpoint to start quick-demo from, when its model fits the settings. */
async function quickDemoInit(settings: TrainSettings): Promise<CheckpointState | undefined> {
  if (!existsSync(STAGE0_PATH)) return undefined;
  const init = await loadCheckpointFile(STAGE0_PATH);
  try {
    assertInitFits(init, plannerConfigOf(settings));
    return init;
  } catch {
    return undefined;
  }
}

const STAGE0_PATH = 'public/models/stage0.bin';

async function stage1Rows(o: CpuBenchOptions): Promise<string[]> {
  const vocab = loadVocabFile();
  const lines = [
    '| stage-1 update | backend | updates timed | wall ms | CPU ms | updates/s (wall) | CPU-time speed-up vs CPU reference |',
    '|---|---|---|---|---|---|---|',
  ];
  const ceilings: string[] = [];
  const macRate = await matmulMultiplyAddRate();
  const shapes = [
    ['quick-demo', 'quick-demo'],
    ['small', 'teaching'],
  ] as const;
  for (const [label, preset] of shapes.filter(([l]) => o.stage1Shapes.includes(l))) {
    const settings = benchSettings(preset);
    const init = label === 'quick-demo' ? await quickDemoInit(settings) : undefined;
    const [blocks, updates] = [o.stage1Blocks, o.stage1Updates];
    const contenders: Stage1Contender[] = [
      { name: 'wasm, 1 thread', be: await WasmBackend.create(), blocks, updates },
      { name: 'wasm, 2 threads', be: await WasmBackend.create({ threads: 2 }), blocks, updates },
      // The slow ones: one block (one timed update in the small shape).
      {
        name: 'CPU reference',
        be: new CpuBackend(),
        blocks: 1,
        updates: label === 'small' ? 1 : updates,
      },
    ];
    if (o.gpu) {
      const name = `WebGPU (${o.gpu.description})`;
      contenders.push({ name, be: o.gpu, blocks: 1, updates: contenders[2].updates });
    }
    const t = await stage1SideBySide(contenders, settings, vocab, init);
    const ref = t['CPU reference'].cpu;
    for (const [k, r] of Object.entries(t)) {
      lines.push(
        `| ${label}${init ? ' (from stage0.bin)' : ''} | ${k} | ${r.updates} | ${f1(r.wall)} | ${f1(r.cpu)} | ` +
          `${(1000 / r.wall).toFixed(2)} | ${(ref / r.cpu).toFixed(2)}× |`,
      );
    }
    for (const c of contenders) if (c.be !== o.gpu) c.be.destroy();
    ceilings.push(await stage1Ceiling(label, settings, vocab, init, macRate));
  }
  return [...lines, '', ...ceilings];
}

const CEILING_SIZE = 512;

/** Our one-thread wasm matmul at 512³, multiply-adds per CPU-second (median of 5). */
async function matmulMultiplyAddRate(): Promise<number> {
  const be = await WasmBackend.create();
  try {
    const mm = await oursWasm(be, matmulProblem(CEILING_SIZE));
    const t = await sideBySide({ mm: mm.run }, 5);
    mm.dispose();
    return (matmulGflops(CEILING_SIZE, t.mm.cpu) * 1e9) / 2;
  } finally {
    be.destroy();
  }
}

/**
 * What the hardware allows a stage-1 update: its multiply-adds (a floor) against our
 * one-thread wasm matmul's rate (`macsPerCpuSecond`), on every core of this machine.
 */
async function stage1Ceiling(
  label: string,
  settings: TrainSettings,
  vocab: Vocab,
  init: CheckpointState | undefined,
  macsPerCpuSecond: number,
): Promise<string> {
  const be = await WasmBackend.create();
  try {
    const work = await countStage1Work(be, settings, vocab, init, 3);
    const total = totalMultiplyAdds(work);
    const matmul = work.matmul ?? 0;
    const cores = availableParallelism();
    const g = (x: number) => (x / 1e9).toFixed(2);
    return (
      `${label}: a stage-1 update asks for ${g(total)} G multiply-adds (median of 3 updates; ` +
      `matmul ${g(matmul)}, attention ${g(total - matmul)}; ` +
      `norms, softmax, sampling and AdamW not counted). At our one-thread wasm matmul's rate ` +
      `measured now (${g(macsPerCpuSecond)} G multiply-adds per CPU-s at ${CEILING_SIZE}³), ` +
      `${cores} core${cores === 1 ? '' : 's'} could run at most ` +
      `${((cores * macsPerCpuSecond) / total).toFixed(2)} updates/s.`
    );
  } finally {
    be.destroy();
  }
}

export interface CpuBenchOptions {
  sizes: number[];
  reps: number;
  step: boolean;
  /** Stage-1 update rows. */
  stage1: boolean;
  /** Blocks per wasm contender in quick-demo (the CPU reference and WebGPU run one). */
  stage1Blocks: number;
  /** Timed updates per block. */
  stage1Updates: number;
  /** Which shapes get stage-1 rows ('quick-demo', 'small'). */
  stage1Shapes: readonly string[];
  /** A WebGPU backend to add to the stage-1 rows (the adapter of this machine). */
  gpu?: Backend;
}

/** The markdown of the CPU rows. */
export async function cpuBench(o: CpuBenchOptions): Promise<string> {
  const parts = [`CPU bench: Node ${process.version}, medians; the machine may be shared.`];
  if (o.sizes.length > 0) parts.push((await matmulRows(o.sizes, o.reps)).join('\n'));
  if (o.step) parts.push((await stepRows(o.reps)).join('\n'));
  if (o.stage1) parts.push((await stage1Rows(o)).join('\n'));
  return parts.join('\n\n');
}
