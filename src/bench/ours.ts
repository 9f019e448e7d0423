// Our side of the benchmark: the WebGpuBackend's matmul (each variant forced, and the
// autotuned choice) and one training step of the Backend-interface MLP (src/kernels/mlp.ts).
//
// A run: record the work, flush (one submit), await onSubmittedWorkDone (Backend.sync).
// Pipelines are created, and SwiftShader's first-dispatch compile paid, on an untimed 8×8
// product; inputs are uploaded while preparing.

import type { AdamWSettings } from '../kernels/backend';
import { MemoryTuneStore } from '../kernels/autotune';
import { Mlp } from '../kernels/mlp';
import { MATMUL_VARIANTS } from '../kernels/ops/matmul';
import { WebGpuBackend } from '../kernels/webgpu-backend';
import { median } from './timing';
import { MLP_BATCH, MLP_LR, MLP_SIZES, mlpProblem, type MatmulProblem } from './problems';
import type { BenchReport } from './types';
import type { MatmulWorkload, MlpWorkload } from './workload';

export class OurBench {
  private constructor(
    readonly be: WebGpuBackend,
    /** The autotuned variant, restored after each forced one. */
    readonly tuned: string,
  ) {}

  /** A fresh backend, autotuned as the app does it (memory store: no stale cached choice). */
  static async create(): Promise<OurBench> {
    const be = await WebGpuBackend.create({ tuneStore: new MemoryTuneStore() });
    return new OurBench(be, be.matmulChoice.variant);
  }

  get autotune(): BenchReport['autotune'] {
    const c = this.be.matmulChoice;
    return { variant: c.variant, source: c.source, gflops: c.tune?.gflops ?? {} };
  }

  /** Every variant the backend knows, in MATMUL_VARIANTS order. */
  get variants(): string[] {
    return MATMUL_VARIANTS.map((v) => v.name);
  }

  /** out = a·b with `variant` forced (the autotuned one when omitted). */
  async matmul(p: MatmulProblem, variant = this.tuned): Promise<MatmulWorkload> {
    const be = this.be;
    const { n } = p;
    const [a, b, out] = ['a', 'b', 'out'].map((name) => be.tensor([n, n], 'f32', `bench.${name}`));
    const tiny = [be.tensor([8, 8]), be.tensor([8, 8]), be.tensor([8, 8])];
    be.write(a, p.a);
    be.write(b, p.b);
    be.setMatmulVariant(variant);
    be.matmul(tiny[2], tiny[0], tiny[1]);
    await be.sync();
    return {
      run: async () => {
        be.setMatmulVariant(variant);
        be.matmul(out, a, b);
        await be.sync();
      },
      result: () => be.read(out),
      dispose: () => {
        be.setMatmulVariant(this.tuned);
        for (const t of [a, b, out, ...tiny]) be.release(t);
      },
    };
  }

  /**
   * The MLP step: forward, zeroGrad, backward, AdamW — no gradient clipping, to do the same
   * work as the TF.js step. Uses the autotuned matmul.
   */
  async mlp(): Promise<MlpWorkload> {
    const be = this.be;
    be.setMatmulVariant(this.tuned);
    const problem = mlpProblem();
    const net = new Mlp(be, { sizes: MLP_SIZES, B: MLP_BATCH });
    for (let l = 0; l < problem.weights.length; l++) {
      be.write(net.params[l].w, problem.weights[l].w);
      be.write(net.params[l].b, problem.weights[l].b);
    }
    be.zero(net.flat.m);
    be.zero(net.flat.v);
    const x = be.tensor([MLP_BATCH, MLP_SIZES[0]], 'f32', 'bench.x');
    const targets = be.tensor([MLP_BATCH], 'i32', 'bench.targets');
    be.write(x, problem.x);
    be.write(targets, problem.targets);

    let step = 0;
    const adamw = (): AdamWSettings => ({
      lr: MLP_LR,
      beta1: 0.9,
      beta2: 0.999,
      eps: 1e-7,
      weightDecay: 0.01,
      step: ++step,
    });
    const trainStep = () => {
      net.forward(x, targets);
      net.zeroGrad();
      net.backward();
      net.update(adamw());
      be.flush();
    };
    const phaseOps: Record<string, () => void> = {
      forward: () => net.forward(x, targets),
      zeroGrad: () => net.zeroGrad(),
      backward: () => net.backward(),
      adamw: () => net.update(adamw()),
    };
    return {
      run: async () => {
        trainStep();
        await be.sync();
      },
      pipelined: async (steps) => {
        const t0 = performance.now();
        for (let i = 0; i < steps; i++) trainStep();
        await be.sync();
        return (performance.now() - t0) / steps;
      },
      loss: async () => (await be.read(net.loss))[0],
      phases: async () => {
        const samples: Record<string, number[]> = {};
        for (let rep = 0; rep < 3; rep++) {
          for (const [name, op] of Object.entries(phaseOps)) {
            const t0 = performance.now();
            op();
            await be.sync();
            (samples[name] ??= []).push(performance.now() - t0);
          }
        }
        return Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)]));
      },
      dispose: () => {
        net.release();
        be.release(x);
        be.release(targets);
      },
    };
  }

  destroy(): void {
    this.be.destroy();
  }
}
