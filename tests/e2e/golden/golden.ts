// The golden training test in the browser (served by tests/e2e/wasm-golden.e2e.ts): the same
// planner, parameters and batch as tests/rl/model-golden.test.ts, trained for a few updates on
// the CPU reference, on wasm with one thread and on wasm with two threads (this page is
// cross-origin isolated, so SharedArrayBuffer exists). The losses land in window.golden.
import type { Backend } from '../../../src/kernels/backend';
import { CpuBackend } from '../../../src/kernels/cpu';
import { WasmBackend } from '../../../src/kernels/wasm';
import { PRESETS } from '../../../src/rl/model/config';
import { Planner, type OptimizerSettings } from '../../../src/rl/model/planner';
import { Rng } from '../../../src/rng';
import { testVocab, worldBatch } from '../../rl/model-fixtures';

export const GOLDEN_STEPS = 4;
const B = 3;
const CONFIG = PRESETS.tiny;
const OPT: OptimizerSettings = { lr: 1e-3, beta1: 0.9, beta2: 0.95, eps: 1e-8, weightDecay: 0.01 };

export interface GoldenRun {
  description: string;
  /** The first forward's loss, then the loss each update's forward saw (before its step). */
  losses: number[];
}

export interface GoldenOutcome {
  crossOriginIsolated: boolean;
  runs: Record<'cpu' | 'wasm' | 'wasm2', GoldenRun>;
}

async function train(be: Backend): Promise<GoldenRun> {
  const planner = new Planner(be, CONFIG, testVocab().size, B);
  planner.init(new Rng(3));
  planner.writeBatch(worldBatch(CONFIG, B, 5));
  planner.forward();
  const losses = [(await be.read(planner.acts.loss))[0]];
  for (let s = 0; s < GOLDEN_STEPS; s++) {
    planner.trainStep(OPT, 1);
    losses.push((await be.read(planner.acts.loss))[0]);
  }
  planner.release();
  be.destroy();
  return { description: be.description, losses };
}

const status = document.getElementById('status')!;
const target = window as unknown as { golden?: GoldenOutcome; goldenError?: string };
try {
  const runs = {
    cpu: await train(new CpuBackend()),
    wasm: await train(await WasmBackend.create()),
    // Every op split over both threads, however small, so the split paths all run.
    wasm2: await train(await WasmBackend.create({ threads: 2, splitMinWork: 0 })),
  };
  target.golden = { crossOriginIsolated: globalThis.crossOriginIsolated, runs };
  status.textContent = 'done';
} catch (e) {
  target.goldenError = e instanceof Error ? `${e.message}\n${e.stack}` : String(e);
  status.textContent = 'failed';
}
