// Our side of the benchmark: the WebGpuBackend's matmul, each variant forced and then the
// autotuned choice, and one training step of the Backend-interface MLP (src/kernels/mlp.ts).
//
// Timed unit: record the work, flush (one submit), await onSubmittedWorkDone (Backend.sync).
// Pipelines are created and SwiftShader's first-dispatch compile is paid on an untimed tiny
// product; inputs are uploaded before timing.

import type { AdamWSettings, Tensor } from '../kernels/backend';
import { MemoryTuneStore } from '../kernels/autotune';
import { Mlp } from '../kernels/mlp';
import { MATMUL_VARIANTS } from '../kernels/ops/matmul';
import { WebGpuBackend } from '../kernels/webgpu-backend';
import {
  checkProduct,
  MLP_BATCH,
  MLP_LR,
  MLP_SIZES,
  mlpProblem,
  PIPELINED_STEPS,
  type MatmulProblem,
} from './problems';
import { DEFAULT_REPEAT, matmulGflops, repeat, type RepeatOptions } from './timing';
import type { BenchReport, MatmulRow, MlpRow } from './types';

export class OurBench {
  private constructor(readonly be: WebGpuBackend) {}

  /** A fresh backend, autotuned as the app does it (memory store: no stale cached choice). */
  static async create(): Promise<OurBench> {
    return new OurBench(await WebGpuBackend.create({ tuneStore: new MemoryTuneStore() }));
  }

  get autotune(): BenchReport['autotune'] {
    const c = this.be.matmulChoice;
    return { variant: c.variant, source: c.source, gflops: c.tune?.gflops ?? {} };
  }

  /** Every variant the backend knows, in MATMUL_VARIANTS order. */
  get variants(): string[] {
    return MATMUL_VARIANTS.map((v) => v.name);
  }

  /** Time out = a·b with `variant` forced, or with the autotuned choice when null. */
  async matmul(p: MatmulProblem, variant: string | null, reps?: RepeatOptions): Promise<MatmulRow> {
    const be = this.be;
    const tuned = this.be.matmulChoice.variant;
    const name = variant ?? tuned;
    const label = variant ?? `autotuned (${tuned})`;
    const { n } = p;
    const a = be.tensor([n, n], 'f32', 'bench.a');
    const b = be.tensor([n, n], 'f32', 'bench.b');
    const out = be.tensor([n, n], 'f32', 'bench.out');
    const tiny = [be.tensor([8, 8]), be.tensor([8, 8]), be.tensor([8, 8])];
    try {
      be.setMatmulVariant(name);
      be.write(a, p.a);
      be.write(b, p.b);
      be.matmul(tiny[2], tiny[0], tiny[1]);
      await be.sync();
      const timing = await repeat(
        async () => {
          be.matmul(out, a, b);
          await be.sync();
        },
        reps ?? { ...DEFAULT_REPEAT, warmup: 0 },
      );
      const error = checkProduct(p, await be.read(out));
      return {
        impl: 'ours',
        label,
        n,
        timing,
        gflops: matmulGflops(n, timing.medianMs),
        ...(error ? { error } : {}),
      };
    } catch (e) {
      return { impl: 'ours', label, n, timing: null, gflops: null, error: String(e) };
    } finally {
      be.setMatmulVariant(tuned);
      for (const t of [a, b, out, ...tiny]) be.release(t);
    }
  }

  /**
   * One MLP training step: forward, zeroGrad, backward, AdamW (no gradient clipping, to do
   * the same work as the TF.js step). Uses the autotuned matmul.
   */
  async mlp(): Promise<MlpRow> {
    const be = this.be;
    const label = `Mlp.forward/backward/update (${be.matmulChoice.variant})`;
    const problem = mlpProblem();
    let mlp: Mlp | null = null;
    let x: Tensor | null = null;
    let targets: Tensor | null = null;
    try {
      mlp = new Mlp(be, { sizes: MLP_SIZES, B: MLP_BATCH });
      const net = mlp;
      for (let l = 0; l < problem.weights.length; l++) {
        be.write(net.params[l].w, problem.weights[l].w);
        be.write(net.params[l].b, problem.weights[l].b);
      }
      be.zero(net.flat.m);
      be.zero(net.flat.v);
      const xs = (x = be.tensor([MLP_BATCH, MLP_SIZES[0]], 'f32', 'bench.x'));
      const ts = (targets = be.tensor([MLP_BATCH], 'i32', 'bench.targets'));
      be.write(xs, problem.x);
      be.write(ts, problem.targets);

      let step = 0;
      const trainStep = () => {
        const s: AdamWSettings = {
          lr: MLP_LR,
          beta1: 0.9,
          beta2: 0.999,
          eps: 1e-7,
          weightDecay: 0.01,
          step: ++step,
        };
        net.forward(xs, ts);
        net.zeroGrad();
        net.backward();
        net.update(s);
        be.flush();
      };
      const timing = await repeat(async () => {
        trainStep();
        await be.sync();
      });
      const t0 = performance.now();
      for (let i = 0; i < PIPELINED_STEPS; i++) trainStep();
      await be.sync();
      const pipelinedMsPerStep = (performance.now() - t0) / PIPELINED_STEPS;
      const finalLoss = (await be.read(net.loss))[0];
      return { impl: 'ours', label, step: timing, pipelinedMsPerStep, finalLoss };
    } catch (e) {
      return {
        impl: 'ours',
        label,
        step: null,
        pipelinedMsPerStep: null,
        finalLoss: null,
        error: String(e),
      };
    } finally {
      mlp?.release();
      if (x) be.release(x);
      if (targets) be.release(targets);
    }
  }

  destroy(): void {
    this.be.destroy();
  }
}
