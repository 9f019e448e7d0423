// TensorFlow.js side: the WebGPU backend of @tensorflow/tfjs-backend-webgpu, same problems.
//
// A run: issue the ops, end TF.js's open compute pass and submit its command encoder, and
// await onSubmittedWorkDone on its device — the same wait as ours, with no readback. Inputs are
// uploaded and every shader compiled by the untimed warm-up run of the same shapes.
// The training step is optimizer.minimize with tf.train.adam (TF.js has no AdamW; decay is a
// cheap elementwise term, so the work is comparable) on the same MLP, loss
// tf.losses.softmaxCrossEntropy (mean over the batch), no gradient clipping on either side.

import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-webgpu';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { MLP_BATCH, MLP_LR, MLP_SIZES, mlpProblem, type MatmulProblem } from './problems';
import type { MatmulWorkload, MlpWorkload } from './workload';

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

  /** Submit everything TF.js has recorded and wait for the GPU to finish it. */
  private async wait(): Promise<void> {
    this.backend.ensureCommandEncoderReady();
    this.backend.endComputePassEncoder();
    this.backend.submitQueue();
    await this.backend.device.queue.onSubmittedWorkDone();
  }

  async matmul(p: MatmulProblem): Promise<MatmulWorkload> {
    const { n } = p;
    const a = tf.tensor2d(p.a, [n, n]);
    const b = tf.tensor2d(p.b, [n, n]);
    return {
      run: async () => {
        const c = tf.matMul(a, b);
        await this.wait();
        c.dispose();
      },
      result: async () => {
        const c = tf.matMul(a, b);
        const data = await c.data();
        c.dispose();
        return data as Float32Array;
      },
      dispose: () => {
        a.dispose();
        b.dispose();
      },
    };
  }

  async mlp(): Promise<MlpWorkload> {
    const problem = mlpProblem();
    const classes = MLP_SIZES[MLP_SIZES.length - 1];
    const x = tf.tensor2d(problem.x, [MLP_BATCH, MLP_SIZES[0]]);
    const labels = tf.tidy(() =>
      tf.cast(tf.oneHot(tf.tensor1d(problem.targets, 'int32'), classes), 'float32'),
    );
    const vars = problem.weights.flatMap(({ w, b }, l) => [
      tf.variable(tf.tensor2d(w, [MLP_SIZES[l], MLP_SIZES[l + 1]])),
      tf.variable(tf.tensor1d(b)),
    ]);
    const optimizer = tf.train.adam(MLP_LR, 0.9, 0.999, 1e-7);
    const loss = (): tf.Scalar => {
      let h: tf.Tensor2D = x;
      for (let l = 0; l < vars.length / 2; l++) {
        const pre = tf.add(tf.matMul(h, vars[2 * l] as tf.Variable<tf.Rank.R2>), vars[2 * l + 1]);
        h = (l < vars.length / 2 - 1 ? tf.relu(pre) : pre) as tf.Tensor2D;
      }
      return tf.losses.softmaxCrossEntropy(labels, h) as tf.Scalar;
    };
    let lastLoss: tf.Scalar | null = null;
    /** One step; keeps the loss of its forward pass (the loss before its update). */
    const step = () => {
      lastLoss?.dispose();
      lastLoss = optimizer.minimize(loss, true, vars);
    };
    return {
      run: async () => {
        step();
        await this.wait();
      },
      pipelined: async (steps) => {
        const t0 = performance.now();
        for (let i = 0; i < steps; i++) step();
        await this.wait();
        return (performance.now() - t0) / steps;
      },
      loss: async () => (lastLoss ? (await lastLoss.data())[0] : NaN),
      dispose: () => {
        lastLoss?.dispose();
        optimizer.dispose();
        for (const t of [x, labels, ...vars]) t.dispose();
      },
    };
  }

  destroy(): void {
    tf.disposeVariables();
    tf.engine().reset();
  }
}
