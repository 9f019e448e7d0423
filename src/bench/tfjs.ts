// TensorFlow.js side: the WebGPU backend of @tensorflow/tfjs-backend-webgpu, same problems.
//
// Timed unit: issue the ops, end TF.js's open compute pass and submit its command encoder, and
// await onSubmittedWorkDone on its device — the same wait as ours, with no readback. Inputs are
// uploaded and every shader compiled by an untimed warm-up run of the same shapes.
// The training step is optimizer.minimize with tf.train.adam (TF.js has no AdamW; decay is a
// cheap elementwise term, so the work is comparable) on the same MLP, loss
// tf.losses.softmaxCrossEntropy (mean over the batch), no gradient clipping on either side.

import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-webgpu';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import {
  checkProduct,
  MLP_BATCH,
  MLP_LR,
  MLP_SIZES,
  mlpProblem,
  PIPELINED_STEPS,
  type MatmulProblem,
} from './problems';
import { DEFAULT_REPEAT, matmulGflops, repeat } from './timing';
import type { MatmulRow, MlpRow } from './types';

export class TfjsBench {
  private constructor(private readonly backend: WebGPUBackend) {}

  static async create(): Promise<TfjsBench> {
    // Small ops on CPU-resident inputs would otherwise run on the CPU.
    tf.env().set('WEBGPU_CPU_FORWARD', false);
    if (!(await tf.setBackend('webgpu')))
      throw new Error('TF.js could not start its webgpu backend');
    await tf.ready();
    return new TfjsBench(tf.backend() as WebGPUBackend);
  }

  /** TF.js's own adapter, as it reports it. */
  get adapterInfo(): string {
    const info = (
      this.backend as unknown as { adapterInfo?: { vendor?: string; architecture?: string } }
    ).adapterInfo;
    return info ? `${info.vendor ?? ''} ${info.architecture ?? ''}`.trim() : 'unknown';
  }

  /** Submit everything TF.js has recorded and wait for the GPU to finish it. */
  private async wait(): Promise<void> {
    this.backend.ensureCommandEncoderReady();
    this.backend.endComputePassEncoder();
    this.backend.submitQueue();
    await this.backend.device.queue.onSubmittedWorkDone();
  }

  async matmul(p: MatmulProblem): Promise<MatmulRow> {
    const { n } = p;
    const label = 'tf.matMul';
    const a = tf.tensor2d(p.a, [n, n]);
    const b = tf.tensor2d(p.b, [n, n]);
    try {
      const timing = await repeat(async () => {
        const c = tf.matMul(a, b);
        await this.wait();
        c.dispose();
      }, DEFAULT_REPEAT);
      const c = tf.matMul(a, b);
      const error = checkProduct(p, await c.data());
      c.dispose();
      return {
        impl: 'tfjs',
        label,
        n,
        timing,
        gflops: matmulGflops(n, timing.medianMs),
        ...(error ? { error } : {}),
      };
    } catch (e) {
      return { impl: 'tfjs', label, n, timing: null, gflops: null, error: String(e) };
    } finally {
      a.dispose();
      b.dispose();
    }
  }

  async mlp(): Promise<MlpRow> {
    const label = 'optimizer.minimize (adam)';
    const problem = mlpProblem();
    const classes = MLP_SIZES[MLP_SIZES.length - 1];
    const owned: tf.Tensor[] = [];
    let optimizer: tf.Optimizer | null = null;
    try {
      const x = tf.tensor2d(problem.x, [MLP_BATCH, MLP_SIZES[0]]);
      const labels = tf.tidy(() =>
        tf.cast(tf.oneHot(tf.tensor1d(problem.targets, 'int32'), classes), 'float32'),
      );
      const vars = problem.weights.flatMap(({ w, b }, l) => [
        tf.variable(tf.tensor2d(w, [MLP_SIZES[l], MLP_SIZES[l + 1]])),
        tf.variable(tf.tensor1d(b)),
      ]);
      owned.push(x, labels, ...vars);
      const opt = (optimizer = tf.train.adam(MLP_LR, 0.9, 0.999, 1e-7));
      const loss = (): tf.Scalar => {
        let h: tf.Tensor2D = x;
        for (let l = 0; l < vars.length / 2; l++) {
          const pre = tf.add(tf.matMul(h, vars[2 * l] as tf.Variable<tf.Rank.R2>), vars[2 * l + 1]);
          h = (l < vars.length / 2 - 1 ? tf.relu(pre) : pre) as tf.Tensor2D;
        }
        return tf.losses.softmaxCrossEntropy(labels, h) as tf.Scalar;
      };
      const step = (returnCost = false) => opt.minimize(loss, returnCost, vars);
      const timing = await repeat(async () => {
        step();
        await this.wait();
      }, DEFAULT_REPEAT);
      const t0 = performance.now();
      for (let i = 0; i < PIPELINED_STEPS - 1; i++) step();
      // The last step also returns its loss (the loss before its update), as ours reports.
      const cost = step(true)!;
      await this.wait();
      const pipelinedMsPerStep = (performance.now() - t0) / PIPELINED_STEPS;
      const finalLoss = (await cost.data())[0];
      cost.dispose();
      return { impl: 'tfjs', label, step: timing, pipelinedMsPerStep, finalLoss };
    } catch (e) {
      return {
        impl: 'tfjs',
        label,
        step: null,
        pipelinedMsPerStep: null,
        finalLoss: null,
        error: String(e),
      };
    } finally {
      optimizer?.dispose();
      for (const t of owned) t.dispose();
    }
  }

  destroy(): void {
    tf.disposeVariables();
    tf.engine().reset();
  }
}
