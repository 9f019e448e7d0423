// Where a planner training step and a sampling rollout spend their time, op by op, on the
// CPU backend, the wasm backend and on WebGPU (SwiftShader in Node). Printed, not asserted:
//
//   VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json \
//     npx vite-node tests/kernels/profile-step.ts -- --preset tiny --B 8 [--backend cpu|wasm|webgpu]
//     [--steps 2] [--no-sample] [--detail] [--matmul regtile-8x8]
//
// For each backend: one warm-up step (compiles pipelines), `steps` plain training steps timed
// by wall clock (the best is the real step time: one submit per step on WebGPU), then every
// op timed on its own, `steps` times, keeping each op's fastest time (ProfilingBackend; on
// WebGPU each op then pays one submit-and-wait, shown as "overhead/op"). The same for a
// sampling rollout of F decode positions. "CPU" is the process's CPU time (SwiftShader's GPU
// work included): steadier than wall clock when other processes share the machine.
import type { Backend } from '../../src/kernels/backend';
import { CpuBackend } from '../../src/kernels/cpu';
import { createNodeBackend } from '../../src/kernels/node';
import { WasmBackend } from '../../src/kernels/wasm';
import {
  cpuTimeMs,
  fastestOfRuns,
  formatProfile,
  ProfilingBackend,
  summarise,
} from '../../src/kernels/profile';
import { preset } from '../../src/rl/model/config';
import { Planner, type OptimizerSettings } from '../../src/rl/model/planner';
import { Sampler } from '../../src/rl/model/sample';
import { Rng } from '../../src/rng';
import { testVocab, worldBatch, worldExamples } from '../rl/model-fixtures';

const OPT: OptimizerSettings = { lr: 1e-3, beta1: 0.9, beta2: 0.95, eps: 1e-8, weightDecay: 0 };

type Kind = 'cpu' | 'wasm' | 'webgpu';

interface Args {
  preset: string;
  B: number;
  backends: Kind[];
  steps: number;
  sample: boolean;
  detail: boolean;
  matmul?: string;
}

function parseArgs(argv: string[]): Args {
  const a: Args = {
    preset: 'tiny',
    B: 8,
    backends: ['cpu', 'webgpu'],
    steps: 2,
    sample: true,
    detail: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const next = () => argv[++i];
    switch (argv[i]) {
      case '--':
        break;
      case '--preset':
        a.preset = next();
        break;
      case '--B':
        a.B = Number(next());
        break;
      case '--backend':
        a.backends = next().split(',') as Kind[];
        break;
      case '--steps':
        a.steps = Number(next());
        break;
      case '--no-sample':
        a.sample = false;
        break;
      case '--detail':
        a.detail = true;
        break;
      case '--matmul':
        a.matmul = next();
        break;
      default:
        throw new Error(`profile-step: unknown argument '${argv[i]}'`);
    }
  }
  return a;
}

async function profileBackend(inner: Backend, args: Args): Promise<void> {
  const config = preset(args.preset);
  const vocab = testVocab();
  const prof = new ProfilingBackend(inner);
  const be = prof.backend;
  const planner = new Planner(be, config, vocab.size, args.B);
  planner.init(new Rng(1));
  const batch = worldBatch(config, args.B, 3);
  const overhead = inner.kind === 'webgpu' ? await prof.dispatchOverheadMs() : 0;
  const d = planner.dims;
  console.log(
    `\n== ${inner.description}: preset ${args.preset} (L=${d.L} C=${d.C} T=${d.T} V=${d.V}), ` +
      `B=${args.B}` +
      (overhead ? `, overhead/op ${overhead.toFixed(2)} ms` : ''),
  );

  // Training step: warm-up, wall clock, then per-op.
  planner.writeBatch(batch);
  planner.trainStep(OPT, 1);
  await be.sync();
  let stepMs = Infinity;
  let stepCpu = Infinity;
  for (let s = 0; s < args.steps; s++) {
    const [t0, c0] = [performance.now(), cpuTimeMs()];
    planner.trainStep(OPT, 1);
    await be.sync();
    stepMs = Math.min(stepMs, performance.now() - t0);
    stepCpu = Math.min(stepCpu, cpuTimeMs() - c0);
  }
  prof.profiling = true;
  const runs = [];
  for (let s = 0; s < args.steps; s++) {
    planner.trainStep(OPT, 1);
    await be.sync();
    runs.push(prof.take());
  }
  prof.profiling = false;
  const train = fastestOfRuns(runs);
  console.log(
    `train step: ${stepMs.toFixed(1)} ms wall clock, ${stepCpu.toFixed(1)} ms CPU (best of ${args.steps})`,
  );
  console.log(formatProfile(summarise(train, args.detail), args.detail ? 30 : undefined));

  if (args.sample) {
    const sampler = new Sampler(planner, vocab);
    const prompts = worldExamples(config, args.B, 3).map((e) => e.prompt);
    const settings = { temperature: 1, topP: 1 };
    await sampler.sample(prompts, settings, new Rng(1));
    let sampleMs = Infinity;
    let sampleCpu = Infinity;
    for (let s = 0; s < args.steps; s++) {
      const [s0, c0] = [performance.now(), cpuTimeMs()];
      await sampler.sample(prompts, settings, new Rng(2));
      sampleMs = Math.min(sampleMs, performance.now() - s0);
      sampleCpu = Math.min(sampleCpu, cpuTimeMs() - c0);
    }
    prof.profiling = true;
    const sampleRuns = [];
    for (let s = 0; s < args.steps; s++) {
      await sampler.sample(prompts, settings, new Rng(3));
      sampleRuns.push(prof.take());
    }
    console.log(
      `\nsampling rollout (F=${d.F} positions): ${sampleMs.toFixed(1)} ms wall clock, ` +
        `${sampleCpu.toFixed(1)} ms CPU (best of ${args.steps})`,
    );
    const rows = summarise(fastestOfRuns(sampleRuns), args.detail);
    console.log(formatProfile(rows, args.detail ? 30 : undefined));
    sampler.release();
  }
  planner.release();
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  for (const kind of args.backends) {
    const be =
      kind === 'cpu'
        ? new CpuBackend()
        : kind === 'wasm'
          ? await WasmBackend.create()
          : await createNodeBackend(
              args.matmul ? { matmulVariant: args.matmul } : { autotune: false },
            );
    await profileBackend(be, args);
    be.destroy();
  }
}

await main();
